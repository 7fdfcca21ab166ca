package org.oneshot.pipeline.internal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettlingTest {
  /** The windows it took to settle, fed {@code speeds} one by one; -1: never. */
  private static int settlesAfter(Settling settling, double... speeds) {
    for (int i = 0; i < speeds.length; i++) {
      settling.window(speeds[i]);
      if (settling.settled()) {
        return i + 1;
      }
    }
    return -1;
  }

  @Test
  void steadyStepsSettleAsSoonAsTheMinimumAllows() {
    assertEquals(3, settlesAfter(new Settling(3, 0.03), 100, 101, 99, 100));
    assertEquals(6, settlesAfter(new Settling(6, 0.03), 100, 100, 100, 100, 100, 100, 100));
  }

  @Test
  void stepsStillSpeedingUpGoOnUntilTwoWindowsBringNothingNew() {
    // DL4J's small steps: 66 pairs/s after 30 s, 93 after 90.
    Settling settling = new Settling(3, 0.03);
    assertEquals(8, settlesAfter(settling, 60, 66, 72, 80, 88, 93, 94, 93, 95));
    assertEquals(List.of(60.0, 66.0, 72.0, 80.0, 88.0, 93.0, 94.0, 93.0), settling.speeds());
  }

  @Test
  void oneFastWindowAfterAPauseKeepsItGoing() {
    // A dip (the other core busy) then a new high: the last two must both bring nothing new.
    assertEquals(-1, settlesAfter(new Settling(3, 0.03), 80, 70, 90));
    assertEquals(5, settlesAfter(new Settling(3, 0.03), 80, 70, 90, 91, 90));
  }

  @Test
  void slowerWindowsCountAsSettled() {
    Settling settling = new Settling(3, 0.03);
    assertFalse(settling.settled());
    assertEquals(3, settlesAfter(settling, 100, 90, 80));
    assertTrue(settling.settled());
  }

  @Test
  void refusesWhatCannotBeCompared() {
    assertThrows(IllegalArgumentException.class, () -> new Settling(2, 0.03));
    assertThrows(IllegalArgumentException.class, () -> new Settling(3, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new Settling(3, 0.03).window(0));
    assertThrows(IllegalArgumentException.class, () -> new Settling(3, 0.03).window(Double.NaN));
  }
}
