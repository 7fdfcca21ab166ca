package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Embedding;

class ScoreNormalisationTest {
  /** 200 vectors of 16 values, each a shared direction plus its own noise. */
  private static List<float[]> cohort() {
    Random random = new Random(3);
    List<float[]> cohort = new ArrayList<>();
    for (int c = 0; c < 200; c++) {
      float[] v = new float[16];
      v[0] = 1;
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) random.nextGaussian() * 0.5f;
      }
      cohort.add(v);
    }
    return cohort;
  }

  @Test
  void appendsEachVectorsMeanAndSpreadOfCosinesWithTheCohort() {
    List<float[]> cohort = cohort();
    ScoreNormalisation normalisation = ScoreNormalisation.of(cohort);
    float[] v = new float[16];
    v[1] = 2;
    v[2] = -1;
    float[] with = normalisation.withStatistics(v);
    assertEquals(18, with.length);
    assertArrayEquals(v, java.util.Arrays.copyOf(with, 16), 0);
    double[] cosines = new double[cohort.size()];
    for (int c = 0; c < cosines.length; c++) {
      float[] u = cohort.get(c);
      cosines[c] = Vectors.dot(v, u) / Math.sqrt(Vectors.dot(v, v) * Vectors.dot(u, u));
    }
    double mean = java.util.Arrays.stream(cosines).average().orElseThrow();
    double spread =
        Math.sqrt(java.util.Arrays.stream(cosines).map(x -> (x - mean) * (x - mean)).sum() / 200);
    assertEquals(mean, with[16], 1e-6);
    assertEquals(spread, with[17], 1e-6);
    IllegalStateException shorter =
        assertThrows(IllegalStateException.class, () -> normalisation.withStatistics(new float[8]));
    assertTrue(shorter.getMessage().contains("8 values against a cohort of 16"));
  }

  /**
   * The point of S-norm: a face like everyone (lit flat, seen from the front) has high cosines with
   * anyone, a face like no one low ones; at one and the same cosine with a reference, the first
   * pair is the less likely to be of one person.
   */
  @Test
  void aFaceLikeEveryoneScoresBelowAFaceLikeNoOneAtTheSameCosine() {
    ScoreNormalisation normalisation = ScoreNormalisation.of(cohort());
    float[] likeEveryone = new float[16];
    likeEveryone[0] = 1;
    float[] likeNoOne = new float[16];
    likeNoOne[0] = -1;
    float[] hub = normalisation.withStatistics(likeEveryone);
    float[] loner = normalisation.withStatistics(likeNoOne);
    assertTrue(hub[16] > 0.4 && loner[16] < -0.4, hub[16] + ", " + loner[16]);
    double reference = 0.1;
    double spread = 0.2;
    double hubScore = ScoreNormalisation.score(0.5, hub[16], hub[17], reference, spread);
    double lonerScore = ScoreNormalisation.score(0.5, loner[16], loner[17], reference, spread);
    assertTrue(hubScore < lonerScore, hubScore + " against " + lonerScore);
    // Higher cosines score higher for the same two images; the score is symmetric, in (0, 1).
    assertTrue(
        ScoreNormalisation.score(0.6, 0.1, 0.2, 0.2, 0.1)
            > ScoreNormalisation.score(0.5, 0.1, 0.2, 0.2, 0.1));
    assertEquals(
        ScoreNormalisation.score(0.5, 0.1, 0.2, 0.2, 0.1),
        ScoreNormalisation.score(0.5, 0.2, 0.1, 0.1, 0.2),
        1e-15);
    // z = ((0.5 - 0.1) / 0.2 + (0.5 - 0.2) / 0.1) / 2 = 2.5.
    assertEquals(
        1 / (1 + Math.exp(-2.5)), ScoreNormalisation.score(0.5, 0.1, 0.2, 0.2, 0.1), 1e-12);
  }

  @Test
  void scoresTwoEmbeddingsByTheirVectorsCosineInTheirOwnStatistics() {
    Embedding a = new Embedding("n", new float[] {1, 0, 0, 0.1f, 0.2f});
    Embedding b = new Embedding("n", new float[] {1, 1, 0, 0.2f, 0.1f});
    double cosine = 1 / Math.sqrt(2);
    assertEquals(
        ScoreNormalisation.score(cosine, 0.1f, 0.2f, 0.2f, 0.1f),
        ScoreNormalisation.score(a, b),
        1e-6);
    assertEquals(ScoreNormalisation.score(a, b), ScoreNormalisation.score(b, a), 1e-12);
    assertThrows(
        IllegalArgumentException.class,
        () -> ScoreNormalisation.score(a, new Embedding("other", new float[] {1, 0, 0, 0, 1})));
  }

  @Test
  void zeroesTheNetworksPartOfEachCohortVector() {
    ScoreNormalisation zeroed = ScoreNormalisation.of(cohort()).withFirstZeroed(1);
    float[] along = new float[16];
    along[0] = 1;
    // With the shared direction zeroed, a vector along it is like none of them.
    float[] with = zeroed.withStatistics(along);
    assertEquals(0, with[16], 1e-6);
    assertTrue(ScoreNormalisation.NONE.withFirstZeroed(3).isNone());
  }

  @Test
  void writesAndReadsItsCohortAndRefusesImplausibleSizes() throws IOException {
    ScoreNormalisation normalisation = ScoreNormalisation.of(cohort());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    normalisation.write(new DataOutputStream(bytes));
    ScoreNormalisation read =
        ScoreNormalisation.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(200, read.size());
    assertEquals(16, read.dimension());
    float[] v = new float[16];
    v[3] = 1;
    assertArrayEquals(normalisation.withStatistics(v), read.withStatistics(v), 0);

    ByteArrayOutputStream odd = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(odd);
    out.writeInt(-4);
    out.writeInt(16);
    IOException implausible =
        assertThrows(
            IOException.class,
            () ->
                ScoreNormalisation.read(
                    new DataInputStream(new ByteArrayInputStream(odd.toByteArray()))));
    assertTrue(implausible.getMessage().contains("implausible cohort"));
  }
}
