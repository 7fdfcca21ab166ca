package org.oneshot.pipeline.internal.evaluation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.oneshot.api.Embedding;

/**
 * Symmetric score normalisation (S-norm) of a fusion's cosines against a cohort: the fused vectors
 * of some of the images it was fitted on. Each image's cosines with the cohort have a mean and a
 * spread of their own — a face lit harshly or seen askew is a little like everyone, or like no one
 * — and a pair's cosine is measured in each image's spread above its mean, the two averaged: {@code
 * z = ((s − μa) / σa + (s − μb) / σb) / 2}, the score {@code 1 / (1 + e^−z)}.
 *
 * <p>Why: a fused score's remaining errors are offsets of single images, not of pairs. Measured in
 * a scratch build on the same models (stop 54): AT&T's unseen people pairs 0.938 → 0.952 (three
 * models), LFW's two halves of held-out people 0.805 → 0.813 and 0.874 → 0.879.
 *
 * <p>An embedding carries its image's mean and spread as its last two values ({@link
 * #withStatistics}), so that a gallery's cached embeddings are scored without the cohort again.
 */
final class ScoreNormalisation {
  /** No cohort: scores are the cosines as they are. */
  static final ScoreNormalisation NONE = new ScoreNormalisation(new float[0][]);

  /** The values an embedding carries after its vector: its cohort cosines' mean and spread. */
  static final int STATISTICS = 2;

  /** Spreads are never taken below this: a cohort all alike would divide by nothing. */
  private static final double LEAST_SPREAD = 1e-6;

  /** Unit vectors, all of one length. */
  private final float[][] cohort;

  private ScoreNormalisation(float[][] cohort) {
    this.cohort = cohort;
  }

  /**
   * Normalisation against {@code cohort}, fused vectors of one length.
   *
   * @throws IllegalArgumentException when they differ in length, or none is given
   */
  static ScoreNormalisation of(List<float[]> cohort) {
    if (cohort.isEmpty()) {
      throw new IllegalArgumentException("an empty cohort");
    }
    int length = cohort.get(0).length;
    float[][] units = new float[cohort.size()][];
    for (int c = 0; c < units.length; c++) {
      if (cohort.get(c).length != length) {
        throw new IllegalArgumentException(
            "cohort vectors of " + length + " and " + cohort.get(c).length + " values");
      }
      units[c] = Vectors.unit(cohort.get(c));
    }
    return new ScoreNormalisation(units);
  }

  boolean isNone() {
    return cohort.length == 0;
  }

  /** Images in the cohort. */
  int size() {
    return cohort.length;
  }

  /** Values of each cohort vector: of the fused vectors it normalises. */
  int dimension() {
    return cohort.length == 0 ? 0 : cohort[0].length;
  }

  /**
   * The cohort with the first {@code values} of each vector zeroed, as the fusion that weighs the
   * network's part zero makes them.
   */
  ScoreNormalisation withFirstZeroed(int values) {
    if (isNone()) {
      return this;
    }
    List<float[]> zeroed = new ArrayList<>();
    for (float[] v : cohort) {
      float[] z = v.clone();
      Arrays.fill(z, 0, values, 0);
      zeroed.add(z);
    }
    return of(zeroed);
  }

  /**
   * {@code vector} followed by the mean and spread of its cosines with the cohort.
   *
   * @throws IllegalStateException when it is not of the cohort's length
   */
  float[] withStatistics(float[] vector) {
    if (vector.length != dimension()) {
      throw new IllegalStateException(
          "a fused vector of "
              + vector.length
              + " values against a cohort of "
              + dimension()
              + ": the network embeds in another size than when the fusion was fitted");
    }
    float[] unit = Vectors.unit(vector);
    double[] cosines = new double[cohort.length];
    for (int c = 0; c < cosines.length; c++) {
      cosines[c] = Vectors.dot(unit, cohort[c]);
    }
    double[] statistics = statistics(cosines);
    float[] out = Arrays.copyOf(vector, vector.length + STATISTICS);
    out[vector.length] = (float) statistics[0];
    out[vector.length + 1] = (float) statistics[1];
    return out;
  }

  /**
   * The normalised score of two embeddings made by {@link #withStatistics}: their vectors' cosine
   * in each one's cohort statistics.
   */
  static double score(Embedding a, Embedding b) {
    int n = a.dimension() - STATISTICS;
    double cosine = CosineScoringNetwork.cosine(a, b, n);
    return score(cosine, a.get(n), a.get(n + 1), b.get(n), b.get(n + 1));
  }

  /**
   * {@code cosine} of two images measured in each one's spread above its mean, averaged, mapped to
   * (0, 1) by the logistic function.
   */
  static double score(double cosine, double meanA, double spreadA, double meanB, double spreadB) {
    double z = ((cosine - meanA) / spreadA + (cosine - meanB) / spreadB) / 2;
    return 1 / (1 + Math.exp(-z));
  }

  /** The mean and the spread (standard deviation, at least {@link #LEAST_SPREAD}) of values. */
  static double[] statistics(double[] values) {
    double sum = 0;
    double squares = 0;
    for (double v : values) {
      sum += v;
      squares += v * v;
    }
    double mean = sum / values.length;
    double spread = Math.sqrt(Math.max(0, squares / values.length - mean * mean));
    return new double[] {mean, Math.max(spread, LEAST_SPREAD)};
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(cohort.length);
    out.writeInt(dimension());
    for (float[] v : cohort) {
      for (float x : v) {
        out.writeFloat(x);
      }
    }
  }

  /**
   * What {@link #write} wrote.
   *
   * @throws IOException when the sizes are implausible or the data ends early
   */
  static ScoreNormalisation read(DataInputStream in) throws IOException {
    int count = in.readInt();
    int length = in.readInt();
    if (count < 0 || count > 1 << 16 || length < 0 || length > 1 << 20) {
      throw new IOException("an implausible cohort of " + count + " × " + length + " values");
    }
    if (count == 0) {
      return NONE;
    }
    float[][] cohort = new float[count][length];
    for (float[] v : cohort) {
      for (int i = 0; i < length; i++) {
        v[i] = in.readFloat();
      }
    }
    return new ScoreNormalisation(cohort);
  }
}
