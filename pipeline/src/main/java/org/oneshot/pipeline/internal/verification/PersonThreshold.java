package org.oneshot.pipeline.internal.verification;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.oneshot.api.model.Metrics;

/**
 * A detection threshold fitted to one enrolled person: it separates the scores of pairs among their
 * own verification images (genuine) from those of their images against other people's, the cohort
 * (impostors), with the fewest errors when both kinds weigh the same — genuine pairs are few (10
 * for 5 images) and cohort pairs many.
 *
 * <p>Why: a model's own threshold is chosen on pairs of the people it trained on, which it
 * separates by a wide gap; the same-person pairs of someone it never saw score lower, and a fixed
 * threshold rejects a fifth to a third of them (AT&T's unseen people). A person's own images show
 * how high their genuine pairs score under this very network.
 */
public final class PersonThreshold {
  private PersonThreshold() {}

  /**
   * The person's threshold for network probabilities, empty without two verification images or a
   * cohort.
   *
   * @param own {@code own[i][j]}: the score of verification image i against verification image j
   * @param cohort each cohort image's scores against the person's verification images
   * @param verificationThreshold the fraction of matches a person must exceed
   */
  public static OptionalDouble fit(
      double[][] own, List<double[]> cohort, double verificationThreshold) {
    return fit(own, cohort, verificationThreshold, true);
  }

  /** As {@link #fit(double[][], List, double)} for scores on any scale, e.g. negative distances. */
  public static OptionalDouble fitScores(
      double[][] own, List<double[]> cohort, double verificationThreshold) {
    return fit(own, cohort, verificationThreshold, false);
  }

  private static OptionalDouble fit(
      double[][] own, List<double[]> cohort, double verificationThreshold, boolean probabilities) {
    if (own.length < 2) {
      return OptionalDouble.empty();
    }
    double[] genuine = new double[own.length];
    for (int i = 0; i < own.length; i++) {
      double[] others = new double[own.length - 1];
      for (int j = 0, o = 0; j < own.length; j++) {
        if (j != i) {
          others[o++] = own[i][j]; // an image against itself would make it look too easy
        }
      }
      genuine[i] = VerificationRule.decisiveScore(others, verificationThreshold);
    }
    double[] impostor = new double[cohort.size()];
    for (int c = 0; c < impostor.length; c++) {
      impostor[c] = VerificationRule.decisiveScore(cohort.get(c), verificationThreshold);
    }
    return between(genuine, impostor, probabilities);
  }

  /**
   * The balanced threshold between the two kinds of attempt ({@link
   * Metrics#balancedProbabilityThreshold} for probabilities, {@link Metrics#balancedThreshold} for
   * scores on other scales); empty when either kind has none.
   */
  static OptionalDouble between(double[] genuine, double[] impostor, boolean probabilities) {
    if (genuine.length == 0 || impostor.length == 0) {
      return OptionalDouble.empty();
    }
    double[] scores = new double[genuine.length + impostor.length];
    int[] labels = new int[scores.length];
    System.arraycopy(genuine, 0, scores, 0, genuine.length);
    System.arraycopy(impostor, 0, scores, genuine.length, impostor.length);
    Arrays.fill(labels, 0, genuine.length, 1);
    return OptionalDouble.of(
        probabilities
            ? Metrics.balancedProbabilityThreshold(scores, labels).threshold()
            : Metrics.balancedThreshold(scores, labels).threshold());
  }
}
