package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.DatasetSplit;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.PairSampler;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingProgress;
import org.oneshot.api.TrainingSettings;
import org.oneshot.api.model.Metrics;
import org.oneshot.pipeline.internal.charts.Charts;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.TurnedIdentities;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.evaluation.ProtocolResult;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.io.Home;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.oneshot.pipeline.internal.plugins.SiameseModels;
import org.oneshot.pipeline.internal.training.Recipe;
import org.oneshot.pipeline.internal.verification.FaceVerifier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code face:compare} — every backend present trained on the same pairs with the same seed and
 * settings, evaluated the same way: one table and one ROC chart with a curve per backend.
 */
@Component(
    service = CompareCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=compare"})
public final class CompareCommand {
  @Reference private SiameseModels backends;
  @Reference private FaceVerifier faces;

  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile PairSampler sampler;

  private final ImageDecoder decoder = new ImageDecoder();
  private final DatasetReader reader = new DatasetReader(decoder);
  private Path defaultOut;

  @Activate
  void activate(BundleContext context) {
    defaultOut = Home.var(context).resolve("compare");
  }

  /** One backend's line of the table. */
  private record Row(
      String backend,
      ModelDescription trained,
      ProtocolResult result,
      double trainSeconds,
      long modelBytes) {}

  @Descriptor(
      "train every siamese backend present on the same pairs (same seed and settings), evaluate"
          + " each the same way, and print one table (accuracy, AUC, EER, train time, training"
          + " pairs/s, embeddings/s, model size) with one ROC chart of them all")
  public String compare(
      CommandSession session,
      @Descriptor("training data: identity tree, Omniglot zip or workspace")
          @Parameter(names = "--data", absentValue = "")
          String data,
      @Descriptor(
              "evaluation data for the pairs protocol (default: --data, minus the people"
                  + " trained on)")
          @Parameter(names = "--test", absentValue = "")
          String test,
      @Descriptor("evaluation protocol: pairs (default), one-shot, lfw-pairs or omniglot-runs")
          @Parameter(names = "--protocol", absentValue = "pairs")
          String protocol,
      @Descriptor("lfw-pairs: the protocol file")
          @Parameter(names = "--pairs-file", absentValue = "")
          String pairsFile,
      @Descriptor("omniglot-runs: all_runs.zip") @Parameter(names = "--runs", absentValue = "")
          String runs,
      @Descriptor("preset: small, koch, faces or omniglot, as face:train (default small)")
          @Parameter(names = "--preset", absentValue = "small")
          String preset,
      @Descriptor("passes over the training pairs (default: the preset's; 5 for small and koch)")
          @Parameter(names = "--epochs", absentValue = "-1")
          int epochs,
      @Descriptor("training pairs to sample (default: the preset's; 10000 for small and koch)")
          @Parameter(names = "--pairs", absentValue = "-1")
          int pairs,
      @Descriptor("pairs per step (default 32, as face:train)")
          @Parameter(names = "--batch", absentValue = "32")
          int batch,
      @Descriptor("learning rate (default: the preset's recipe, as face:train)")
          @Parameter(names = "--lr", absentValue = "-1")
          double lr,
      @Descriptor("apply Koch's affine distortions to training images")
          @Parameter(names = "--augment", absentValue = "false", presentValue = "true")
          boolean augment,
      @Descriptor(
              "negative pairs: fresh (re-drawn every epoch) or fixed (drawn once); default: the"
                  + " recipe's")
          @Parameter(names = "--negatives", absentValue = "")
          String negatives,
      @Descriptor("hold out of training the people whose name matches this regular expression")
          @Parameter(names = "--holdout-match", absentValue = "")
          String holdoutMatch,
      @Descriptor(
              "fraction of people held out when no --holdout-match and no --test (default"
                  + " 0.25)")
          @Parameter(names = "--holdout", absentValue = "0.25")
          double holdout,
      @Descriptor("seed for split, pairs, weights and shuffling (default 42)")
          @Parameter(names = "--seed", absentValue = "42")
          long seed,
      @Descriptor(
              "how the models score pairs: head (default), cosine, fused (with Fisherfaces of"
                  + " the training people) or fisherfaces (those alone), as face:eval --scoring")
          @Parameter(names = "--scoring", absentValue = "head")
          String scoring,
      @Descriptor("folder for the trained models and the ROC chart (default var/compare)")
          @Parameter(names = "--out", absentValue = "")
          String out,
      @Descriptor("also write the table as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException, InterruptedException {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("--data DIR|ZIP is required");
    }
    List<Plugin<SiameseModel>> present = backends.all();
    if (present.isEmpty()) {
      throw new IllegalStateException("no siamese backend available");
    }
    PrintStream console = session.getConsole();
    Recipe recipe = Recipe.of(preset);
    // Side by side, small and koch stay at 5 epochs (two backends train in turn).
    epochs = Recipe.orDefault(epochs, recipe == Recipe.PLAIN ? 5 : recipe.epochs());
    pairs = Recipe.orDefault(pairs, recipe.pairs());
    lr = Recipe.orDefault(lr, recipe.learningRate());
    augment |= recipe.augment();
    Path dataPath = Path.of(data);
    LabelledDataset dataset = reader.open(dataPath, WorkspaceVariant.GRAYED);
    boolean separateTest = !test.isEmpty() && !Path.of(test).equals(dataPath);
    DatasetSplit split =
        TrainCommand.split(
            sampler,
            dataset,
            separateTest && holdoutMatch.isEmpty() ? 0 : holdout,
            holdoutMatch,
            seed);
    // The recipe's turned identities too (omniglot's), as face:train trains them.
    LabelledDataset train =
        TurnedIdentities.of(split.train(), recipe.turns(""), recipe.mirrors(""));
    List<LabelledPair> trainingPairs =
        TrainCommand.trainingPairs(sampler, dataPath, train, pairs, seed);
    TrainingSettings settings =
        TrainingSettings.defaults()
            .withEpochs(epochs)
            .withBatchSize(batch)
            .withLearningRate(lr)
            .withAugment(augment)
            .withFreshNegatives(recipe.freshNegatives(negatives))
            .withAllPairs(recipe.allPairs(-1, false))
            .withSchedule(recipe.schedule(""))
            // No time limit (omniglot's): backends compare on the same steps, not the same time.
            .withPatience(recipe.patience())
            .withSeed(seed);
    ProtocolRunner.Request request =
        new ProtocolRunner.Request(
            protocol,
            test.isEmpty() ? data : test,
            pairsFile,
            runs,
            "",
            "",
            seed,
            0,
            0,
            1,
            scoring);
    Path folder = out.isEmpty() ? defaultOut : Path.of(out);
    console.printf(
        Locale.ROOT,
        "comparing %s on %s: %d people, %d pairs, %d epochs, seed %d; evaluating %s on %s%n",
        String.join(", ", present.stream().map(Plugin::name).toList()),
        dataset.name(),
        train.identityCount(),
        trainingPairs.size(),
        epochs,
        seed,
        protocol,
        request.source());

    List<Row> rows = new ArrayList<>();
    for (Plugin<SiameseModel> backend : present) {
      console.printf(Locale.ROOT, "— %s —%n", backend.name());
      Path model = folder.resolve(backend.name() + "-" + preset + ".model");
      long start = System.nanoTime();
      ModelDescription trained =
          TrainingJob.run(
              TrainingJob.Start.fresh(backend, preset, Map.of(), settings),
              new TrainingData(train, trainingPairs, List.of()),
              settings,
              model,
              console,
              new ArrayList<TrainingProgress>(),
              // As face:train, so that each model can verify with fused scoring after face:use.
              saved -> TrainCommand.writeFisherfaces(saved, model, split.train(), seed, console));
      double seconds = (System.nanoTime() - start) / 1e9;
      ProtocolResult result;
      try (SiameseNetwork network = backend.service().load(model)) {
        result = new ProtocolRunner(decoder, sampler, faces).run(network, model, request, console);
      }
      rows.add(new Row(backend.name(), trained, result, seconds, Files.size(model)));
    }

    Path rocPng = folder.resolve("compare." + protocol + ".roc.png");
    Map<String, Metrics.Roc> curves = new LinkedHashMap<>();
    for (Row r : rows) {
      curves.put(
          String.format(
              Locale.ROOT, "%s/%s (AUC %.3f)", r.backend(), preset, r.result().model().auc()),
          r.result().model().roc());
    }
    ProtocolResult first = rows.get(0).result();
    curves.put(
        String.format(Locale.ROOT, "pixel NN floor (AUC %.3f)", first.baseline().auc()),
        first.baseline().roc());
    Charts.roc("compare — " + protocol + " on " + request.source(), curves, rocPng);

    if (!json.isEmpty()) {
      List<Map<String, Object>> table = new ArrayList<>();
      for (Row r : rows) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("backend", r.backend());
        row.put("preset", preset);
        row.putAll(ProtocolRunner.json(r.result().model()));
        if (r.result().atModelThreshold() != null) {
          row.put("atModelThreshold", ProtocolRunner.json(r.result().atModelThreshold()));
        }
        row.put("trainSeconds", r.trainSeconds());
        row.put("trainingPairsPerSecond", number(r.trained(), "training.pairsPerSecond"));
        row.put("embeddingsPerSecond", r.result().embeddingsPerSecond());
        row.put("modelBytes", r.modelBytes());
        row.put("model", folder.resolve(r.backend() + "-" + preset + ".model").toString());
        table.add(row);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("data", data);
      result.put("protocol", protocol);
      result.put("test", request.source());
      result.put("pairs", trainingPairs.size());
      result.put("epochs", epochs);
      result.put("seed", seed);
      result.putAll(first.counts());
      result.put("backends", table);
      Map<String, Object> baseline = new LinkedHashMap<>();
      baseline.put("method", "nearest neighbour on raw pixels");
      baseline.putAll(ProtocolRunner.json(first.baseline()));
      result.put("baseline", baseline);
      result.put("rocPng", rocPng.toString());
      Json.write(Path.of(json), result);
    }

    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-16s %8s %6s %6s %9s %8s %8s %9s",
                "backend",
                "accuracy",
                "AUC",
                "EER",
                "train s",
                "pairs/s",
                "emb/s",
                "model MB"));
    for (Row r : rows) {
      text.append(
          String.format(
              Locale.ROOT,
              "%n%-16s %8.3f %6.3f %6.3f %9.1f %8.1f %8.0f %9.1f",
              r.backend() + "/" + preset,
              r.result().model().accuracy(),
              r.result().model().auc(),
              r.result().model().equalErrorRate(),
              r.trainSeconds(),
              number(r.trained(), "training.pairsPerSecond"),
              r.result().embeddingsPerSecond(),
              r.modelBytes() / 1e6));
    }
    text.append(
        String.format(
            Locale.ROOT,
            "%n%-16s %8.3f %6.3f %6.3f",
            "pixel NN floor",
            first.baseline().accuracy(),
            first.baseline().auc(),
            first.baseline().equalErrorRate()));
    // What face:verify would decide with each model's own threshold (pair protocols only).
    for (Row r : rows) {
      if (r.result().atModelThreshold() != null) {
        text.append(System.lineSeparator())
            .append(r.backend())
            .append('/')
            .append(preset)
            .append(ProtocolRunner.line(r.result().atModelThreshold()));
      }
    }
    text.append(String.format(Locale.ROOT, "%nROC curves %s", rocPng));
    return text.toString();
  }

  private static double number(ModelDescription d, String key) {
    String v = d.properties().get(key);
    return v == null ? Double.NaN : Double.parseDouble(v);
  }
}
