package org.oneshot.pipeline.internal.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerificationRuleTest {
  @Test
  void countsPairsAtOrAboveTheDetectionThresholdAndNeedsMoreThanTheFraction() {
    VerificationRule rule = new VerificationRule(0.3, 0.5);
    VerificationRule.Decision half = rule.decide(new double[] {0.3, 0.9, 0.1, 0.29});
    assertEquals(2, half.matches());
    assertEquals(0.5, half.fraction());
    assertFalse(half.verified(), "the seed's rule: exactly half is not more than half");
    assertTrue(rule.decide(new double[] {0.3, 0.9, 0.4, 0.29}).verified());
    assertEquals(0.4, rule.decide(new double[] {0.3, 0.5}).meanScore(), 1e-12);
  }

  @Test
  void refusesThresholdsOutsideTheirRangeAndAnEmptyGallery() {
    assertThrows(IllegalArgumentException.class, () -> new VerificationRule(1.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new VerificationRule(0.5, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new VerificationRule(Double.NaN, 0.5));
    assertThrows(
        IllegalArgumentException.class, () -> new VerificationRule(0.5, 0.5).decide(new double[0]));
  }

  @Test
  void theDecisiveScoreReachesTheThresholdExactlyWhenThePersonIsVerified() {
    double[][] cases = {{0.3, 0.9, 0.1, 0.29}, {0.3, 0.9, 0.4, 0.29}, {0.7}, {0.2, 0.8, 0.5}};
    for (double fraction : new double[] {0, 0.5, 0.7}) {
      for (double[] scores : cases) {
        double decisive = VerificationRule.decisiveScore(scores, fraction);
        for (double t : new double[] {0, 0.1, 0.29, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9, 1}) {
          assertEquals(
              new VerificationRule(t, fraction).decide(scores).verified(),
              decisive >= t,
              "fraction " + fraction + ", threshold " + t);
          assertEquals(
              VerificationRule.verified(scores, t, fraction),
              new VerificationRule(t, fraction).decide(scores).verified());
        }
      }
    }
    // 0.29 × 100 is 28.999… in floating point: 30 matches are needed, not 29.
    double[] hundred = new double[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = i / 100.0;
    }
    double decisive = VerificationRule.decisiveScore(hundred, 0.29);
    assertTrue(VerificationRule.verified(hundred, decisive, 0.29));
    assertFalse(VerificationRule.verified(hundred, Math.nextUp(decisive), 0.29));
    // Three of four must match to exceed half: the third highest score decides.
    assertEquals(0.29, VerificationRule.decisiveScore(new double[] {0.3, 0.9, 0.1, 0.29}, 0.5));
  }
}
