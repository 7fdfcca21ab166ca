package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelRaceTest {
  @Test
  void alternatesUntilBothHaveTheirTimingsThenKeepsTheFaster() {
    KernelRace race = new KernelRace(1, 3);
    int calls = 0;
    while (race.winner().isEmpty()) {
      boolean helpers = race.nextWithHelpers();
      assertEquals(calls % 2 == 0, helpers, "call " + calls);
      race.record(helpers, helpers ? 5_000 : 2_000, 1);
      calls++;
    }
    assertEquals(8, calls); // (1 untimed + 3 timed) of each
    assertEquals(Optional.of(false), race.winner());
    for (int i = 0; i < 5; i++) {
      assertFalse(race.nextWithHelpers());
    }
  }

  @Test
  void untimedCallsDoNotCount() {
    KernelRace race = new KernelRace(2, 1);
    // oneDNN's first calls build its primitive: slow, and not held against it.
    race.record(true, 1_000_000, 1);
    race.record(true, 1_000_000, 1);
    race.record(false, 3_000, 1);
    race.record(false, 3_000, 1);
    race.record(false, 3_000, 1);
    assertTrue(race.record(true, 2_000, 1));
    assertEquals(Optional.of(true), race.winner());
  }

  @Test
  void comparesTimePerImageAndByTheMedian() {
    KernelRace race = new KernelRace(0, 3);
    // oneDNN ran the big batches (64 images) at 2 µs an image; libnd4j the small ones at 3 µs.
    race.record(true, 128_000, 64);
    race.record(false, 24_000, 8);
    // One call the other thread held up does not decide it.
    race.record(true, 9_000_000, 64);
    race.record(false, 24_000, 8);
    race.record(true, 128_000, 64);
    assertTrue(race.record(false, 24_000, 8));
    assertEquals(Optional.of(true), race.winner());
    assertEquals("oneDNN 2.0 µs, libnd4j 3.0 µs an image", race.summary());
    assertFalse(race.record(false, 1, 1), "decided once");
    assertEquals(Optional.of(true), race.winner());
  }

  @Test
  void refusesARaceWithoutTimings() {
    assertThrows(IllegalArgumentException.class, () -> new KernelRace(1, 0));
    assertThrows(IllegalArgumentException.class, () -> new KernelRace(-1, 3));
  }
}
