package org.oneshot.model.dl4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A race between two kernels of one op, oneDNN's and libnd4j's own: the first calls alternate
 * between them, each kernel's first calls (oneDNN builds its primitive on them) are not timed, and
 * once both have {@code timed} timings the faster on the median per image wins every later call.
 * Per image, because one graph op sees batches of different sizes (training steps, embedding
 * batches and the last short batch). Thread-safe: embedding may run on several threads at once.
 */
final class KernelRace {
  private final int untimed;
  private final int timed;
  private final List<Double> withHelpers = new ArrayList<>();
  private final List<Double> withoutHelpers = new ArrayList<>();
  private int calls;
  private int seenWith;
  private int seenWithout;
  private Boolean winner;

  /**
   * @param untimed calls of each kernel not timed (warm-up)
   * @param timed timings of each kernel the race compares
   */
  KernelRace(int untimed, int timed) {
    if (untimed < 0 || timed < 1) {
      throw new IllegalArgumentException("untimed " + untimed + ", timed " + timed);
    }
    this.untimed = untimed;
    this.timed = timed;
  }

  /** Whether the next call runs with oneDNN (platform helpers allowed). */
  synchronized boolean nextWithHelpers() {
    return winner != null ? winner : calls++ % 2 == 0;
  }

  /**
   * Records a call of the kernel {@code withHelpers} chose that took {@code nanos} for {@code
   * images} images; returns true when this call decided the race.
   */
  synchronized boolean record(boolean helpers, long nanos, long images) {
    if (winner != null) {
      return false;
    }
    List<Double> times = helpers ? withHelpers : withoutHelpers;
    int seen = helpers ? ++seenWith : ++seenWithout;
    if (seen <= untimed || times.size() >= timed) {
      return false;
    }
    times.add(nanos / (double) Math.max(1, images));
    if (withHelpers.size() < timed || withoutHelpers.size() < timed) {
      return false;
    }
    winner = median(withHelpers) <= median(withoutHelpers);
    return true;
  }

  /** The kernel that won, true for oneDNN's; empty while the race runs. */
  synchronized Optional<Boolean> winner() {
    return Optional.ofNullable(winner);
  }

  /** Both kernels' median times per image, in words, for the log. */
  synchronized String summary() {
    return String.format(
        Locale.ROOT,
        "oneDNN %.1f µs, libnd4j %.1f µs an image",
        median(withHelpers) / 1e3,
        median(withoutHelpers) / 1e3);
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
