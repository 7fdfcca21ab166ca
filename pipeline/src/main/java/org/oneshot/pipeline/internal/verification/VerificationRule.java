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
    int matches = 0;
    double sum = 0;
    for (double s : scores) {
      matches += s >= detectionThreshold ? 1 : 0;
      sum += s;
    }
    double fraction = (double) matches / scores.length;
    return new Decision(
        scores.clone(), matches, fraction, sum / scores.length, fraction > verificationThreshold);
  }
}
