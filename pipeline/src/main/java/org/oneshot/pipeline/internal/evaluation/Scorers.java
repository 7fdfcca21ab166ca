package org.oneshot.pipeline.internal.evaluation;

import java.util.List;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Preprocessor;

/**
 * Both scorers of a protocol over one list of images: the network (each image embedded once, in
 * batches) and the raw-pixel floor (negative Euclidean distance of the preprocessed images).
 */
final class Scorers {
  private final SiameseNetwork network;
  private final List<Embedding> embeddings;
  private final float[][] pixels;
  private final double embeddingsPerSecond;

  Scorers(SiameseNetwork network, Architecture arch, List<Image> images) {
    this.network = network;
    pixels = new float[images.size()][];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = Preprocessor.toInput(images.get(i), arch);
    }
    long start = System.nanoTime();
    embeddings = network.embed(images);
    embeddingsPerSecond = images.size() / ((System.nanoTime() - start) / 1e9);
  }

  double model(int a, int b) {
    return network.score(embeddings.get(a), List.of(embeddings.get(b)))[0];
  }

  /** The model's scores of {@code a} against each of {@code others}, in one call. */
  double[] model(int a, List<Integer> others) {
    return network.score(embeddings.get(a), others.stream().map(embeddings::get).toList());
  }

  double pixel(int a, int b) {
    float[] x = pixels[a];
    float[] y = pixels[b];
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - y[i];
      sum += d * d;
    }
    return -Math.sqrt(sum);
  }

  double embeddingsPerSecond() {
    return embeddingsPerSecond;
  }
}
