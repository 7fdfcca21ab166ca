package org.oneshot.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One siamese network of a backend: a tower that embeds images and a head that scores two
 * embeddings. Verifying a probe against N enrolled images costs one forward pass for the probe plus
 * N cheap head evaluations, as the enrolled embeddings are computed once and kept. {@link #embed}
 * and {@link #score} are thread-safe; close the network to free its native memory.
 */
@ConsumerType
public interface SiameseNetwork extends AutoCloseable {
  ModelDescription describe();

  /**
   * Embeds the images in batches; each is converted to the network's input format (size, channels,
   * preprocessing) first.
   */
  List<Embedding> embed(List<Image> images);

  /**
   * The probability, per reference, that {@code probe} shows the same identity: sigmoid of the
   * learned weighted L1 distance.
   *
   * @throws IllegalArgumentException when an embedding comes from another network
   */
  double[] score(Embedding probe, List<Embedding> references);

  /**
   * Scores each pair by running both images through the whole network: the seed's way, kept for
   * benchmarks against {@link #embed} + {@link #score}.
   */
  default double[] scorePairs(List<Image> first, List<Image> second) {
    if (first.size() != second.size()) {
      throw new IllegalArgumentException(
          first.size() + " first images but " + second.size() + " second");
    }
    double[] scores = new double[first.size()];
    for (int i = 0; i < scores.length; i++) {
      List<Embedding> both = embed(List.of(first.get(i), second.get(i)));
      scores[i] = score(both.get(0), new ArrayList<>(both.subList(1, 2)))[0];
    }
    return scores;
  }

  /**
   * Trains on a worker thread. Cancelling the future stops training after the current step and
   * keeps the best weights so far. The future yields the description of the trained weights.
   */
  Future<ModelDescription> train(
      TrainingData data, TrainingSettings settings, TrainingListener listener);

  /**
   * Saves weights and metadata atomically: the file at {@code file} is either the old one or the
   * complete new one.
   */
  void save(Path file) throws IOException;

  @Override
  void close();
}
