package org.oneshot.pipeline.internal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoreClockTest {
  @Test
  void theChainIsTheShiftAndXorItSaysItIs() {
    long x = 12345;
    for (int i = 0; i < 10; i++) {
      x = (x << 1) ^ (x >>> 3);
    }
    assertEquals(x, CoreClock.chain(12345, 10));
    assertEquals(7, CoreClock.chain(7, 0));
  }

  @Test
  void measuresAClockACpuCouldHave() {
    // Not a timing assertion: any x86-64 core of the last twenty years runs between these.
    double ghz = CoreClock.measureGigahertz();
    assertTrue(ghz > 0.3 && ghz < 10, ghz + " GHz");
  }
}
