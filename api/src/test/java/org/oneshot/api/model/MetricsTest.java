package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void perfectSeparationScoresOne() {
    double[] scores = {0.1, 0.2, 0.8, 0.9};
    int[] labels = {0, 0, 1, 1};
    Metrics.Threshold best = Metrics.bestThreshold(scores, labels);
    assertEquals(1.0, best.accuracy());
    assertEquals(0.5, best.threshold(), 1e-9);
    assertEquals(1.0, Metrics.rocAuc(scores, labels));
    assertEquals(0.0, Metrics.equalErrorRate(scores, labels));
    assertEquals(1.0, Metrics.crossValidatedAccuracy(scores, labels, 2));
  }

  @Test
  void aProbabilityThresholdSitsMidwayOnTheLogitScale() {
    // A trained network's validation: different people near 0, the same person well above it.
    double[] probabilities = {0.0005, 0.001, 0.5, 0.9};
    int[] labels = {0, 0, 1, 1};
    Metrics.Threshold best = Metrics.bestProbabilityThreshold(probabilities, labels);
    assertEquals(1.0, best.accuracy());
    // logit(0.001) = -6.907, logit(0.5) = 0: the mean -3.453 is probability 0.0307, where the
    // plain mean of the probabilities would be 0.2505.
    assertEquals(0.0307, best.threshold(), 1e-4);
    assertEquals(0.2505, Metrics.bestThreshold(probabilities, labels).threshold(), 1e-9);
    // Both scales agree on which pairs the threshold separates.
    double[] symmetric = {0.1, 0.2, 0.8, 0.9};
    assertEquals(0.5, Metrics.bestProbabilityThreshold(symmetric, labels).threshold(), 1e-9);
  }

  @Test
  void aucCountsTiesAsHalf() {
    assertEquals(0.5, Metrics.rocAuc(new double[] {0.5, 0.5}, new int[] {0, 1}));
    assertEquals(0.75, Metrics.rocAuc(new double[] {0.1, 0.5, 0.5}, new int[] {0, 0, 1}));
  }

  @Test
  void randomScoresSitAtChance() {
    Random random = new Random(3);
    int n = 20_000;
    double[] scores = new double[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      scores[i] = random.nextDouble();
      labels[i] = random.nextInt(2);
    }
    assertEquals(0.5, Metrics.rocAuc(scores, labels), 0.02);
    assertEquals(0.5, Metrics.equalErrorRate(scores, labels), 0.02);
    // Cross-validation does not flatter: chance stays chance.
    assertEquals(0.5, Metrics.crossValidatedAccuracy(scores, labels, 10), 0.02);
  }

  @Test
  void crossEntropyOfCertaintyIsZeroAndOfAGuessLogTwo() {
    assertEquals(0, Metrics.crossEntropy(new double[] {1, 0}, new int[] {1, 0}), 1e-6);
    assertEquals(
        Math.log(2), Metrics.crossEntropy(new double[] {0.5, 0.5}, new int[] {1, 0}), 1e-9);
  }

  @Test
  void rocRunsFromOriginToOneOnePassingEveryDistinctScore() {
    double[] scores = {0.9, 0.8, 0.8, 0.3, 0.1};
    int[] labels = {1, 1, 0, 1, 0};
    Metrics.Roc roc = Metrics.roc(scores, labels);
    assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, roc.falseAcceptRate(), 1e-12);
    assertArrayEquals(new double[] {0, 1 / 3.0, 2 / 3.0, 1, 1}, roc.trueAcceptRate(), 1e-12);
  }

  @Test
  void foldAccuraciesApplyTheOtherFoldsThreshold() {
    // Fold 0 is separable at 0.5; fold 1's own best would be 0.75, but fold 0 decides for it.
    double[] scores = {0.9, 0.2, 0.6, 0.7};
    int[] labels = {1, 0, 1, 0};
    int[] fold = {0, 0, 1, 1};
    double[] acc = Metrics.foldAccuracies(scores, labels, fold, 2);
    assertEquals(0.5, acc[1], 1e-12); // threshold 0.55 from fold 0: both of fold 1 called same
    assertEquals(1.0, acc[0], 1e-12);
  }

  @Test
  void balancedThresholdsWeighEachKindOfPairAlike() {
    // Two same-person pairs (0.5, 0.6) against ten others, two of them at 0.55: counted pair by
    // pair, rejecting the 0.5 pair (1 error) beats accepting the two (2 errors); weighed by kind,
    // 1/2 of the same-person pairs costs more than 2/10 of the others.
    double[] scores = {0.5, 0.6, 0.55, 0.55, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    int[] labels = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertEquals(0.575, Metrics.bestThreshold(scores, labels).threshold(), 1e-12);
    Metrics.Threshold balanced = Metrics.balancedThreshold(scores, labels);
    assertEquals(0.3, balanced.threshold(), 1e-12); // between 0.1 and 0.5
    assertEquals(0.9, balanced.accuracy(), 1e-12); // (1 + 8/10) / 2
    double logitMean = (Math.log(0.1 / 0.9) + Math.log(0.5 / 0.5)) / 2;
    assertEquals(
        1 / (1 + Math.exp(-logitMean)),
        Metrics.balancedProbabilityThreshold(scores, labels).threshold(),
        1e-12);
  }
}
