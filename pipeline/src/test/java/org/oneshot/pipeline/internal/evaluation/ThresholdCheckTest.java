package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThresholdCheckTest {
  @Test
  void countsFalseAcceptsAndRejectsAsFaceVerifyDecidesPairs() {
    double[] scores = {0.9, 0.6, 0.4, 0.2, 0.7, 0.4, 0.1, 0.05};
    int[] labels = {1, 1, 1, 1, 0, 0, 0, 0};

    ThresholdCheck check = ThresholdCheck.of(0.4, scores, labels);

    // Same pairs: 0.2 falls below 0.4 (one false reject of four); a score equal to the threshold
    // is accepted, as VerificationRule does. Different pairs: 0.7 and 0.4 pass (two of four).
    assertEquals(0.4, check.threshold());
    assertEquals(0.25, check.falseRejectRate());
    assertEquals(0.5, check.falseAcceptRate());
    assertEquals(5.0 / 8, check.accuracy());
  }

  @Test
  void aThresholdAboveEveryScoreRejectsEverySamePair() {
    ThresholdCheck check = ThresholdCheck.of(0.95, new double[] {0.9, 0.1}, new int[] {1, 0});
    assertEquals(1.0, check.falseRejectRate());
    assertEquals(0.0, check.falseAcceptRate());
    assertEquals(0.5, check.accuracy());
  }
}
