package org.oneshot.api.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.IntStream;

/** Pair-verification figures from scores (higher = more alike) and labels (1 same, 0 not). */
public final class Metrics {
  private Metrics() {}

  /** A decision rule: same when score ≥ threshold; and its accuracy on the pairs it came from. */
  public record Threshold(double threshold, double accuracy) {}

  /**
   * The threshold that classifies these pairs best, and its accuracy; between two scores it sits at
   * their mean.
   */
  public static Threshold bestThreshold(double[] scores, int[] labels) {
    return bestThreshold(scores, labels, (low, high) -> (low + high) / 2);
  }

  /**
   * As {@link #bestThreshold(double[], int[])} for probabilities (a sigmoid of the network's
   * logit), but between two scores the threshold sits at their mean on the logit scale, the scale
   * the network computes on. A network separates the pairs of people it trained on by a wide gap,
   * from near 0 to well above it; the mean of the probabilities lands high in that gap (0.19–0.28
   * for the pretrained faces recipe), where unseen people's same-person pairs, which score lower,
   * fall below it (34–51% rejected on AT&T's unseen people). The logit mean sits lower.
   */
  public static Threshold bestProbabilityThreshold(double[] probabilities, int[] labels) {
    return bestThreshold(
        probabilities, labels, (low, high) -> sigmoid((logit(low) + logit(high)) / 2));
  }

  /**
   * As {@link #bestProbabilityThreshold}, but the two kinds of pair weigh the same however many of
   * each there are: the threshold with the fewest false accepts and false rejects as shares of
   * their kind, and its balanced accuracy (the mean of the two shares decided right). For a few
   * same-person pairs against many others, where plain accuracy would give up the few.
   */
  public static Threshold balancedProbabilityThreshold(double[] probabilities, int[] labels) {
    return bestThreshold(
        probabilities,
        labels,
        (low, high) -> sigmoid((logit(low) + logit(high)) / 2),
        balancedWeights(labels));
  }

  /** As {@link #balancedProbabilityThreshold} for scores on any scale: plain midpoints. */
  public static Threshold balancedThreshold(double[] scores, int[] labels) {
    return bestThreshold(scores, labels, (low, high) -> (low + high) / 2, balancedWeights(labels));
  }

  /** Weights of a same-person pair and of a different-person pair, each kind summing to 1. */
  private static double[] balancedWeights(int[] labels) {
    int positives = Arrays.stream(labels).sum();
    int negatives = labels.length - positives;
    return new double[] {
      negatives == 0 ? 0 : 1.0 / negatives, positives == 0 ? 0 : 1.0 / positives
    };
  }

