package org.oneshot.pipeline.internal.verification;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingListener;
import org.oneshot.api.TrainingSettings;
import org.oneshot.pipeline.internal.plugins.PluginFailureException;
import org.oneshot.pipeline.internal.plugins.TimedCalls;

/**
 * A backend's network as verification calls it: embedding and scoring give up after a timeout, and
 * answers that cannot be right — a missing or NaN embedding, a score outside [0, 1] — are refused.
 * Either way the error names the backend, and the caller, not the plugin, decides what happens
 * next.
 */
final class GuardedNetwork implements SiameseNetwork {
  private static final String KIND = "siamese backend";
  private final String backend;
  private final SiameseNetwork network;
  private final TimedCalls calls;
  private final LongSupplier timeoutMillis;

  private GuardedNetwork(
      String backend, SiameseNetwork network, TimedCalls calls, LongSupplier timeoutMillis) {
    this.backend = backend;
    this.network = network;
    this.calls = calls;
    this.timeoutMillis = timeoutMillis;
  }

  /** {@code file} loaded by {@code model} under the guard: a load that hangs or throws names it. */
  static GuardedNetwork load(
      String backend, SiameseModel model, Path file, TimedCalls calls, LongSupplier timeoutMillis)
      throws IOException {
    String what = "load " + file;
    SiameseNetwork network =
        guard(backend, model, what, calls, timeoutMillis.getAsLong(), () -> model.load(file));
    if (network == null) {
      throw nonsense(backend, what, "answered null");
    }
    return new GuardedNetwork(backend, network, calls, timeoutMillis);
  }

  /** {@code call} into {@code plugin} (the model service, or one network it loaded). */
  private static <T> T guard(
      String backend,
      Object plugin,
      String what,
      TimedCalls calls,
      long timeoutMillis,
      Callable<T> call)
      throws IOException {
    try {
      return calls.call(plugin, call, timeoutMillis);
    } catch (IOException | PluginFailureException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw PluginFailureException.of(KIND, backend, "to " + what, e);
    }
  }

  /** An answer that cannot be right, named like a failure of the call. */
  private static PluginFailureException nonsense(String backend, String what, String reason) {
    return new PluginFailureException(
        KIND + " '" + backend + "' failed to " + what + ": " + reason, null);
  }

  private <T> T guard(String what, Callable<T> call) {
    try {
      return guard(backend, network, what, calls, timeoutMillis.getAsLong(), call);
    } catch (IOException e) {
      throw PluginFailureException.of(KIND, backend, "to " + what, e);
    }
  }

  @Override
  public ModelDescription describe() {
    ModelDescription description = network.describe();
    if (description == null || description.id() == null) {
      throw nonsense(backend, "describe its model", "answered no model id");
    }
    return description;
  }

  @Override
  public List<Embedding> embed(List<Image> images) {
    String what = "embed " + images.size() + (images.size() == 1 ? " image" : " images");
    List<Embedding> embeddings = guard(what, () -> network.embed(images));
    if (embeddings == null || embeddings.size() != images.size()) {
      throw nonsense(
          backend,
          what,
          "answered " + (embeddings == null ? "null" : embeddings.size() + " embeddings"));
    }
    for (int i = 0; i < embeddings.size(); i++) {
      Embedding e = embeddings.get(i);
      if (e == null) {
        throw nonsense(backend, what, "embedding " + (i + 1) + " is null");
      }
      for (int k = 0; k < e.dimension(); k++) {
        if (!Float.isFinite(e.get(k))) {
          throw nonsense(backend, what, "embedding " + (i + 1) + " holds " + e.get(k));
        }
      }
    }
    return embeddings;
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    String what = "score against " + references.size() + " references";
    double[] scores = guard(what, () -> network.score(probe, references));
    if (scores == null || scores.length != references.size()) {
      throw nonsense(
          backend, what, "answered " + (scores == null ? "null" : scores.length + " scores"));
    }
    for (double s : scores) {
      if (!(s >= 0 && s <= 1)) { // NaN fails too
        throw nonsense(backend, what, "answered the score " + s + ", not a probability");
      }
    }
    return scores;
  }

  @Override
  public Future<ModelDescription> train(
      TrainingData data, TrainingSettings settings, TrainingListener listener) {
    return network.train(data, settings, listener);
  }

  @Override
  public void save(Path file) throws IOException {
    network.save(file);
  }

  @Override
  public void close() {
    network.close();
  }
}
