package org.oneshot.pipeline.internal.evaluation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingListener;
import org.oneshot.api.TrainingSettings;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Preprocessor;
import org.oneshot.api.model.Presets;

/**
 * A network that is the pixel floor itself: its embedding is the preprocessed image and its score
 * falls with the Euclidean distance. The protocols must then give it exactly the floor's accuracy.
 */
public final class PixelNetwork implements SiameseNetwork {
  public static final Architecture ARCH = Presets.get("small", java.util.Map.of());

  @Override
  public ModelDescription describe() {
    return new ModelDescription(
        "pixels",
        "test",
        "small",
        ARCH.toMap(),
        ARCH.inputWidth(),
        ARCH.inputHeight(),
        1,
        0,
        java.util.Map.of());
  }

  @Override
  public List<Embedding> embed(List<Image> images) {
    List<Embedding> out = new ArrayList<>();
    for (Image image : images) {
      out.add(new Embedding("pixels", Preprocessor.toInput(image, ARCH)));
    }
    return out;
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    double[] scores = new double[references.size()];
    for (int r = 0; r < scores.length; r++) {
      double sum = 0;
      for (int i = 0; i < probe.dimension(); i++) {
        double d = probe.get(i) - references.get(r).get(i);
        sum += d * d;
      }
      scores[r] = 1 / (1 + Math.sqrt(sum)); // monotone in -distance, in (0, 1]
    }
    return scores;
  }

  @Override
  public Future<ModelDescription> train(
      TrainingData data, TrainingSettings settings, TrainingListener listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void save(Path file) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
