package org.oneshot.pipeline.internal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine's fp32 peak, derived from what the CPU says of itself: cores × FMA units × SIMD lanes
 * × 2 (an FMA is two operations) × clock. Two FMA units per core is what current x86-64 server
 * cores have; the clock is the faster of the one /proc/cpuinfo reports and the one {@link
 * CoreClock} measures (a virtual machine's cpuinfo gives a nominal clock that turbo exceeds), so
 * that a share of the peak errs low rather than high.
 *
 * @param reportedGigahertz the clock /proc/cpuinfo gives; 0 where it gives none
 * @param measuredGigahertz the clock measured; 0 where not measured
 */
public record CpuPeak(
    String model,
    int cores,
    int fmaUnits,
    int lanes,
    String simd,
    double reportedGigahertz,
    double measuredGigahertz) {

  /** The clock the peak is derived with. */
  public double gigahertz() {
    return Math.max(reportedGigahertz, measuredGigahertz);
  }

  public double gflops() {
    return cores * fmaUnits * lanes * 2 * gigahertz();
  }

  /** How the figure was derived, for the table. */
  public String derivation() {
    return String.format(
        Locale.ROOT,
        "%d cores × %d FMA units × %d fp32 lanes (%s) × 2 × %.2f GHz = %.0f GFLOP/s (%s; clock"
            + " measured %.2f GHz, /proc/cpuinfo %.2f)",
        cores,
        fmaUnits,
        lanes,
        simd,
        gigahertz(),
        gflops(),
        model,
        measuredGigahertz,
        reportedGigahertz);
  }

  public static CpuPeak ofThisMachine() {
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
    } catch (IOException e) {
      lines = List.of();
    }
    String model = field(lines, "model name", "unknown CPU");
    String flags = " " + field(lines, "flags", "") + " ";
    double mhz;
    try {
      mhz = Double.parseDouble(field(lines, "cpu MHz", "0"));
    } catch (NumberFormatException e) {
      mhz = 0;
    }
    boolean fma = flags.contains(" fma ");
    double measured = CoreClock.measureGigahertz();
    if (flags.contains(" avx512f ")) {
      return new CpuPeak(model, cores, 2, 16, "AVX-512", mhz / 1000, measured);
    }
    if (flags.contains(" avx2 ") && fma) {
      return new CpuPeak(model, cores, 2, 8, "AVX2+FMA", mhz / 1000, measured);
    }
    return new CpuPeak(model, cores, 1, 4, "SSE", mhz / 1000, measured);
  }

  private static String field(List<String> lines, String name, String absent) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return absent;
  }
}
