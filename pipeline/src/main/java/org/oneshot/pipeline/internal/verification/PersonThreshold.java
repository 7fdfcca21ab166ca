package org.oneshot.pipeline.internal.verification;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleBinaryOperator;

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
    return probabilities ? ofProbabilities(genuine, impostor) : ofScores(genuine, impostor);
  }

  /**
   * The threshold for probabilities: between two neighbouring scores it sits at their mean on the
   * logit scale, as the model's own threshold does. Empty when either kind has no score.
   */
  static OptionalDouble ofProbabilities(double[] genuine, double[] impostor) {
    return fit(genuine, impostor, (low, high) -> sigmoid((logit(low) + logit(high)) / 2));
  }

  /** The threshold for scores on any scale (e.g. negative distances): plain midpoints. */
  static OptionalDouble ofScores(double[] genuine, double[] impostor) {
    return fit(genuine, impostor, (low, high) -> (low + high) / 2);
  }

  private static OptionalDouble fit(
      double[] genuine, double[] impostor, DoubleBinaryOperator between) {
    if (genuine.length == 0 || impostor.length == 0) {
      return OptionalDouble.empty();
    }
    double[] g = genuine.clone();
    double[] i = impostor.clone();
    Arrays.sort(g);
    Arrays.sort(i);
    // Walk the threshold up through every score; below all of them every pair is accepted: no
    // false rejects, every impostor pair a false accept (weight 1 in all).
    double wg = 1.0 / g.length;
    double wi = 1.0 / i.length;
    double error = 1;
    double best = error;
    double threshold = Math.min(g[0], i[0]);
    int a = 0;
    int b = 0;
    while (a < g.length || b < i.length) {
      double s =
          Math.min(
              a < g.length ? g[a] : Double.POSITIVE_INFINITY,
              b < i.length ? i[b] : Double.POSITIVE_INFINITY);
      while (a < g.length && g[a] == s) {
        error += wg; // this genuine pair now falls below: rejected
        a++;
      }
      while (b < i.length && i[b] == s) {
        error -= wi; // this impostor pair now falls below: rejected, rightly
        b++;
      }
      if (error < best - 1e-12) {
        best = error;
        double next =
            Math.min(
                a < g.length ? g[a] : Double.POSITIVE_INFINITY,
                b < i.length ? i[b] : Double.POSITIVE_INFINITY);
        threshold = Double.isFinite(next) ? between.applyAsDouble(s, next) : Math.nextUp(s);
      }
    }
    return OptionalDouble.of(threshold);
  }

  private static double logit(double p) {
    double q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
    return Math.log(q / (1 - q));
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
