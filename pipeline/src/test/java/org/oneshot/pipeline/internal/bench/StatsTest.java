package org.oneshot.pipeline.internal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void nearestRankPercentiles() {
    double[] v = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
    assertEquals(5, Stats.median(v));
    assertEquals(10, Stats.percentile(v, 99));
    assertEquals(1, Stats.percentile(v, 1));
  }

  @Test
  void peakDerivationMultipliesItsFactors() {
    CpuPeak peak = new CpuPeak("test", 2, 2, 16, "AVX-512", 2.5, 0);
    assertEquals(2 * 2 * 16 * 2 * 2.5, peak.gflops(), 1e-9);
    assertTrue(peak.derivation().contains("= 320 GFLOP/s"), peak.derivation());
    assertTrue(CpuPeak.ofThisMachine().cores() >= 1);
  }

  @Test
  void theFasterOfTheReportedAndMeasuredClocksDerivesThePeak() {
    // A virtual machine's cpuinfo gives its nominal clock; the cores run faster.
    CpuPeak turbo = new CpuPeak("test", 2, 2, 16, "AVX-512", 2.6, 4.14);
    assertEquals(4.14, turbo.gigahertz());
    assertEquals(2 * 2 * 16 * 2 * 4.14, turbo.gflops(), 1e-9);
    assertTrue(
        turbo.derivation().contains("× 4.14 GHz = 530 GFLOP/s")
            && turbo.derivation().contains("clock measured 4.14 GHz, /proc/cpuinfo 2.60"),
        turbo.derivation());
    // A measurement the machine held back does not lower the peak below the reported clock.
    assertEquals(2.6, new CpuPeak("test", 2, 2, 16, "AVX-512", 2.6, 1.2).gigahertz());
  }
}
