package org.oneshot.api;

/** How the learning rate moves over a training run, step by step. */
public enum LearningRateSchedule {
  /** The initial rate throughout (SGD still applies its per-epoch decay). */
  CONSTANT,
  /**
   * Half a cosine from the initial rate at the first step down to {@link #COSINE_FLOOR} of it at
   * the last step of the last epoch: large steps while the network finds its way, small ones to
   * settle.
   */
  COSINE;

  /** The fraction of the initial rate that {@link #COSINE} ends at. */
  public static final double COSINE_FLOOR = 0.02;

  /**
   * The factor on the initial rate at {@code step} (0-based) of {@code totalSteps}.
   *
   * @throws IllegalArgumentException when {@code totalSteps} is not positive
   */
  public double factor(long step, long totalSteps) {
    return at(progress(step, totalSteps));
  }

  /**
   * How far {@code step} (0-based) is through {@code totalSteps}: 0 at the first, 1 at the last.
   *
   * @throws IllegalArgumentException when {@code totalSteps} is not positive
   */
  public static double progress(long step, long totalSteps) {
    if (totalSteps <= 0) {
      throw new IllegalArgumentException("total steps must be positive: " + totalSteps);
    }
    return (double) step / Math.max(1, totalSteps - 1);
  }

  /**
   * The factor on the initial rate at {@code progress} through the run, from 0 (the first step) to
   * 1 (the last); beyond 1 it stays at the last step's. A time-limited run passes the larger of its
   * step and time fractions.
   */
  public double at(double progress) {
    double p = Math.max(0.0, Math.min(1.0, progress));
    return switch (this) {
      case CONSTANT -> 1;
      case COSINE -> COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * p));
    };
  }
}
