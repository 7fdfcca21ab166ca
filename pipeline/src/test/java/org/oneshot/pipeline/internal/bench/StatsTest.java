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
    CpuPeak peak = new CpuPeak("test", 2, 2, 16, "AVX-512", 2.5);
    assertEquals(2 * 2 * 16 * 2 * 2.5, peak.gflops(), 1e-9);
    assertTrue(peak.derivation().contains("= 320 GFLOP/s"), peak.derivation());
    assertTrue(CpuPeak.ofThisMachine().cores() >= 1);
  }
}
