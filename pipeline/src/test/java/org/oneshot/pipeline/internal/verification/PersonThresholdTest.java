package org.oneshot.pipeline.internal.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PersonThresholdTest {
  /** Three verification images whose pairs score 0.2 to 0.4: a person the model finds hard. */
  private static final double[][] OWN = {
    {1.0, 0.2, 0.4}, {0.2, 1.0, 0.3}, {0.4, 0.3, 1.0},
  };

  @Test
  void sitsBetweenThePersonsRehearsedAttemptsAndTheCohortsOnTheLogitScale() {
    // Each image against the other two, more than half must match: its lower score decides
    // (0.2, 0.2, 0.3); a cohort face's second highest score decides (0.01, 0.002).
    List<double[]> cohort =
        List.of(new double[] {0.01, 0.02, 0.001}, new double[] {0.001, 0.002, 0.003});
    double t = PersonThreshold.fit(OWN, cohort, 0.5).orElseThrow();
    // Between 0.01 (the cohort's highest decisive score) and 0.2, at their logit mean.
    double expected = 1 / (1 + Math.exp(-(logit(0.01) + logit(0.2)) / 2));
    assertEquals(expected, t, 1e-9);
    assertTrue(t < 0.072, "below a model's own threshold fitted to trained people: " + t);
    // Every rehearsed attempt is then decided right.
    for (double[] c : cohort) {
      assertFalse(new VerificationRule(t, 0.5).decide(c).verified());
    }
    assertTrue(new VerificationRule(t, 0.5).decide(new double[] {0.2, 0.4}).verified());
  }

  @Test
  void weighsBothKindsOfAttemptAlikeHoweverManyImpostorsThereAre() {
    // Three impostors scoring like the person, seventeen far below: counted pair by pair,
    // rejecting two of the person's three attempts (2 errors) would beat accepting the three
    // impostors (3 errors); weighed by kind, 2/3 of the person's attempts cost more than 3/20.
    List<double[]> cohort = new java.util.ArrayList<>();
    for (int i = 0; i < 17; i++) {
      cohort.add(new double[] {0.001, 0.001, 0.001});
    }
    for (int i = 0; i < 3; i++) {
      cohort.add(new double[] {0.25, 0.25, 0.25});
    }
    double t = PersonThreshold.fit(OWN, cohort, 0.5).orElseThrow();
    assertTrue(t <= 0.2, "the person's attempts stay accepted: " + t);
  }

  @Test
  void needsTwoImagesAndACohort() {
    assertEquals(
        OptionalDouble.empty(),
        PersonThreshold.fit(new double[][] {{1.0}}, List.of(new double[] {0.1}), 0.5));
    assertEquals(OptionalDouble.empty(), PersonThreshold.fit(OWN, List.of(), 0.5));
  }

  @Test
  void fitsScoresOnAnyScaleWithPlainMidpoints() {
    double[][] distances = {{0, -2, -4}, {-2, 0, -3}, {-4, -3, 0}};
    double t =
        PersonThreshold.fitScores(distances, List.of(new double[] {-9, -8, -10}), 0.5)
            .orElseThrow();
    assertEquals((-9 + -4) / 2.0, t, 1e-12); // the cohort's decisive -9, the person's lowest -4
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }
}
