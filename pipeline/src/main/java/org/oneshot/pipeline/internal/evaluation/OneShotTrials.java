package org.oneshot.pipeline.internal.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * N-way one-shot trials as a protocol scores them, by the network and by the pixel floor: which
 * scorer picked the right candidate, and every (probe, candidate) comparison as a pair for AUC, EER
 * and the ROC — 1 for the answer, 0 for the others.
 */
final class OneShotTrials {
  private final Scorers scorers;
  private final List<Double> model = new ArrayList<>();
  private final List<Double> pixel = new ArrayList<>();
  private final List<Integer> labels = new ArrayList<>();
  private int modelRight;
  private int pixelRight;
  private int trials;
  private int total;

  OneShotTrials(Scorers scorers) {
    this.scorers = scorers;
  }

  /**
   * Scores {@code probe} against {@code candidates}, of which the one at {@code answer} is right.
   */
  void score(int probe, List<Integer> candidates, int answer) {
    double[] m = scorers.model(probe, candidates);
    double[] p = new double[candidates.size()];
    for (int k = 0; k < p.length; k++) {
      p[k] = scorers.pixel(probe, candidates.get(k));
      model.add(m[k]);
      pixel.add(p[k]);
      labels.add(k == answer ? 1 : 0);
    }
    modelRight += Figures.argmax(m) == answer ? 1 : 0;
    pixelRight += Figures.argmax(p) == answer ? 1 : 0;
    trials++;
    total++;
  }

  /**
   * The accuracy of the network and of the floor over the trials since the last call — one run or
   * round — as {model, pixel}; the pairs stay for {@link #figures}.
   */
  double[] endGroup() {
    double[] accuracy = {(double) modelRight / trials, (double) pixelRight / trials};
    modelRight = 0;
    pixelRight = 0;
    trials = 0;
    return accuracy;
  }

  int trials() {
    return total;
  }

  /** The figures of both scorers, their accuracies the mean ± standard error over groups. */
  Figures[] figures(double[] modelGroups, double[] pixelGroups) {
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    double[] m = Figures.meanAndStandardError(modelGroups);
    double[] px = Figures.meanAndStandardError(pixelGroups);
    return new Figures[] {
      Figures.of(m[0], m[1], Figures.toArray(model), y),
      Figures.of(px[0], px[1], Figures.toArray(pixel), y)
    };
  }
}
