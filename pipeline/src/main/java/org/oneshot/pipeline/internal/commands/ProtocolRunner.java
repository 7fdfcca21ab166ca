package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.PairSampler;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.LfwPairs;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.evaluation.CosineScoringNetwork;
import org.oneshot.pipeline.internal.evaluation.Figures;
import org.oneshot.pipeline.internal.evaluation.FusedScoringNetwork;
import org.oneshot.pipeline.internal.evaluation.LfwPairsEvaluation;
import org.oneshot.pipeline.internal.evaluation.OmniglotRunsEvaluation;
import org.oneshot.pipeline.internal.evaluation.OneShotEvaluation;
import org.oneshot.pipeline.internal.evaluation.PairEvaluation;
import org.oneshot.pipeline.internal.evaluation.ProtocolResult;
import org.oneshot.pipeline.internal.evaluation.ThresholdCheck;
import org.oneshot.pipeline.internal.evaluation.VerificationEvaluation;
import org.oneshot.pipeline.internal.evaluation.ViewAveragingNetwork;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.oneshot.pipeline.internal.verification.FaceVerifier;

/** Runs one evaluation protocol on a network, for face:eval and face:compare alike. */
final class ProtocolRunner {
  static final List<String> PROTOCOLS =
      List.of("pairs", "one-shot", "verification", "lfw-pairs", "omniglot-runs");

  /** The protocols on the people of a dataset that the model was not trained on. */
  static final List<String> ON_PEOPLE = List.of("pairs", "one-shot", "verification");

  /**
   * {@code --scoring} values: the network's own two, the fusion with Fisherfaces, and the
   * Fisherfaces alone (the fusion's classical half, to report beside it).
   */
  static final List<String> SCORINGS = List.of("head", "cosine", "fused", "fisherfaces");

