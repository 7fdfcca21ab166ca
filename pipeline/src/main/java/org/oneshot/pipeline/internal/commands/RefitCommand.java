package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.evaluation.FusedScoringNetwork;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.plugins.SiameseModels;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code face:refit} — the Fisherfaces and score cohort that fused scoring adds to a trained model,
 * fitted again on the people it was trained on without training the network: a model trained by an
 * older version takes up how this one describes faces and normalises scores. The file beside the
 * model is replaced only once the new fit is made, atomically; verification takes it up on its next
 * call, and galleries embed their images again under the new fusion's id.
 */
@Component(
    service = RefitCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=refit"})
public final class RefitCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RefitCommand.class);

  @Reference private SiameseModels backends;

  private final DatasetReader reader = new DatasetReader(new ImageDecoder());

  @Descriptor(
      "fit again the Fisherfaces and the score cohort that fused scoring adds to a trained model"
          + " (NAME.fisherfaces beside it), on the people in --data it was trained on, without"
          + " training the network: a model trained by an older version takes up how this one"
          + " describes faces and normalises scores. The file is replaced only once the new fit"
          + " is made")
  public String refit(
      CommandSession session,
      @Descriptor("the model file") @Parameter(names = "--model", absentValue = "") String model,
      @Descriptor("the data the model was trained on: its trained-on people are fitted")
          @Parameter(names = "--data", absentValue = "")
          String data,
      @Descriptor("backend to load the model with (default: the one that saved it)")
          @Parameter(names = "--backend", absentValue = "")
          String backend,
      @Descriptor("seed for the fit's draws and folds (default: the model's training seed)")
          @Parameter(names = "--seed", absentValue = "")
          String seed)
      throws IOException {
    if (model.isEmpty() || data.isEmpty()) {
      throw new IllegalArgumentException("--model FILE and --data DIR are required");
    }
    Path modelFile = ProtocolRunner.existing(model);
    Path dataPath = ProtocolRunner.existing(data);
    try (SiameseNetwork network = backends.load(backend, modelFile)) {
      ModelDescription description = network.describe();
      Set<String> trainedOn = ProtocolRunner.trainedIdentities(description);
      LabelledDataset people =
          reader
              .open(dataPath, WorkspaceVariant.GRAYED)
              .filter(s -> trainedOn.contains(s.identity()));
      ProtocolRunner.requireTrainedPeople(people, data, "face:refit");
      long drawSeed = seed(seed, description);
      String before = before(network, modelFile);
      FusedScoringNetwork fused = FusedScoringNetwork.of(network, people, drawSeed);
      fused.saveBeside(modelFile);
      Path file = FusedScoringNetwork.fileFor(modelFile);
      LOG.info("Refitted {} for {} (seed {}); before: {}", file, model, drawSeed, before);
      return String.format(
          Locale.ROOT,
          "refitted %s%n  %s fitted on %d images of %d trained-on people, %s, %s%n"
              + "  threshold %s (%s)%n  before: %s",
          file,
          fused.classicalHalf(),
          fused.fittedImages(),
          fused.fittedIdentities(),
          fused.facesDescribed(),
          fused.scoresNormalised(),
          String.format(
              Locale.ROOT,
              "%.3f",
              Double.parseDouble(
                  fused.describe().properties().get(org.oneshot.api.model.TrainingLoop.THRESHOLD))),
          fused.describe().properties().get(FusedScoringNetwork.THRESHOLD_SOURCE),
          before);
    }
  }

  /** {@code given}, or the seed the model was trained with, or 42. */
  private static long seed(String given, ModelDescription description) {
    String value =
        given.isEmpty() ? description.properties().getOrDefault("training.seed", "42") : given;
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seed must be a whole number, not '" + value + "'", e);
    }
  }

  /** What the file beside the model held for these weights, in words. */
  private static String before(SiameseNetwork network, Path model) {
    try {
      FusedScoringNetwork old = FusedScoringNetwork.loadBeside(network, model);
      return old.classicalHalf()
          + " fitted on "
          + old.fittedImages()
          + " images, "
          + old.facesDescribed()
          + ", "
          + old.scoresNormalised();
    } catch (IOException e) {
      return "none usable (" + e.getMessage() + ")";
    }
  }
}
