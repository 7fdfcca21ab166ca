package org.oneshot.pipeline.internal.evaluation;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingListener;
import org.oneshot.api.TrainingSettings;

/**
 * A network that changes how a loaded model embeds or scores for an evaluation, and otherwise
 * passes every call on. It cannot train or save: what it computes is not a model of its own.
 */
abstract class EvaluationWrapper implements SiameseNetwork {
  protected final SiameseNetwork inner;

  EvaluationWrapper(SiameseNetwork inner) {
    this.inner = inner;
  }

  @Override
  public ModelDescription describe() {
    return inner.describe();
  }

  @Override
  public List<Embedding> embed(List<Image> images) {
    return inner.embed(images);
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    return inner.score(probe, references);
  }

  @Override
  public final Future<ModelDescription> train(
      TrainingData data, TrainingSettings settings, TrainingListener listener) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " evaluates only");
  }

  @Override
  public final void save(Path file) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " evaluates only");
  }

  /** Leaves the wrapped network open: whoever opened it closes it. */
  @Override
  public final void close() {}
}
