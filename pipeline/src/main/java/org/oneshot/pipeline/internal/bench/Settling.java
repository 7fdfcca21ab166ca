package org.oneshot.pipeline.internal.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether training steps have stopped speeding up: fed the speed of each warm-up window (the
 * pairs/s of a few seconds of steps), it calls them settled once the warm-up has had its minimum
 * number of windows and neither of the last two is more than {@code tolerance} faster than the
 * fastest before them. Why: DL4J's steps keep speeding up for minutes (the JIT, SameDiff's caches,
 * libnd4j's memory), where PyTorch and DJL settle within a few steps; a fixed warm-up timed DL4J's
 * {@code small} steps at 66 pairs/s where 90 s of warm-up gave 93 (README, face:bench).
 */
public final class Settling {
  private final int minimumWindows;
  private final double tolerance;
  private final List<Double> speeds = new ArrayList<>();

  /**
   * @param minimumWindows windows before anything counts as settled (at least 3: the last two are
   *     compared with the ones before them)
   * @param tolerance how much faster than the best before a window may be and still count as
   *     settled, 0.03 for 3%
   */
  public Settling(int minimumWindows, double tolerance) {
    if (minimumWindows < 3 || tolerance < 0) {
      throw new IllegalArgumentException(
          "minimum windows " + minimumWindows + " (at least 3), tolerance " + tolerance);
    }
    this.minimumWindows = minimumWindows;
    this.tolerance = tolerance;
  }

  /** Records one window's speed (pairs/s; any rate where more is faster). */
  public void window(double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("a window's speed must be positive: " + speed);
    }
    speeds.add(speed);
  }

  public boolean settled() {
    int n = speeds.size();
    if (n < minimumWindows) {
      return false;
    }
    double best = 0;
    for (double s : speeds.subList(0, n - 2)) {
      best = Math.max(best, s);
    }
    double bound = best * (1 + tolerance);
    return speeds.get(n - 2) <= bound && speeds.get(n - 1) <= bound;
  }

  /** The windows' speeds so far, in order. */
  public List<Double> speeds() {
    return List.copyOf(speeds);
  }
}
