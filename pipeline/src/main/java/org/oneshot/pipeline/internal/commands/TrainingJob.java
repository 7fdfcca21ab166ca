package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingProgress;
import org.oneshot.api.TrainingSettings;
import org.oneshot.pipeline.internal.plugins.Plugin;

/** Trains a new network of one backend with a progress display and saves it: train and compare. */
final class TrainingJob {
  private TrainingJob() {}

  static ModelDescription run(
      Plugin<SiameseModel> backend,
      String preset,
      Map<String, String> overrides,
      TrainingData data,
      TrainingSettings settings,
      Path out,
      PrintStream console,
      List<TrainingProgress> history)
      throws IOException, InterruptedException {
    Progress progress = new Progress(console);
    try (SiameseNetwork network = backend.service().create(preset, overrides, settings.seed())) {
      Future<ModelDescription> training =
          network.train(
              data,
              settings,
              p -> TrainCommand.report(p, settings.epochs(), console, progress, history));
      ModelDescription trained;
      try {
        trained = training.get();
      } catch (InterruptedException e) {
        training.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException("training failed: " + cause.getMessage(), cause);
      }
      network.save(out);
      return trained;
    }
  }
}
