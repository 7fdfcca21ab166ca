package org.oneshot.pipeline.internal.evaluation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Sample;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;

/**
 * The {@code one-shot} protocol, Omniglot's N-way task on any identity tree: each image in turn is
 * the probe, and the candidates are one other image of its own identity and one image of each of
 * N−1 other identities, in random order; the trial is right when the probe scores highest against
 * its own identity. Every probe takes part in {@link #ROUNDS} rounds with fresh candidates
 * (seeded); the accuracy is the mean over rounds ± its standard error. AUC and EER count every
 * (probe, candidate) comparison as a pair: 1 matched, N−1 mismatched per trial.
 */
public final class OneShotEvaluation {
  static final int ROUNDS = 5;
  static final int DEFAULT_WAYS = 20;

  private OneShotEvaluation() {}

  /**
   * @param ways candidates per trial; 0 for {@value #DEFAULT_WAYS} or every identity when there are
   *     fewer
   */
  public static ProtocolResult run(
      SiameseNetwork network, Architecture arch, LabelledDataset data, int ways, long seed)
      throws IOException {
    Map<String, List<Sample>> byIdentity = new LinkedHashMap<>();
    data.byIdentity()
        .forEach(
            (identity, samples) -> {
              if (samples.size() >= 2) {
                byIdentity.put(identity, samples);
              }
            });
    List<String> identities = new ArrayList<>(byIdentity.keySet());
    int n = ways > 0 ? ways : Math.min(DEFAULT_WAYS, identities.size());
    if (n < 2 || n > identities.size()) {
      throw new IllegalArgumentException(
          data.name()
              + ": a "
              + n
              + "-way one-shot task needs "
              + Math.max(n, 2)
              + " identities with two images or more; it has "
              + identities.size());
    }
    Map<Sample, Integer> index = new HashMap<>();
    List<Image> images = new ArrayList<>();
    for (List<Sample> samples : byIdentity.values()) {
      for (Sample s : samples) {
        index.put(s, images.size());
        images.add(data.load(s));
      }
    }
    Scorers scorers = new Scorers(network, arch, images);
    Random random = new Random(seed);
    OneShotTrials trials = new OneShotTrials(scorers);
    double[] modelRounds = new double[ROUNDS];
    double[] pixelRounds = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      for (String identity : identities) {
        List<Sample> own = byIdentity.get(identity);
        for (Sample probe : own) {
          List<String> others = new ArrayList<>(identities);
          others.remove(identity);
          Collections.shuffle(others, random);
          List<String> chosen = new ArrayList<>(others.subList(0, n - 1));
          chosen.add(identity);
          Collections.shuffle(chosen, random);
          List<Integer> candidates = new ArrayList<>(n);
          int answer = -1;
          for (String c : chosen) {
            List<Sample> pool = byIdentity.get(c);
            Sample pick;
            if (c.equals(identity)) {
              answer = candidates.size();
              do {
                pick = pool.get(random.nextInt(pool.size()));
              } while (pick.equals(probe));
            } else {
              pick = pool.get(random.nextInt(pool.size()));
            }
            candidates.add(index.get(pick));
          }
          trials.score(index.get(probe), candidates, answer);
        }
      }
      double[] accuracy = trials.endGroup();
      modelRounds[round] = accuracy[0];
      pixelRounds[round] = accuracy[1];
    }
    Figures[] figures = trials.figures(modelRounds, pixelRounds);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("ways", n);
    counts.put("identities", identities.size());
    counts.put("images", images.size());
    counts.put("trials", trials.trials());
    return new ProtocolResult(
        "one-shot", counts, figures[0], figures[1], scorers.embeddingsPerSecond(), List.of());
  }
}