  private static double logit(double p) {
    double q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
    return Math.log(q / (1 - q));
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  private static Threshold bestThreshold(
      double[] scores, int[] labels, DoubleBinaryOperator between) {
    return bestThreshold(scores, labels, between, new double[] {1, 1});
  }

  /**
   * The walk behind every best threshold: up through the sorted scores, each pair passed counting
   * {@code weights[label]} for or against.
   */
  private static Threshold bestThreshold(
      double[] scores, int[] labels, DoubleBinaryOperator between, double[] weights) {
    int n = scores.length;
    if (n == 0) {
      return new Threshold(0.5, Double.NaN);
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double total = 0;
    double correct = 0;
    for (int label : labels) {
      total += weights[label];
      correct += label == 1 ? weights[1] : 0; // threshold below everything: all called "same"
    }
    double best = correct;
    double bestThreshold = scores[order[0]] - 1e-6;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      // pair i now falls below the threshold: "different"
      correct += labels[i] == 1 ? -weights[1] : weights[0];
      boolean tie = k + 1 < n && scores[order[k + 1]] == scores[i];
      if (!tie && correct > best + 1e-12) {
        best = correct;
        bestThreshold =
            k + 1 < n ? between.applyAsDouble(scores[i], scores[order[k + 1]]) : scores[i] + 1e-6;
      }
    }
    return new Threshold(bestThreshold, best / total);
  }

  /** Accuracy of {@code threshold} on these pairs. */
  public static double accuracy(double[] scores, int[] labels, double threshold) {
    int correct = 0;
    for (int i = 0; i < scores.length; i++) {
      correct += (scores[i] >= threshold) == (labels[i] == 1) ? 1 : 0;
    }
    return (double) correct / scores.length;
  }

  /** Mean binary cross-entropy of probabilities. */
  public static double crossEntropy(double[] probabilities, int[] labels) {
    double sum = 0;
    for (int i = 0; i < probabilities.length; i++) {
      double p = Math.min(Math.max(probabilities[i], 1e-7), 1 - 1e-7);
      sum -= labels[i] == 1 ? Math.log(p) : Math.log(1 - p);
    }
    return sum / probabilities.length;
  }

  /** Area under the ROC curve (probability that a same pair outscores a different one). */
  public static double rocAuc(double[] scores, int[] labels) {
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double rankSum = 0;
    int positives = 0;
    for (int k = 0; k < order.length; ) {
      int end = k;
      while (end + 1 < order.length && scores[order[end + 1]] == scores[order[k]]) {
        end++;
      }
      double rank = (k + end) / 2.0 + 1; // average rank of a tie group
      for (int j = k; j <= end; j++) {
        if (labels[order[j]] == 1) {
          rankSum += rank;
          positives++;
        }
      }
      k = end + 1;
    }
    int negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /**
   * The equal-error rate: where the false-accept rate (different pairs called same) meets the
   * false-reject rate (same pairs called different), over all thresholds.
   */
  public static double equalErrorRate(double[] scores, int[] labels) {
    int positives = Arrays.stream(labels).sum();
    if (positives == 0 || positives == scores.length) {
      return Double.NaN;
    }
    // Walk the ROC curve (thresholds from high to low) to where FAR and FRR = 1 - TAR are closest.
    Roc roc = roc(scores, labels);
    double best = 1;
    double bestGap = Double.POSITIVE_INFINITY;
    for (int k = 0; k < roc.falseAcceptRate().length; k++) {
      double far = roc.falseAcceptRate()[k];
      double frr = 1 - roc.trueAcceptRate()[k];
      if (Math.abs(far - frr) < bestGap) {
        bestGap = Math.abs(far - frr);
        best = (far + frr) / 2;
      }
    }
    return best;
  }

  /**
   * Accuracy with the threshold chosen by k-fold cross-validation: for each fold, the best
   * threshold on the other folds is applied to it; the mean over folds. Pairs are assigned to folds
   * in the order given (shuffle them first).
   */
  public static double crossValidatedAccuracy(double[] scores, int[] labels, int folds) {
    int n = scores.length;
    double sum = 0;
    int used = 0;
    for (int f = 0; f < folds; f++) {
      int from = (int) ((long) n * f / folds);
      int to = (int) ((long) n * (f + 1) / folds);
      if (to <= from) {
        continue;
      }
      double[] trainScores = new double[n - (to - from)];
      int[] trainLabels = new int[trainScores.length];
      for (int i = 0, j = 0; i < n; i++) {
        if (i < from || i >= to) {
          trainScores[j] = scores[i];
          trainLabels[j++] = labels[i];
        }
      }
      double threshold = bestThreshold(trainScores, trainLabels).threshold();
      sum +=
          accuracy(
              Arrays.copyOfRange(scores, from, to),
              Arrays.copyOfRange(labels, from, to),
              threshold);
      used++;
    }
    return sum / used;
  }

  /** A ROC curve: false-accept rate (x) and true-accept rate (y), from (0,0) to (1,1). */
  public record Roc(double[] falseAcceptRate, double[] trueAcceptRate) {}

  /** The ROC curve of these scores, one point per distinct score. */
  public static Roc roc(double[] scores, int[] labels) {
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
    int positives = Arrays.stream(labels).sum();
    int negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException("a ROC curve needs both same and different pairs");
    }
    double[] far = new double[scores.length + 1];
    double[] tar = new double[scores.length + 1];
    int points = 1;
    int falseAccepts = 0;
    int trueAccepts = 0;
    for (int k = 0; k < order.length; k++) {
      if (labels[order[k]] == 1) {
        trueAccepts++;
      } else {
        falseAccepts++;
      }
      if (k + 1 < order.length && scores[order[k + 1]] == scores[order[k]]) {
        continue;
      }
      far[points] = (double) falseAccepts / negatives;
      tar[points] = (double) trueAccepts / positives;
      points++;
    }
    return new Roc(Arrays.copyOf(far, points), Arrays.copyOf(tar, points));
  }

  /**
   * Accuracy per fold when the folds are given (LFW's View 2): for each fold, the threshold that is
   * best on all the other folds, applied to it.
   *
   * @param fold the fold of each pair, 0 to {@code folds - 1}
   */
  public static double[] foldAccuracies(double[] scores, int[] labels, int[] fold, int folds) {
    double[] result = new double[folds];
    for (int f = 0; f < folds; f++) {
      int inFold = 0;
      for (int x : fold) {
        inFold += x == f ? 1 : 0;
      }
      double[] trainScores = new double[scores.length - inFold];
      int[] trainLabels = new int[trainScores.length];
      double[] testScores = new double[inFold];
      int[] testLabels = new int[inFold];
      for (int i = 0, tr = 0, te = 0; i < scores.length; i++) {
        if (fold[i] == f) {
          testScores[te] = scores[i];
          testLabels[te++] = labels[i];
        } else {
          trainScores[tr] = scores[i];
          trainLabels[tr++] = labels[i];
        }
      }
      result[f] =
          inFold == 0
              ? Double.NaN
              : accuracy(
                  testScores, testLabels, bestThreshold(trainScores, trainLabels).threshold());
    }
    return result;
  }
}
