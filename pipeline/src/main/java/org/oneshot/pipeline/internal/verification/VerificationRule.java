package org.oneshot.pipeline.internal.verification;

/**
 * The seed's decision: each (probe, verification image) pair is a match when its score reaches the
 * detection threshold; the person is verified when the fraction of matches exceeds the verification
 * threshold.
 */
public record VerificationRule(double detectionThreshold, double verificationThreshold) {
  public VerificationRule {
    if (!(detectionThreshold >= 0 && detectionThreshold <= 1)) {
      throw new IllegalArgumentException(
          "detection threshold must be in [0, 1]: " + detectionThreshold);
    }
    if (!(verificationThreshold >= 0 && verificationThreshold < 1)) {
      throw new IllegalArgumentException(
          "verification threshold must be in [0, 1): " + verificationThreshold);
    }
  }

  /** What the rule makes of one probe's scores against a person's images. */
  public record Decision(
      double[] scores, int matches, double fraction, double meanScore, boolean verified) {}

  public Decision decide(double[] scores) {
    if (scores.length == 0) {
      throw new IllegalArgumentException("no verification images to compare with");
    }
    int matches = matches(scores, detectionThreshold);
    double sum = 0;
    for (double s : scores) {
      sum += s;
    }
    double fraction = (double) matches / scores.length;
    return new Decision(
        scores.clone(), matches, fraction, sum / scores.length, fraction > verificationThreshold);
  }

  /**
   * The rule on scores of any scale (the pixel floor's negative distances too): whether more than
   * {@code verificationThreshold} of them reach {@code detectionThreshold}.
   */
  public static boolean verified(
      double[] scores, double detectionThreshold, double verificationThreshold) {
    return (double) matches(scores, detectionThreshold) / scores.length > verificationThreshold;
  }

  /**
   * The score the decision turns on: the person is verified exactly when this score reaches the
   * detection threshold — the m-th highest of the scores, m the fewest matches that exceed {@code
   * verificationThreshold} of them.
   */
  public static double decisiveScore(double[] scores, double verificationThreshold) {
    double[] sorted = scores.clone();
    java.util.Arrays.sort(sorted);
    // Counted as verified() divides, not as fraction × n rounds (0.29 × 100 = 28.999…).
    int needed = 1;
    while ((double) needed / sorted.length <= verificationThreshold) {
      needed++;
    }
    return sorted[sorted.length - needed];
  }

  private static int matches(double[] scores, double detectionThreshold) {
    int matches = 0;
    for (double s : scores) {
      matches += s >= detectionThreshold ? 1 : 0;
    }
    return matches;
  }
}
