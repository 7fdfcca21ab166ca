package org.oneshot.pipeline.internal.evaluation;

import org.oneshot.api.model.Metrics;

/**
 * What one scorer achieved on a protocol.
 *
 * @param accuracy the protocol's accuracy (a mean over folds or runs where it has them)
 * @param standardError standard error of that mean over folds or runs; NaN where it has none
 * @param auc area under the ROC curve of all the protocol's pairs
 * @param equalErrorRate where false accepts equal false rejects
 * @param roc the ROC curve
 */
public record Figures(
    double accuracy, double standardError, double auc, double equalErrorRate, Metrics.Roc roc) {

  /** AUC, EER and ROC of these pair scores, with the accuracy worked out by the protocol. */
  static Figures of(double accuracy, double standardError, double[] scores, int[] labels) {
    return new Figures(
        accuracy,
        standardError,
        Metrics.rocAuc(scores, labels),
        Metrics.equalErrorRate(scores, labels),
        Metrics.roc(scores, labels));
  }

  /** Mean and standard error of the mean. */
  static double[] meanAndStandardError(double[] values) {
    double sum = 0;
    int n = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    double mean = sum / n;
    double squares = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        squares += (v - mean) * (v - mean);
      }
    }
    double se = n > 1 ? Math.sqrt(squares / (n - 1)) / Math.sqrt(n) : Double.NaN;
    return new double[] {mean, se};
  }

  /** Index of the highest value; the first of equals. */
  static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  static double[] toArray(java.util.List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
