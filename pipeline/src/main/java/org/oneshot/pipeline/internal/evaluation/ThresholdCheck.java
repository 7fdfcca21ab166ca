package org.oneshot.pipeline.internal.evaluation;

import java.util.OptionalDouble;

/**
 * How one fixed threshold does on a protocol's pairs: the model's own, chosen on its validation
 * pairs when it trained, which {@code face:verify} uses unless told otherwise. The protocol's
 * accuracy picks its threshold on the evaluation pairs themselves (by cross-validation), which a
 * user verifying a new person cannot do; this is what such a user gets.
 *
 * @param threshold the score at or above which a pair counts as the same person
 * @param accuracy share of the pairs decided right
 * @param falseAcceptRate share of the different-person pairs called the same
 * @param falseRejectRate share of the same-person pairs called different
 */
public record ThresholdCheck(
    double threshold, double accuracy, double falseAcceptRate, double falseRejectRate) {

  /** {@link #of} for the model's threshold, or null when it has none (no check to report). */
  static ThresholdCheck ofModel(OptionalDouble threshold, double[] scores, int[] labels) {
    return threshold.isPresent() ? of(threshold.getAsDouble(), scores, labels) : null;
  }

  /** {@code threshold} applied to {@code scores} of pairs labelled 1 (same) or 0 (different). */
  static ThresholdCheck of(double threshold, double[] scores, int[] labels) {
    int same = 0;
    int different = 0;
    int falseAccepts = 0;
    int falseRejects = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean accepted = scores[i] >= threshold; // as VerificationRule decides a pair
      if (labels[i] == 1) {
        same++;
        falseRejects += accepted ? 0 : 1;
      } else {
        different++;
        falseAccepts += accepted ? 1 : 0;
      }
    }
    return new ThresholdCheck(
        threshold,
        (double) (scores.length - falseAccepts - falseRejects) / scores.length,
        different == 0 ? Double.NaN : (double) falseAccepts / different,
        same == 0 ? Double.NaN : (double) falseRejects / same);
  }
}
