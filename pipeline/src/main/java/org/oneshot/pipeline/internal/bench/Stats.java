package org.oneshot.pipeline.internal.bench;

import java.util.Arrays;

/** Percentiles of a few timings. */
public final class Stats {
  private Stats() {}

  /** The {@code p}-th percentile (0–100) by the nearest-rank method. */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public static double median(double[] values) {
    return percentile(values, 50);
  }

  /** Peak resident memory of this process so far (VmHWM), in bytes; -1 where unknown. */
  public static long peakRssBytes() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
