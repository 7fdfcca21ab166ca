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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.DatasetSplit;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.LearningRateSchedule;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.Optimizer;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairSampler;
import org.oneshot.api.PairScheme;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingProgress;
import org.oneshot.api.TrainingSettings;
import org.oneshot.api.model.ModelArchive;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.pipeline.internal.dataset.DatasetFormat;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.TurnedIdentities;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.evaluation.FusedScoringNetwork;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.oneshot.pipeline.internal.plugins.SiameseModels;
import org.oneshot.pipeline.internal.training.Recipe;
import org.oneshot.pipeline.internal.training.ValidationPeople;
import org.oneshot.pipeline.internal.verification.ActiveModels;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code face:train} — trains a siamese network of any present backend on a dataset and saves it.
 * People are split first: those held out are recorded in the model, so that {@code face:eval} on
 * the same data measures people the network never saw.
 */
@Component(
    service = TrainCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=train"})
public final class TrainCommand {
  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

  @Reference private SiameseModels backends;
  @Reference private ActiveModels active;

  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile PairSampler sampler;

  private final DatasetReader reader = new DatasetReader(new ImageDecoder());

  @Descriptor(
      "train a siamese network on a dataset (identity tree, Omniglot zip or the seed's workspace),"
          + " holding some people out for evaluation, and save it")
  public String train(
      CommandSession session,
      @Descriptor("siamese backend, e.g. djl or dl4j (default: the highest-ranked present)")
          @Parameter(names = "--backend", absentValue = "")
          String backend,
      @Descriptor("dataset folder or Omniglot zip") @Parameter(names = "--data", absentValue = "")
          String data,
      @Descriptor("where to save the model file") @Parameter(names = "--out", absentValue = "")
          String out,
      @Descriptor(
              "start from this saved model's weights instead of new ones (fine-tuning); its"
                  + " backend and preset are kept, so --set is refused")
          @Parameter(names = "--from", absentValue = "")
          String from,
      @Descriptor(
              "first train the new network on this dataset of many identities, e.g. Omniglot's"
                  + " images_background.zip (every pair within batches of 16 of one group, 4"
                  + " images each, turned three ways too, cosine from 0.003), then on --data from"
                  + " the weights that gives; not with --from")
          @Parameter(names = "--pretrain", absentValue = "")
          String pretrain,
      @Descriptor("pairs' worth of tower work in the pretraining (default 60000)")
          @Parameter(names = "--pretrain-pairs", absentValue = "-1")
          int pretrainPairs,
      @Descriptor(
              "preset: small, koch, or the recipes faces and omniglot, which also set epochs, pairs,"
                  + " distortions and patience (default small, or the --from model's)")
          @Parameter(names = "--preset", absentValue = "")
          String preset,
      @Descriptor(
              "architecture overrides, e.g. dense.units=2048,input=96; norm=batch; resize=area"
                  + " (shrink inputs by area averaging)")
          @Parameter(names = "--set", absentValue = "")
          String set,
      @Descriptor("passes over the training pairs (default: the preset's; 10 for small and koch)")
          @Parameter(names = "--epochs", absentValue = "-1")
          int epochs,
      @Descriptor(
              "training pairs to sample, at most what the data gives (default: the preset's; 10000"
                  + " for small and koch)")
          @Parameter(names = "--pairs", absentValue = "-1")
          int pairs,
      @Descriptor("pairs per step (default 32)") @Parameter(names = "--batch", absentValue = "32")
          int batch,
      @Descriptor("learning rate (default: the preset's recipe, 0.001 for most)")
          @Parameter(names = "--lr", absentValue = "-1")
          double lr,
      @Descriptor("adam (default) or sgd (Koch's, with momentum and per-epoch decay)")
          @Parameter(names = "--optimizer", absentValue = "adam")
          String optimizer,
      @Descriptor(
              "learning-rate schedule: constant, or cosine (half a cosine from --lr down to 2% of"
                  + " it by the last step); default: the recipe's, cosine for omniglot")
          @Parameter(names = "--schedule", absentValue = "")
          String schedule,
      @Descriptor(
              "stop the steps after this many minutes, then validate; a cosine schedule then ends"
                  + " at its floor by the time limit if that comes before the last step; 0 none"
                  + " (default: the recipe's, 57 for omniglot, none for the others)")
          @Parameter(names = "--time-limit", absentValue = "-1")
          double timeLimit,
      @Descriptor(
              "apply Koch's affine distortions to training images (faces and omniglot always do)")
          @Parameter(names = "--augment", absentValue = "false", presentValue = "true")
          boolean augment,
      @Descriptor(
              "negative pairs: fresh (re-drawn every epoch) or fixed (drawn once); default: the"
                  + " recipe's")
          @Parameter(names = "--negatives", absentValue = "")
          String negatives,
      @Descriptor(
              "train on every pair within batches of this many people (two images each, each"
                  + " image through the tower once) instead of on listed pairs; 0 off (default:"
                  + " the recipe's)")
          @Parameter(names = "--all-pairs", absentValue = "-1")
          int allPairs,
      @Descriptor(
              "with --all-pairs: take each batch's people from one group (the parent folder of"
                  + " their names: Omniglot's alphabet), for harder negatives")
          @Parameter(names = "--same-group", absentValue = "false", presentValue = "true")
          boolean sameGroup,
      @Descriptor(
              "with all-pairs batches: images of each identity per step (default: the"
                  + " recipe's, 4 for omniglot; 2 with --all-pairs N); more gives more positive"
                  + " pairs per step, e.g. --all-pairs 16 --images-each 4 for the tower work of"
                  + " 32 identities with two")
          @Parameter(names = "--images-each", absentValue = "")
          String imagesEachGiven,
      @Descriptor(
              "on: add every training identity turned by 90, 180 and 270 degrees as three new"
                  + " identities (each in a new group), four times the classes; off: not"
                  + " (default: the recipe's, on for omniglot)")
          @Parameter(names = "--turns", absentValue = "")
          String turnsGiven,
      @Descriptor(
              "on: add every training identity mirrored (and, with --turns, each of its turns"
                  + " mirrored) as new identities, twice the classes; off: not (default"
                  + " off)")
          @Parameter(names = "--mirrors", absentValue = "")
          String mirrorsGiven,
      @Descriptor(
              "epochs without validation improvement before stopping; 0 never (default: the"
                  + " preset's; 3 for small and koch)")
          @Parameter(names = "--patience", absentValue = "-1")
          int patience,
      @Descriptor("fraction of people held out from training for evaluation (default 0.25)")
          @Parameter(names = "--holdout", absentValue = "0.25")
          double holdout,
      @Descriptor("hold out exactly the people whose name matches this regular expression")
          @Parameter(names = "--holdout-match", absentValue = "")
          String holdoutMatch,
      @Descriptor(
              "validate on this fraction of the training people, held out of training, instead of"
                  + " on held-out pairs of the people it trains on: the best epoch and the"
                  + " threshold face:verify uses are then chosen on people new to the network"
                  + " (default 0: pairs)")
          @Parameter(names = "--validate-people", absentValue = "0")
          double validatePeople,
      @Descriptor("random seed for the split, pairs, initial weights and shuffling (default 42)")
          @Parameter(names = "--seed", absentValue = "42")
          long seed,
      @Descriptor("also write the summary and the per-epoch history as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException, InterruptedException {
    if (data.isEmpty() || out.isEmpty()) {
      throw new IllegalArgumentException("--data DIR|ZIP and --out MODEL are required");
    }
    PrintStream console = session.getConsole();
    Path base = from.isEmpty() ? null : Path.of(from);
    if (base != null && !pretrain.isEmpty()) {
      throw new IllegalArgumentException(
          "--pretrain trains new weights before --data, --from goes on from saved ones: give one"
              + " of the two");
    }
    Plugin<SiameseModel> model =
        backends.select(backend.isEmpty() && base != null ? ModelArchive.backendOf(base) : backend);
    // Loaded once, now, so a bad file fails before the data are read; closed however the command
    // ends (the training job closes it too: closing twice is harmless).
    try (SiameseNetwork saved = base == null ? null : model.service().load(base)) {
      if (saved != null) {
        preset = basePreset(base, saved.describe(), preset, set);
      } else if (preset.isEmpty()) {
        preset = "small";
      }
      Recipe recipe = Recipe.of(preset);
      epochs = Recipe.orDefault(epochs, recipe.epochs());
      pairs = Recipe.orDefault(pairs, recipe.pairs());
      patience = Recipe.orDefault(patience, recipe.patience());
      lr = Recipe.orDefault(lr, recipe.learningRate());
      augment |= recipe.augment();
      boolean turns = recipe.turns(turnsGiven);
      OptionalInt imagesEach = wholeNumber("--images-each", imagesEachGiven);
      boolean mirrors = recipe.mirrors(mirrorsGiven);
      Path dataPath = Path.of(data);
      LabelledDataset dataset = readable(dataPath, "no readable images", "skipped", console);
      DatasetSplit split = split(sampler, dataset, holdout, holdoutMatch, seed);
      ValidationPeople validation = validationPeople(dataPath, split.train(), validatePeople, seed);
      LabelledDataset train = TurnedIdentities.of(validation.train(), turns, mirrors);
      List<LabelledPair> trainingPairs = trainingPairs(sampler, dataPath, train, pairs, seed);
      TrainingSettings settings =
          TrainingSettings.defaults()
              .withEpochs(epochs)
              .withBatchSize(batch)
              .withLearningRate(lr)
              .withOptimizer(Optimizer.valueOf(optimizer.toUpperCase(Locale.ROOT)))
              .withAugment(augment)
              .withFreshNegatives(recipe.freshNegatives(negatives))
              .withAllPairs(recipe.allPairs(allPairs, sameGroup, imagesEach))
              .withSchedule(recipe.schedule(schedule))
              .withTimeLimit(recipe.timeLimit(timeLimit))
              .withPatience(patience)
              .withSeed(seed);
      if (sameGroup && settings.allPairs() == null) {
        throw new IllegalArgumentException("--same-group needs --all-pairs N (people per batch)");
      }
      if (imagesEach.isPresent() && settings.allPairs() == null) {
        throw new IllegalArgumentException(
            "--images-each needs all-pairs batches (--all-pairs N, or the omniglot recipe)");
      }
      console.printf(
          Locale.ROOT,
          "training %s/%s%s on %s: %d people (%d held out), %d images, %d pairs%n",
          model.name(),
          preset,
          base == null ? "" : " from " + base + "'s weights",
          dataset.name(),
          train.identityCount(),
          split.test().identityCount(),
          train.samples().size(),
          trainingPairs.size());
      if (validation.any()) {
        console.printf(
            Locale.ROOT,
            "validating on %d people never trained on (%d pairs): the best epoch and the"
                + " threshold come from them%n",
            validation.people().identityCount(),
            validation.pairs().size());
      }
      if (settings.allPairs() != null) {
        console.printf(
            Locale.ROOT,
            "every pair within batches of %d people%s, %s images each%n",
            settings.allPairs().identities(),
            settings.allPairs().sameGroup() ? " of one group" : "",
            settings.allPairs().imagesEach() == 2 ? "two" : settings.allPairs().imagesEach());
      }
      if (settings.schedule() == LearningRateSchedule.COSINE) {
        console.printf(
            Locale.ROOT,
            "learning rate %s falling along half a cosine to %s by the last step%s%n",
            settings.learningRate(),
            settings.learningRate() * LearningRateSchedule.COSINE_FLOOR,
            settings.timeLimited() ? " or by the time limit, whichever comes first" : "");
      }
      if (settings.timeLimited()) {
        long limit = settings.timeLimit().toSeconds();
        console.printf(
            Locale.ROOT,
            "steps stop after %s (time limit) if they have not finished%n",
            limit % 60 == 0 ? limit / 60 + " min" : limit + " s");
      }

      TrainingJob.Start start =
          base == null
              ? TrainingJob.Start.fresh(model, preset, overrides(set), settings)
              : TrainingJob.Start.loaded(saved);
      Map<String, Object> pretraining = new LinkedHashMap<>();
      if (!pretrain.isEmpty()) {
        start = pretrained(start, pretrain, pretrainPairs, settings, console, pretraining);
      }
      List<TrainingProgress> history = new ArrayList<>();
      List<FusedScoringNetwork> fitted = new ArrayList<>(1);
      ModelDescription trained =
          TrainingJob.run(
              start,
              new TrainingData(validation.withPeople(train), trainingPairs, validation.pairs()),
              settings,
              Path.of(out),
              console,
              history,
              network ->
                  writeFisherfaces(network, Path.of(out), validation.train(), seed, console)
                      .ifPresent(fitted::add));
      Optional<FusedScoringNetwork> fisherfaces = fitted.stream().findFirst();
      // The model just trained is the one its backend verifies with from now on.
      active.setModel(trained.backend(), Path.of(out));
      TrainingOutputs outputs = TrainingOutputs.beside(Path.of(out));
      outputs.write(trained.backend() + "/" + trained.preset() + " on " + dataset.name(), history);
      Map<String, String> facts = trained.properties();
      if (!json.isEmpty()) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("backend", trained.backend());
        result.put("preset", trained.preset());
        result.put("model", out);
        result.put("from", base == null ? null : base.toString());
        result.put("pretrain", pretraining.isEmpty() ? null : pretraining);
        result.put("parameters", trained.parameterCount());
        result.put("identities", train.identityCount());
        result.put("heldOutIdentities", split.test().identityCount());
        result.put("validationIdentities", validation.people().identityCount());
        result.put("pairs", trainingPairs.size());
        result.put("turns", turns);
        result.put("mirrors", mirrors);
        facts.forEach(
            (k, v) -> {
              if (k.startsWith("training.") && !k.equals(TrainingLoop.IDENTITY_LIST)
                  || k.startsWith("metrics.")) {
                result.put(k, v);
              }
            });
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TrainingProgress p : history) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("epoch", p.epoch());
          row.put("step", p.step());
          row.put("trainLoss", p.loss());
          row.put("validationLoss", p.validationLoss());
          row.put("validationAccuracy", p.validationAccuracy());
          rows.add(row);
        }
        result.put("epochs", rows);
        result.put("epochsCsv", outputs.csv().toString());
        result.put("curvesPng", outputs.png().toString());
        result.put(
            "fisherfaces",
            fisherfaces.isEmpty() ? null : FusedScoringNetwork.fileFor(Path.of(out)).toString());
        result.put("fisherfacesImages", fisherfaces.map(f -> f.fittedImages()).orElse(0));
        result.put(
            "fisherfacesDescriptors",
            fisherfaces.map(FusedScoringNetwork::descriptors).orElse(List.of()));
        Json.write(Path.of(json), result);
      }
      return String.format(
          Locale.ROOT,
          "saved %s (%s/%s, %,d parameters)%n  epochs %s (best %s), %s steps%s, %s pairs/s, %s s%n"
              + "  validation loss %s, accuracy %s, threshold %s%n"
              + "  per-epoch metrics %s, curves %s%n"
              + "  %s",
          out,
          trained.backend(),
          trained.preset(),
          trained.parameterCount(),
          facts.get("training.epochs"),
          facts.get("training.bestEpoch"),
          facts.get("training.steps"),
          "true".equals(facts.get("training.timeLimitReached"))
              ? " (stopped at the time limit)"
              : "",
          facts.get("training.pairsPerSecond"),
          facts.get("training.seconds"),
          facts.get("metrics.validationLoss"),
          facts.get("metrics.validationAccuracy"),
          facts.getOrDefault(TrainingLoop.THRESHOLD, "-"),
          outputs.csv(),
          outputs.png(),
          fisherfaces
              .map(
                  f ->
                      String.format(
                          Locale.ROOT,
                          "%s for fused scoring (%d images of %d people) %s",
                          f.classicalHalf(),
                          f.fittedImages(),
                          f.fittedIdentities(),
                          FusedScoringNetwork.fileFor(Path.of(out))))
              .orElse("no Fisherfaces: fused scoring is unavailable for this model"));
    }
  }

  /**
   * Fits the Fisherfaces that fused scoring adds to {@code saved}, the network just saved at {@code
   * out}, on the people it trained on (as they are, before turns or mirrors), and writes them
   * beside it: {@code face:eval --scoring fused} and verification with {@code scoring=fused} use
   * them. The file names the saved weights' id, which loading the model gives back.
   */
  static Optional<FusedScoringNetwork> writeFisherfaces(
      SiameseNetwork saved, Path out, LabelledDataset trainedOn, long seed, PrintStream console)
      throws IOException {
    Path file = FusedScoringNetwork.fileFor(out);
    try {
      FusedScoringNetwork fused = FusedScoringNetwork.of(saved, trainedOn, seed);
      fused.saveBeside(out);
      return Optional.of(fused);
    } catch (IllegalArgumentException e) {
      // The model is saved and verifies by its head; only fused scoring is unavailable. A file
      // of an earlier model under this name would be refused by its weights' id: remove it.
      Files.deleteIfExists(file);
      LOG.warn("no Fisherfaces for {}: {}", out, e.getMessage());
      console.println("no Fisherfaces for fused scoring: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * {@code start}'s network pretrained on {@code data} with {@link Recipe#PRETRAINING} (its pairs
   * {@code pairs} when given), seeded and batched as the training after it. The data are read now,
   * so a bad folder fails before any training; {@code record} gets the pretraining's figures once
   * it has run.
   */
  private TrainingJob.Start pretrained(
      TrainingJob.Start start,
      String data,
      int pairs,
      TrainingSettings after,
      PrintStream console,
      Map<String, Object> record)
      throws IOException {
    Recipe recipe = Recipe.PRETRAINING;
    Path path = Path.of(data);
    LabelledDataset dataset =
        readable(path, "no readable images to pretrain on", "pretraining skips", console);
    LabelledDataset identities = TurnedIdentities.of(dataset, recipe.turns(), recipe.mirrors());
    List<LabelledPair> listed =
        trainingPairs(
            sampler, path, identities, Recipe.orDefault(pairs, recipe.pairs()), after.seed());
    TrainingSettings settings =
        TrainingSettings.defaults()
            .withEpochs(recipe.epochs())
            .withBatchSize(after.batchSize())
            .withLearningRate(recipe.learningRate())
            .withOptimizer(after.optimizer())
            .withAugment(recipe.augment())
            .withFreshNegatives(recipe.freshNegatives())
            .withAllPairs(recipe.allPairs())
            .withSchedule(recipe.schedule())
            .withTimeLimit(recipe.timeLimit())
            .withPatience(recipe.patience())
            .withSeed(after.seed());
    console.printf(
        Locale.ROOT,
        "pretraining on %s first: %d identities with their turns, %d images, %d pairs%n",
        dataset.name(),
        identities.identityCount(),
        identities.samples().size(),
        listed.size());
    return TrainingJob.Start.pretrained(
        start,
        new TrainingData(identities, listed, List.of()),
        settings,
        console,
        done -> {
          Map<String, String> facts = done.properties();
          console.printf(
              Locale.ROOT,
              "pretrained on %s: %s steps, %s s, validation accuracy %s%n",
              dataset.name(),
              facts.get("training.steps"),
              facts.get("training.seconds"),
              facts.get("metrics.validationAccuracy"));
          record.put("data", data);
          record.put("identities", identities.identityCount());
          record.put("pairs", listed.size());
          record.put("steps", facts.get("training.steps"));
          record.put("seconds", facts.get("training.seconds"));
          record.put("validationAccuracy", facts.get("metrics.validationAccuracy"));
        });
  }

  /**
   * The grey images at {@code path}, refused with {@code refusal} when none can be read; files that
   * cannot be read are named on the console after {@code skipped} and their count.
   */
  private LabelledDataset readable(Path path, String refusal, String skipped, PrintStream console)
      throws IOException {
    LabelledDataset dataset = reader.open(path, WorkspaceVariant.GRAYED);
    if (dataset.samples().isEmpty()) {
      throw new IllegalArgumentException(path + ": " + refusal);
    }
    if (!dataset.unreadable().isEmpty()) {
      console.println(
          Unreadable.append(
              new StringBuilder(skipped + " " + dataset.unreadable().size() + " unreadable files:"),
              dataset.unreadable()));
    }
    return dataset;
  }

  /** {@code given} as a whole number, or empty when the option was left out (""). */
  static OptionalInt wholeNumber(String option, String given) {
    if (given.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(given.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " must be a whole number, not '" + given + "'", e);
    }
  }

  /**
   * The preset of a network trained on from {@code base}: the saved model's own, since its weights
   * fix the architecture. A different {@code --preset} or any {@code --set} is refused.
   */
  static String basePreset(Path base, ModelDescription saved, String given, String set) {
    if (!set.isBlank()) {
      throw new IllegalArgumentException(
          "--set changes the architecture; training --from " + base + " keeps that model's");
    }
    if (!given.isEmpty() && !given.equalsIgnoreCase(saved.preset())) {
      throw new IllegalArgumentException(
          "--preset "
              + given
              + " differs from "
              + base
              + "'s preset "
              + saved.preset()
              + "; training --from a model keeps its architecture");
    }
    return saved.preset();
  }

  /** Up to {@code wanted} balanced pairs: anchor pairs for a workspace, identity pairs else. */
  static List<LabelledPair> trainingPairs(
      PairSampler sampler, Path dataPath, LabelledDataset train, int wanted, long seed)
      throws IOException {
    PairScheme scheme =
        DatasetReader.detect(dataPath) == DatasetFormat.WORKSPACE
            ? PairScheme.ANCHOR
            : PairScheme.IDENTITY;
    int count = Math.min(wanted, PairCapacity.of(train, scheme));
    if (count < 2) {
      throw new IllegalArgumentException(train.name() + ": too few images to form training pairs");
    }
    return sampler.sample(train, new PairRequest(scheme, count, seed));
  }

  /**
   * The people of {@code train} held out to validate on; none for {@code fraction} 0 (validation on
   * held-out pairs of the training people). A workspace has one person, its user: refused.
   */
  private ValidationPeople validationPeople(
      Path dataPath, LabelledDataset train, double fraction, long seed) throws IOException {
    if (fraction == 0) {
      return ValidationPeople.none(train);
    }
    if (DatasetReader.detect(dataPath) == DatasetFormat.WORKSPACE) {
      throw new IllegalArgumentException(
          "--validate-people needs a dataset of many people; "
              + dataPath
              + " is a workspace of one user");
    }
    // Another seed than the evaluation split's, so the two hold out unrelated people.
    return ValidationPeople.of(sampler, train, fraction, seed + 1);
  }

  static DatasetSplit split(
      PairSampler sampler, LabelledDataset dataset, double holdout, String match, long seed) {
    if (!match.isEmpty()) {
      Pattern pattern = Pattern.compile(match);
      List<String> held =
          dataset.byIdentity().keySet().stream()
              .filter(id -> pattern.matcher(id).matches())
              .toList();
      if (held.isEmpty()) {
        throw new IllegalArgumentException("--holdout-match '" + match + "' matches nobody");
      }
      return new DatasetSplit(
          dataset.filter(s -> !held.contains(s.identity())), dataset.withIdentities(held));
    }
    return sampler.splitByIdentity(dataset, holdout, seed);
  }

  static void report(
      TrainingProgress p,
      int epochs,
      PrintStream console,
      Progress progress,
      List<TrainingProgress> history) {
    if (p.kind() == TrainingProgress.Kind.STEP) {
      progress.update(
          String.format(
              Locale.ROOT,
              "epoch %d step %d  %s%.0f pairs/s",
              p.epoch(),
              p.step(),
              Double.isNaN(p.loss()) ? "" : String.format(Locale.ROOT, "loss %.4f  ", p.loss()),
              p.pairsPerSecond()));
      return;
    }
    console.printf(
        Locale.ROOT,
        "epoch %d/%d  train loss %.4f  validation loss %.4f  accuracy %.3f%n",
        p.epoch(),
        epochs,
        p.loss(),
        p.validationLoss(),
        p.validationAccuracy());
    history.add(p);
  }

  static Map<String, String> overrides(String set) {
    if (set.isBlank()) {
      return Map.of();
    }
    return java.util.Arrays.stream(set.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(
            s -> {
              int eq = s.indexOf('=');
              if (eq <= 0) {
                throw new IllegalArgumentException("--set takes name=value pairs, not '" + s + "'");
              }
              return new String[] {s.substring(0, eq).trim(), s.substring(eq + 1).trim()};
            })
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> b, LinkedHashMap::new));
  }

  /** How many pairs a dataset can give, balanced, without repeats. */
  static final class PairCapacity {
    private PairCapacity() {}

    static int of(LabelledDataset data, PairScheme scheme) {
      long positives;
      long negatives;
      if (scheme == PairScheme.ANCHOR) {
        long anchors = count(data, Role.ANCHOR);
        positives = anchors * count(data, Role.POSITIVE);
        negatives = anchors * count(data, Role.NEGATIVE);
      } else {
        long n = data.samples().size();
        long same = 0;
        long squares = 0;
        for (List<Sample> images : data.byIdentity().values()) {
          same += (long) images.size() * (images.size() - 1) / 2;
          squares += (long) images.size() * images.size();
        }
        positives = same;
        negatives = (n * n - squares) / 2;
      }
      return (int) Math.min(Integer.MAX_VALUE, Math.min(2 * positives + 1, 2 * negatives));
    }

    private static long count(LabelledDataset data, Role role) {
      return data.samples().stream().filter(s -> s.role() == role).count();
    }
  }
}
