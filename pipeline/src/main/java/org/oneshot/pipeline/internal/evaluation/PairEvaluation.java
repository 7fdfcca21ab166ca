package org.oneshot.pipeline.internal.evaluation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairSampler;
import org.oneshot.api.PairScheme;
import org.oneshot.api.Sample;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Metrics;

/**
 * The {@code pairs} protocol: every matched pair among people with two or more images, as many
 * mismatched pairs (seeded), scored by the network from embeddings computed once per image, and by
 * the floor every model must beat: nearest neighbour on raw pixels (negative Euclidean distance of
 * the preprocessed images), on the very same pairs. Accuracy uses a threshold chosen by 10-fold
 * cross-validation, never an assumed 0.5; the model's own threshold, when it records one, is also
 * applied as it stands ({@link ThresholdCheck}).
 */
public final class PairEvaluation {
  static final int FOLDS = 10;

  private PairEvaluation() {}

  public static ProtocolResult run(
      SiameseNetwork network,
      Architecture arch,
      LabelledDataset data,
      PairSampler sampler,
      long seed,
      OptionalDouble modelThreshold)
      throws IOException {
    long positivesAvailable = 0;
    int identitiesWithPairs = 0;
    for (List<Sample> images : data.byIdentity().values()) {
      positivesAvailable += (long) images.size() * (images.size() - 1) / 2;
      identitiesWithPairs += images.size() >= 2 ? 1 : 0;
    }
    if (positivesAvailable == 0 || data.identityCount() < 2) {
      throw new IllegalArgumentException(
          data.name()
              + ": the pairs protocol needs two or more identities and one with two images or more");
    }
    List<LabelledPair> pairs =
        new ArrayList<>(
            sampler.sample(
                data, new PairRequest(PairScheme.IDENTITY, (int) (2 * positivesAvailable), seed)));
    // Folds must mix labels: shuffle with the seed (the sampler's order is already shuffled, but
    // this keeps the protocol independent of any sampler).
    Collections.shuffle(pairs, new Random(seed));
    int[] labels = pairs.stream().mapToInt(LabelledPair::label).toArray();

    List<Sample> samples = data.samples();
    Map<Sample, Integer> index = new HashMap<>();
    List<Image> images = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      index.put(s, images.size());
      images.add(data.load(s));
    }
    Scorers scorers = new Scorers(network, arch, images);
    double[] model = new double[pairs.size()];
    double[] pixel = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      int a = index.get(pairs.get(i).first());
      int b = index.get(pairs.get(i).second());
      model[i] = scorers.model(a, b);
      pixel[i] = scorers.pixel(a, b);
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("identities", identitiesWithPairs);
    counts.put("images", images.size());
    counts.put("positives", (int) positivesAvailable);
    counts.put("negatives", pairs.size() - (int) positivesAvailable);
    return new ProtocolResult(
        "pairs",
        counts,
        figures(model, labels),
        figures(pixel, labels),
        scorers.embeddingsPerSecond(),
        List.of(),
        ThresholdCheck.ofModel(modelThreshold, model, labels));
  }

  static Figures figures(double[] scores, int[] labels) {
    return Figures.of(
        Metrics.crossValidatedAccuracy(scores, labels, FOLDS), Double.NaN, scores, labels);
  }
}
