package org.oneshot.pipeline.internal.bench;

/**
 * The clock a core runs at, measured: a chain of dependent steps of known latency, timed. Each step
 * is a shift and an xor of the shifted value, one cycle each on every x86-64 core, and each waits
 * for the one before, so a step takes two cycles however wide the core is. Why: /proc/cpuinfo gives
 * a virtual machine's nominal or TSC clock (2.60 GHz on an AMD Zen 5 whose cores ran at 4.14), and
 * a peak derived from it let DJL's {@code koch} steps read 110% of the fp32 peak.
 */
public final class CoreClock {
  /** Cycles of one step of {@link #chain}: a shift, then an xor that needs its result. */
  static final int CYCLES_PER_STEP = 2;

  private static final int STEPS_PER_ROUND = 20_000_000;
  private static final int ROUNDS = 30;

  private CoreClock() {}

  /**
   * The fastest of {@value #ROUNDS} timed rounds, in GHz (about half a second in all): the fastest,
   * because the JIT compiles the chain during the first rounds and another process may take the
   * core during any of them.
   */
  public static double measureGigahertz() {
    long sink = 0;
    double best = 0;
    for (int r = 0; r < ROUNDS; r++) {
      long start = System.nanoTime();
      sink += chain(r + 1, STEPS_PER_ROUND);
      long nanos = System.nanoTime() - start;
      best = Math.max(best, (double) CYCLES_PER_STEP * STEPS_PER_ROUND / nanos);
    }
    // The chain's result is used, so the JIT cannot drop the loop.
    return sink == 42 ? best + Double.MIN_VALUE : best;
  }

  /** {@code steps} dependent shift-and-xor steps from {@code x}. */
  static long chain(long x, int steps) {
    for (int i = 0; i < steps; i++) {
      x = (x << 1) ^ (x >>> 3);
    }
    return x;
  }
}
