package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NativeMemoryBoundTest {
  private static final long GIB = 1L << 30;

  private final AtomicLong resident = new AtomicLong();
  private final AtomicInteger collections = new AtomicInteger();
  private final NativeMemoryBound bound =
      new NativeMemoryBound(8 * GIB, resident::get, collections::incrementAndGet);

  @Test
  void collectsNothingBelowTheThreshold() {
    resident.set(8 * GIB);
    assertFalse(bound.check());
    assertEquals(0, collections.get());
  }

  @Test
  void aProcessThatStaysAboveTheThresholdIsCollectedOnceNotAfterEveryStep() {
    resident.set(10 * GIB);
    assertTrue(bound.check());
    // The resident size stays where it was (freed memory kept for reuse): no more collections.
    for (int step = 0; step < 100; step++) {
      assertFalse(bound.check(), "step " + step);
    }
    assertEquals(1, collections.get());
  }

  @Test
  void growingOnAboveTheThresholdIsCollectedAgain() {
    resident.set(10 * GIB);
    bound.check();
    resident.set(11 * GIB);
    assertFalse(bound.check(), "1 GiB of growth is still allowed");
    resident.set(11 * GIB + 1);
    assertTrue(bound.check());
    assertEquals(2, collections.get());
  }
}
