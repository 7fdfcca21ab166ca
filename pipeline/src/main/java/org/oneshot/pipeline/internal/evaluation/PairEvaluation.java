package org.oneshot.pipeline.internal.evaluation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.oneshot.api.Embedding;
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
import org.oneshot.api.model.Preprocessor;

/**
 * The {@code pairs} protocol: every matched pair among people with two or more images, as many
 * mismatched pairs (seeded), scored by the network from embeddings computed once per image, and by
 * the floor every model must beat: nearest neighbour on raw pixels (negative Euclidean distance of
 * the preprocessed images), on the very same pairs. Accuracy uses a threshold chosen by 10-fold
 * cross-validation, never an assumed 0.5.
 */
public final class PairEvaluation {
  static final int FOLDS = 10;

  /** What one scorer achieved. */
  public record Figures(double accuracy, double auc, double equalErrorRate) {}

  /** The protocol's outcome. */
  public record Result(
      int identities,
      int images,
      int positives,
      int negatives,
      Figures model,
      Figures pixelBaseline,
      double embeddingsPerSecond) {}

  private PairEvaluation() {}

  public static Result run(
      SiameseNetwork network,
      Architecture arch,
      LabelledDataset data,
      PairSampler sampler,
      long seed)
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
    List<float[]> pixels = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      index.put(s, images.size());
      Image image = data.load(s);
      images.add(image);
      pixels.add(Preprocessor.toInput(image, arch));
    }
    long start = System.nanoTime();
    List<Embedding> embeddings = network.embed(images);
    double embeddingsPerSecond = images.size() / ((System.nanoTime() - start) / 1e9);

    double[] model = new double[pairs.size()];
    double[] pixel = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      int a = index.get(pairs.get(i).first());
      int b = index.get(pairs.get(i).second());
      model[i] = network.score(embeddings.get(a), List.of(embeddings.get(b)))[0];
      pixel[i] = -distance(pixels.get(a), pixels.get(b));
    }
    return new Result(
        identitiesWithPairs,
        images.size(),
        (int) positivesAvailable,
        pairs.size() - (int) positivesAvailable,
        figures(model, labels),
        figures(pixel, labels),
        embeddingsPerSecond);
  }

  static Figures figures(double[] scores, int[] labels) {
    return new Figures(
        Metrics.crossValidatedAccuracy(scores, labels, FOLDS),
        Metrics.rocAuc(scores, labels),
        Metrics.equalErrorRate(scores, labels));
  }

  private static double distance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return Math.sqrt(sum);
  }
}
