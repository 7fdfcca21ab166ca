package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.PairSampler;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.ModelArchive;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.evaluation.PairEvaluation;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.oneshot.pipeline.internal.plugins.SiameseModels;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code face:eval} — how well a saved model tells people apart, on people it never saw, beside the
 * nearest-neighbour-on-raw-pixels floor on the same pairs.
 */
@Component(
    service = EvalCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=eval"})
public final class EvalCommand {
  @Reference private SiameseModels backends;

  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile PairSampler sampler;

  private final DatasetReader reader = new DatasetReader(new ImageDecoder());

  @Descriptor(
      "evaluate a saved model: protocol 'pairs' scores every matched pair among people with two or"
          + " more images and as many mismatched ones, on people the model was not trained on")
  public String eval(
      CommandSession session,
      @Descriptor("the model file") @Parameter(names = "--model", absentValue = "") String model,
      @Descriptor("evaluation protocol: pairs")
          @Parameter(names = "--protocol", absentValue = "pairs")
          String protocol,
      @Descriptor("dataset folder or Omniglot zip") @Parameter(names = "--data", absentValue = "")
          String data,
      @Descriptor("backend to load the model with (default: the one that saved it)")
          @Parameter(names = "--backend", absentValue = "")
          String backend,
      @Descriptor("seed for the mismatched pairs and the folds (default 42)")
          @Parameter(names = "--seed", absentValue = "42")
          long seed,
      @Descriptor("also write the figures as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException {
    if (model.isEmpty() || data.isEmpty()) {
      throw new IllegalArgumentException("--model FILE and --data DIR|ZIP are required");
    }
    if (!protocol.equals("pairs")) {
      throw new IllegalArgumentException("unknown protocol '" + protocol + "'; known: pairs");
    }
    Path modelFile = Path.of(model);
    Plugin<SiameseModel> chosen =
        backends.select(backend.isEmpty() ? ModelArchive.backendOf(modelFile) : backend);
    try (SiameseNetwork network = chosen.service().load(modelFile)) {
      ModelDescription description = network.describe();
      Set<String> trainedOn = trainedIdentities(description);
      LabelledDataset all = reader.open(Path.of(data), WorkspaceVariant.GRAYED);
      LabelledDataset unseen = all.filter(s -> !trainedOn.contains(s.identity()));
      int excluded = all.identityCount() - unseen.identityCount();
      session
          .getConsole()
          .printf(
              Locale.ROOT,
              "evaluating %s (%s/%s) on %s: %d people, %d left out as trained on%n",
              model,
              description.backend(),
              description.preset(),
              all.name(),
              unseen.identityCount(),
              excluded);
      PairEvaluation.Result r =
          PairEvaluation.run(
              network, Architecture.fromMap(description.architecture()), unseen, sampler, seed);
      if (!json.isEmpty()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("backend", description.backend());
        out.put("preset", description.preset());
        out.put("protocol", protocol);
        out.put("data", all.name());
        out.put("identities", r.identities());
        out.put("excludedIdentities", excluded);
        out.put("images", r.images());
        out.put("positives", r.positives());
        out.put("negatives", r.negatives());
        out.put("accuracy", r.model().accuracy());
        out.put("auc", r.model().auc());
        out.put("eer", r.model().equalErrorRate());
        out.put(
            "baseline",
            Map.of(
                "method", "nearest neighbour on raw pixels",
                "accuracy", r.pixelBaseline().accuracy(),
                "auc", r.pixelBaseline().auc(),
                "eer", r.pixelBaseline().equalErrorRate()));
        out.put("embeddingsPerSecond", r.embeddingsPerSecond());
        Json.write(Path.of(json), out);
      }
      return String.format(
          Locale.ROOT,
          "pairs protocol: %d people, %d images, %d matched + %d mismatched pairs%n"
              + "  %-14s accuracy %.3f  AUC %.3f  EER %.3f%n"
              + "  %-14s accuracy %.3f  AUC %.3f  EER %.3f%n"
              + "  (threshold by 10-fold cross-validation; %.0f embeddings/s)",
          r.identities(),
          r.images(),
          r.positives(),
          r.negatives(),
          description.backend() + "/" + description.preset(),
          r.model().accuracy(),
          r.model().auc(),
          r.model().equalErrorRate(),
          "pixel NN floor",
          r.pixelBaseline().accuracy(),
          r.pixelBaseline().auc(),
          r.pixelBaseline().equalErrorRate(),
          r.embeddingsPerSecond());
    }
  }

  private static Set<String> trainedIdentities(ModelDescription description) {
    String list = description.properties().getOrDefault(TrainingLoop.IDENTITY_LIST, "");
    return list.isEmpty() ? Set.of() : Arrays.stream(list.split(",")).collect(Collectors.toSet());
  }
}
