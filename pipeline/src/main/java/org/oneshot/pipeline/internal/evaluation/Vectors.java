package org.oneshot.pipeline.internal.evaluation;

import java.util.List;

/** The few vector operations the classical fits and descriptors need, written for speed. */
final class Vectors {
  private Vectors() {}

  /**
   * Four running sums: one sum waits on each addition before the next (Java may not reorder
   * floating-point sums), four independent ones keep the multiply-add units busy — the fit's dot
   * products run about twice as fast.
   */
  static double dot(double[] a, double[] b) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (int end = a.length - 3; i < end; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@link #dot(double[], double[])} of float vectors, summed in double. */
  static double dot(float[] a, float[] b) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (int end = a.length - 3; i < end; i += 4) {
      s0 += (double) a[i] * b[i];
      s1 += (double) a[i + 1] * b[i + 1];
      s2 += (double) a[i + 2] * b[i + 2];
      s3 += (double) a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += (double) a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** The mean of {@code vectors}, one or more of equal length. */
  static float[] mean(List<float[]> vectors) {
    float[] mean = new float[vectors.get(0).length];
    for (float[] v : vectors) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] += v[i];
      }
    }
    for (int i = 0; i < mean.length; i++) {
      mean[i] /= vectors.size();
    }
    return mean;
  }

  /**
   * {@code values}, rows of {@code width} one after another (an image's, or each channel's), with
   * every row reversed: the image flipped left to right.
   */
  static float[] flippedRows(float[] values, int width) {
    float[] out = new float[values.length];
    for (int start = 0; start < values.length; start += width) {
      for (int x = 0; x < width; x++) {
        out[start + x] = values[start + width - 1 - x];
      }
    }
    return out;
  }

  /** {@code v} scaled to length 1; all zeros stay zeros. */
  static float[] unit(float[] v) {
    double norm = Math.sqrt(dot(v, v));
    float[] out = new float[v.length];
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        out[i] = (float) (v[i] / norm);
      }
    }
    return out;
  }

  /** {@code into -= factor · v}. */
  static void subtract(double[] into, double factor, double[] v) {
    for (int i = 0; i < into.length; i++) {
      into[i] -= factor * v[i];
    }
  }
}
