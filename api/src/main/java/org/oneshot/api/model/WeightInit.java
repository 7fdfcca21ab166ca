package org.oneshot.api.model;

import java.util.Random;

/**
 * Initial weights drawn in Java from the training seed, so that both backends start from the same
 * numbers. {@code koch}: the paper's normal distributions (convolution weights σ 0.01, dense
 * weights σ 0.2, biases mean 0.5 σ 0.01); {@code xavier}: uniform Glorot weights and zero biases.
 */
public final class WeightInit {
  private WeightInit() {}

  /** Weights of a layer with {@code fanIn} inputs and {@code fanOut} outputs per position. */
  public static float[] weights(
      String init, boolean dense, int fanIn, int fanOut, int count, Random random) {
    float[] w = new float[count];
    if (init.equals("koch")) {
      double sigma = dense ? 0.2 : 0.01;
      for (int i = 0; i < count; i++) {
        w[i] = (float) (random.nextGaussian() * sigma);
      }
    } else {
      double limit = Math.sqrt(6.0 / (fanIn + fanOut));
      for (int i = 0; i < count; i++) {
        w[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
      }
    }
    return w;
  }

  public static float[] biases(String init, int count, Random random) {
    float[] b = new float[count];
    if (init.equals("koch")) {
      for (int i = 0; i < count; i++) {
        b[i] = (float) (0.5 + random.nextGaussian() * 0.01);
      }
    }
    return b;
  }
}