  /** What to evaluate on; which fields matter depends on the protocol. */
  record Request(
      String protocol,
      String data,
      String pairs,
      String runs,
      String faces,
      String detector,
      long seed,
      int ways,
      int enrolled,
      int views,
      String scoring) {
    Request {
      if (!PROTOCOLS.contains(protocol)) {
        throw new IllegalArgumentException(
            "unknown protocol '" + protocol + "'; known: " + String.join(", ", PROTOCOLS));
      }
      switch (protocol) {
        case "pairs", "one-shot", "verification" -> require(data, "--data DIR|ZIP");
        case "lfw-pairs" -> {
          require(pairs, "--pairs pairs.txt");
          require(data, "--data LFW_IMAGES");
        }
        default -> require(runs, "--runs all_runs.zip");
      }
      if (views < 1) {
        throw new IllegalArgumentException("--views is 1 or more, not " + views);
      }
      if (!SCORINGS.contains(scoring)) {
        throw new IllegalArgumentException(
            "--scoring is head, cosine, fused or fisherfaces, not '" + scoring + "'");
      }
      if (fitsFisherfaces(scoring) && !ON_PEOPLE.contains(protocol)) {
        throw new IllegalArgumentException(
            "--scoring "
                + scoring
                + " fits Fisherfaces on the people the model was trained on, in --data:"
                + " protocols pairs, one-shot and verification only");
      }
      if (!faces.isEmpty() && !faces.equals("detect") && !faces.equals("whole")) {
        throw new IllegalArgumentException("--faces is detect or whole, not '" + faces + "'");
      }
    }

    private static void require(String value, String what) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("this protocol needs " + what);
      }
    }

    static boolean fitsFisherfaces(String scoring) {
      return scoring.equals("fused") || scoring.equals("fisherfaces");
    }

    /** What the data is called in reports. */
    String source() {
      return switch (protocol) {
        case "pairs", "one-shot", "verification" -> data;
        case "lfw-pairs" -> pairs + " on " + data;
        default -> runs;
      };
    }
  }

  private final DatasetReader reader;
  private final ImageDecoder decoder;
  private final PairSampler sampler;
  private final FaceVerifier faces;

  ProtocolRunner(ImageDecoder decoder, PairSampler sampler, FaceVerifier faces) {
    this.decoder = decoder;
    this.reader = new DatasetReader(decoder);
    this.sampler = sampler;
    this.faces = faces;
  }

  ProtocolResult run(SiameseNetwork network, Request r, PrintStream console) throws IOException {
    return run(network, null, r, console);
  }

  /**
   * {@link #run(SiameseNetwork, Request, PrintStream)} for a network loaded from {@code model}:
   * fused scoring then uses the Fisherfaces that training saved beside it, as verification does,
   * and fits them from the data only where there are none for these weights.
   */
  ProtocolResult run(SiameseNetwork network, Path model, Request r, PrintStream console)
      throws IOException {
    ModelDescription description = network.describe();
    Architecture arch = Architecture.fromMap(description.architecture());
    SiameseNetwork viewed = ViewAveragingNetwork.of(network, r.views(), r.seed());
    // Fused scoring needs the data's trained-on people or the file beside the model: unseen()
    // wraps it there.
    SiameseNetwork scored =
        Request.fitsFisherfaces(r.scoring())
            ? viewed
            : CosineScoringNetwork.of(viewed, r.scoring());
    ProtocolResult result =
        switch (r.protocol()) {
          case "pairs", "one-shot", "verification" ->
              unseen(scored, model, arch, description, r, console);
          case "lfw-pairs" -> lfw(scored, arch, modelThreshold(description, r), r, console);
          default -> {
            Path zip = existing(r.runs());
            yield OmniglotRunsEvaluation.run(scored, arch, zip, decoder);
          }
        };
    result = result.withCount("views", r.views());
    return r.scoring().equals("head") ? result : result.withCount("scoring", r.scoring());
  }

  /** The model's threshold, chosen for its head's scores: none when another scoring is used. */
  private static OptionalDouble modelThreshold(ModelDescription description, Request r) {
    return r.scoring().equals("head")
        ? FaceVerifier.modelThreshold(description)
        : OptionalDouble.empty();
  }

  /** A protocol on the people of a dataset the model was not trained on. */
  private ProtocolResult unseen(
      SiameseNetwork network,
      Path model,
      Architecture arch,
      ModelDescription description,
      Request r,
      PrintStream console)
      throws IOException {
    Set<String> trainedOn = trainedIdentities(description);
    LabelledDataset all = reader.open(existing(r.data()), WorkspaceVariant.GRAYED);
    LabelledDataset unseen = all.filter(s -> !trainedOn.contains(s.identity()));
    int excluded = all.identityCount() - unseen.identityCount();
    console.printf(
        Locale.ROOT,
        "%s on %s: %d people, %d left out as trained on%n",
        r.protocol(),
        all.name(),
        unseen.identityCount(),
        excluded);
    FusedScoringNetwork fused = null;
    if (Request.fitsFisherfaces(r.scoring())) {
      Optional<FusedScoringNetwork> saved = savedBeside(network, model, console);
      fused =
          saved.isPresent()
              ? saved.get()
              : fused(network, all.filter(s -> trainedOn.contains(s.identity())), r);
      console.printf(
          Locale.ROOT,
          "scoring %s with %s fitted on %d images of %d trained-on people%s, %s, %s%n",
          r.scoring(),
          fused.classicalHalf(),
          fused.fittedImages(),
          fused.fittedIdentities(),
          saved.isPresent() ? ", read from " + FusedScoringNetwork.fileFor(model) : "",
          fused.facesDescribed(),
          fused.scoresNormalised());
      if (r.scoring().equals("fisherfaces")) {
        fused = fused.fisherfacesAlone();
      }
      network = fused;
    }
    // Fused scoring brings its own threshold, chosen on training people held out of each fit.
    OptionalDouble threshold =
        r.scoring().equals("fused")
            ? FaceVerifier.modelThreshold(fused.describe())
            : modelThreshold(description, r);
    ProtocolResult result =
        switch (r.protocol()) {
          case "pairs" -> PairEvaluation.run(network, arch, unseen, sampler, r.seed(), threshold);
          case "verification" ->
              VerificationEvaluation.run(network, arch, unseen, r.enrolled(), r.seed(), threshold);
          default -> OneShotEvaluation.run(network, arch, unseen, r.ways(), r.seed());
        };
    result = result.withCount("excludedIdentities", excluded);
    return fused == null
        ? result
        : result
            .withCount("fisherfacesImages", fused.fittedImages())
            .withCount("fisherfacesIdentities", fused.fittedIdentities());
  }

  /**
   * The Fisherfaces training saved beside {@code model} for {@code network}'s weights; none when
   * there is no model or no file, or when the file is of other weights (say why: the data's fit
   * serves instead).
   */
  private static Optional<FusedScoringNetwork> savedBeside(
      SiameseNetwork network, Path model, PrintStream console) {
    if (model == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(FusedScoringNetwork.loadBeside(network, model));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // none saved: fitting is the normal way, nothing to say
    } catch (IOException e) {
      console.println(e.getMessage() + "; fitting them on the data's trained-on people instead");
      return Optional.empty();
    }
  }

  private static FusedScoringNetwork fused(
      SiameseNetwork network, LabelledDataset trained, Request r) throws IOException {
    requireTrainedPeople(trained, r.data(), "--scoring " + r.scoring());
    return FusedScoringNetwork.of(network, trained, r.seed());
  }

  /**
   * Refuses {@code trained}, the people of {@code data} a model was trained on, when there are too
   * few to fit Fisherfaces on: {@code who} fits them ("--scoring fused", "face:refit").
   *
   * @throws IllegalArgumentException naming the data and how many of those people it holds
   */
  static void requireTrainedPeople(LabelledDataset trained, String data, String who) {
    if (trained.identityCount() < 2) {
      throw new IllegalArgumentException(
          data
              + ": "
              + who
              + " fits Fisherfaces on the people the model was trained on, and this data holds "
              + trained.identityCount()
              + " of them; give the data it was trained on");
    }
  }

  private ProtocolResult lfw(
      SiameseNetwork network,
      Architecture arch,
      OptionalDouble modelThreshold,
      Request r,
      PrintStream console)
      throws IOException {
    LfwPairs protocol = LfwPairs.read(existing(r.pairs()));
    if (!protocol.errors().isEmpty()) {
      console.printf(
          Locale.ROOT, "skipped %d bad lines of %s:%n", protocol.errors().size(), r.pairs());
      protocol.errors().forEach(e -> console.println("    " + e));
    }
    Path root = existing(r.data());
    boolean detect = !r.faces().equals("whole");
    Plugin<FaceDetector> detector = detect ? faces.detector(r.detector()) : null;
    AtomicInteger noFace = new AtomicInteger();
    console.printf(
        Locale.ROOT,
        "lfw-pairs: %d pairs in %d folds, faces %s%n",
        protocol.pairCount(),
        protocol.folds().size(),
        detect ? "cut out by " + detector.name() : "whole images");
    ProtocolResult result =
        LfwPairsEvaluation.run(
            network,
            arch,
            protocol,
            root,
            file -> {
              Image image = decoder.decode(file);
              if (!detect) {
                return image;
              }
              List<FaceVerifier.Face> found = faces.faces(detector, image, file.toString());
              if (found.isEmpty()) {
                noFace.incrementAndGet(); // LFW images are centred on a face: use it whole
                return image;
              }
              return found.get(0).crop();
            },
            modelThreshold);
    return detect ? result.withCount("imagesWithoutDetectedFace", noFace.get()) : result;
  }

  /** The check of the model's own threshold as a JSON object. */
  static Map<String, Object> json(ThresholdCheck c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("threshold", c.threshold());
    out.put("accuracy", c.accuracy());
    out.put("falseAcceptRate", c.falseAcceptRate());
    out.put("falseRejectRate", c.falseRejectRate());
    return out;
  }

  /** The check of the model's own threshold as a line under the model's figures. */
  static String line(ThresholdCheck c) {
    return String.format(
        Locale.ROOT,
        "  at its own threshold %.3f (face:verify's): accuracy %.3f, false accepts %.3f,"
            + " false rejects %.3f",
        c.threshold(),
        c.accuracy(),
        c.falseAcceptRate(),
        c.falseRejectRate());
  }

  /** The figures as a JSON object. */
  static Map<String, Object> json(Figures f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("accuracy", f.accuracy());
    if (Double.isFinite(f.standardError())) {
      out.put("standardError", f.standardError());
    }
    out.put("auc", f.auc());
    out.put("eer", f.equalErrorRate());
    return out;
  }

  /** One line of a results table. */
  static String line(String who, Figures f) {
    return String.format(
        Locale.ROOT,
        "  %-16s accuracy %.3f%s  AUC %.3f  EER %.3f",
        who,
        f.accuracy(),
        Double.isFinite(f.standardError())
            ? String.format(Locale.ROOT, " ± %.3f", f.standardError())
            : "",
        f.auc(),
        f.equalErrorRate());
  }

  static Path existing(String path) throws NoSuchFileException {
    Path p = Path.of(path);
    if (!Files.exists(p)) {
      throw new NoSuchFileException(path, null, "no such file or folder");
    }
    return p;
  }

  static Set<String> trainedIdentities(ModelDescription description) {
    String list = description.properties().getOrDefault(TrainingLoop.IDENTITY_LIST, "");
    return list.isEmpty() ? Set.of() : Arrays.stream(list.split(",")).collect(Collectors.toSet());
  }
}
