package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingProgress;
import org.oneshot.api.TrainingSettings;
import org.oneshot.pipeline.internal.plugins.Plugin;

/**
 * Trains a network of one backend with a progress display and saves it: train and compare. The
 * network is new, or a saved one whose weights training goes on from (fine-tuning).
 */
final class TrainingJob {
  /** Where the network to train comes from: a new one of a preset, or a saved model. */
  @FunctionalInterface
  interface Start {
    SiameseNetwork open() throws IOException, InterruptedException;

    /** A new network of {@code preset}, its weights drawn from the settings' seed. */
    static Start fresh(
        Plugin<SiameseModel> backend,
        String preset,
        Map<String, String> overrides,
        TrainingSettings settings) {
      return () -> backend.service().create(preset, overrides, settings.seed());
    }

    /** A network already loaded from a saved model, its weights as they were saved. */
    static Start loaded(SiameseNetwork network) {
      return () -> network;
    }

    /**
     * The network {@code start} opens, first trained on {@code data} (pretraining on a set of many
     * identities); the training that follows goes on from the weights it ends with, as from a saved
     * model. {@code done} hears what the pretraining recorded.
     */
    static Start pretrained(
        Start start,
        TrainingData data,
        TrainingSettings settings,
        PrintStream console,
        Consumer<ModelDescription> done) {
      return () -> {
        SiameseNetwork network = start.open();
        try {
          done.accept(trainAndWait(network, data, settings, console, new ArrayList<>()));
          return network;
        } catch (IOException | InterruptedException | RuntimeException e) {
          network.close();
          throw e;
        }
      };
    }
  }

  private TrainingJob() {}

  /** Work on the trained network once it is saved, before it is closed. */
  @FunctionalInterface
  interface AfterSave {
    void accept(SiameseNetwork saved) throws IOException;
  }

  static ModelDescription run(
      Start start,
      TrainingData data,
      TrainingSettings settings,
      Path out,
      PrintStream console,
      List<TrainingProgress> history,
      AfterSave afterSave)
      throws IOException, InterruptedException {
    try (SiameseNetwork network = start.open()) {
      ModelDescription trained = trainAndWait(network, data, settings, console, history);
      network.save(out);
      afterSave.accept(network);
      return trained;
    }
  }

  private static ModelDescription trainAndWait(
      SiameseNetwork network,
      TrainingData data,
      TrainingSettings settings,
      PrintStream console,
      List<TrainingProgress> history)
      throws IOException, InterruptedException {
    Progress progress = new Progress(console);
    Future<ModelDescription> training =
        network.train(
            data,
            settings,
            p -> TrainCommand.report(p, settings.epochs(), console, progress, history));
    try {
      return training.get();
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
  }
}
