package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.PairSampler;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Metrics;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.pipeline.internal.charts.Charts;
import org.oneshot.pipeline.internal.evaluation.EnsembleNetwork;
import org.oneshot.pipeline.internal.evaluation.FusedScoringNetwork;
import org.oneshot.pipeline.internal.evaluation.ProtocolResult;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.SiameseModels;
import org.oneshot.pipeline.internal.verification.FaceVerifier;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code face:eval} — a saved model on an evaluation protocol, beside the raw-pixel floor on the
 * same pairs, with the ROC curve as a PNG.
 */
@Component(
    service = EvalCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=eval"})
public final class EvalCommand {
  @Reference private SiameseModels backends;
  @Reference private FaceVerifier faces;

  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile PairSampler sampler;

  private final ImageDecoder decoder = new ImageDecoder();

  @Descriptor(
      "evaluate a saved model. Protocols: 'pairs' (every matched pair among people with two or"
          + " more images and as many mismatched, on people the model was not trained on);"
          + " 'lfw-pairs' (LFW View 2: 10 folds, threshold from the other 9, mean ± standard"
          + " error); 'omniglot-runs' (Lake's twenty 20-way one-shot runs); 'one-shot' (N-way"
          + " one-shot trials on the people the model was not trained on: a probe against one"
          + " image of its own identity and one of each of N-1 others); 'verification' (face:enrol"
          + " and face:verify on the people the model was not trained on: each enrols some images,"
          + " tries the rest, and every other person's images try to pass as them; decided with"
          + " the model's threshold and with each person's own). Each reports accuracy,"
          + " ROC AUC and EER beside nearest neighbour on raw pixels, and writes the ROC curve as"
          + " PNG")
  public String eval(
      CommandSession session,
      @Descriptor("the model file") @Parameter(names = "--model", absentValue = "") String model,
      @Descriptor("pairs (default), one-shot, verification, lfw-pairs or omniglot-runs")
          @Parameter(names = "--protocol", absentValue = "pairs")
          String protocol,
      @Descriptor(
              "pairs, one-shot: dataset folder or Omniglot zip; lfw-pairs: the LFW image folder")
          @Parameter(names = "--data", absentValue = "")
          String data,
      @Descriptor("lfw-pairs: the protocol file, pairs.txt")
          @Parameter(names = "--pairs", absentValue = "")
          String pairs,
      @Descriptor("omniglot-runs: Lake's all_runs.zip")
          @Parameter(names = "--runs", absentValue = "")
          String runs,
      @Descriptor(
              "detect: cut the face out first; whole: use images as they are (default: detect"
                  + " for lfw-pairs, whole otherwise)")
          @Parameter(names = "--faces", absentValue = "")
          String facesMode,
      @Descriptor("detector name for --faces detect (default: the highest-ranked present)")
          @Parameter(names = "--detector", absentValue = "")
          String detector,
      @Descriptor("backend to load the model with (default: the one that saved it)")
          @Parameter(names = "--backend", absentValue = "")
          String backend,
      @Descriptor("one-shot: candidates per trial (default 20, or every person when fewer)")
          @Parameter(names = "--ways", absentValue = "0")
          int ways,
      @Descriptor(
              "verification: images each person enrols (default 5); the rest are their attempts")
          @Parameter(names = "--enrol", absentValue = "0")
          int enrol,
      @Descriptor(
              "test-time augmentation: embed each image as the mean of its own embedding and"
                  + " those of N-1 copies under the training distortions (default 1: the image"
                  + " alone); the pixel floor always sees the images as they are")
          @Parameter(names = "--views", absentValue = "1")
          int views,
      @Descriptor(
              "score as an ensemble: the mean probability of --model and of these models"
                  + " (comma-separated files), each trained on its own (no model threshold applies)")
          @Parameter(names = "--ensemble", absentValue = "")
          String ensemble,
      @Descriptor(
              "head: score pairs with the model's head (default; face:verify's for a model without"
                  + " its Fisherfaces); cosine: with the cosine similarity of the embeddings, the"
                  + " head left out (the model's threshold then does not apply); fused: that cosine"
                  + " fused with the cosine of Fisherfaces (PCA + Fisher's discriminant on the"
                  + " pixels), each divided by its spread over the training people's pairs, as"
                  + " face:verify scores a model by default: those face:train saved beside the"
                  + " model, else fitted on the people in --data the model was trained on (pairs,"
                  + " one-shot and verification only); fisherfaces: those Fisherfaces alone, the"
                  + " fusion's classical half, to report beside it")
          @Parameter(names = "--scoring", absentValue = "head")
          String scoring,
      @Descriptor(
              "seed for the mismatched pairs, the folds and the views' distortions (default 42)")
          @Parameter(names = "--seed", absentValue = "42")
          long seed,
      @Descriptor(
              "where to write the ROC curve PNG (default: beside the model, NAME.PROTOCOL.roc.png)")
          @Parameter(names = "--roc", absentValue = "")
          String roc,
      @Descriptor("also write the figures as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException {
    if (model.isEmpty()) {
      throw new IllegalArgumentException("--model FILE is required");
    }
    ProtocolRunner.Request request =
        new ProtocolRunner.Request(
            protocol, data, pairs, runs, facesMode, detector, seed, ways, enrol, views, scoring);
    Path modelFile = Path.of(model);
    try (Members members = new Members()) {
      members.add(load(backend, modelFile));
      for (String other : ensemble.isEmpty() ? new String[0] : ensemble.split(",")) {
        members.add(load(backend, Path.of(other.strip())));
      }
      SiameseNetwork network = EnsembleNetwork.of(members.networks);
      ModelDescription description = network.describe();
      String who = description.backend() + "/" + description.preset();
      session
          .getConsole()
          .printf(Locale.ROOT, "evaluating %s (%s) on %s%n", model, who, request.source());
      String trainedOn = trainedOn(description);
      if (!trainedOn.isEmpty()) {
        session.getConsole().println("  " + trainedOn);
      }
      // An ensemble's weights are no one model's: its fused scoring is fitted on the data.
      ProtocolResult r =
          new ProtocolRunner(decoder, sampler, faces)
              .run(
                  network,
                  members.networks.size() == 1 ? modelFile : null,
                  request,
                  session.getConsole());
      Path rocPng =
          roc.isEmpty()
              ? TrainingOutputs.besideModel(modelFile, "." + protocol + ".roc.png")
              : Path.of(roc);
      Map<String, Metrics.Roc> curves = new LinkedHashMap<>();
      curves.put(
          String.format(Locale.ROOT, "%s (AUC %.3f)", who, r.model().auc()), r.model().roc());
      curves.put(
          String.format(Locale.ROOT, "pixel NN floor (AUC %.3f)", r.baseline().auc()),
          r.baseline().roc());
      Charts.roc(protocol + " — " + request.source(), curves, rocPng);
      if (!json.isEmpty()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("backend", description.backend());
        out.put("preset", description.preset());
        out.put("protocol", protocol);
        out.put("data", request.source());
        out.put("trainedOn", description.properties().get("training.data"));
        out.put("trainedEarlierOn", description.properties().get(TrainingLoop.EARLIER));
        out.putAll(r.counts());
        out.putAll(ProtocolRunner.json(r.model()));
        if (r.atModelThreshold() != null) {
          out.put("atModelThreshold", ProtocolRunner.json(r.atModelThreshold()));
        }
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("method", "nearest neighbour on raw pixels");
        baseline.putAll(ProtocolRunner.json(r.baseline()));
        out.put("baseline", baseline);
        out.put("embeddingsPerSecond", r.embeddingsPerSecond());
        out.put("rocPng", rocPng.toString());
        if (!r.parts().isEmpty()) {
          out.put(
              switch (protocol) {
                case "lfw-pairs" -> "folds";
                case "verification" -> "rules";
                default -> "runs";
              },
              r.parts());
        }
        Json.write(Path.of(json), out);
      }
      StringBuilder text = new StringBuilder(protocol).append(':');
      r.counts().forEach((k, v) -> text.append(' ').append(k).append(' ').append(v).append(','));
      text.setLength(text.length() - 1);
      for (Map<String, Object> part : r.parts()) {
        if (part.containsKey("rule")) {
          text.append(
              String.format(
                  Locale.ROOT,
                  "%n  %-26s accuracy %.3f  false accepts %.3f  false rejects %.3f%s",
                  part.get("rule"),
                  (Double) part.get("accuracy"),
                  (Double) part.get("falseAcceptRate"),
                  (Double) part.get("falseRejectRate"),
                  part.containsKey("threshold")
                      ? String.format(Locale.ROOT, "  (threshold %.3f)", part.get("threshold"))
                      : ""));
          continue;
        }
        text.append(
            String.format(
                Locale.ROOT,
                "%n  %-10s accuracy %.3f  (pixel NN %.3f)",
                part.getOrDefault("run", "fold " + part.get("fold")),
                (Double) part.get("accuracy"),
                (Double) part.get("baselineAccuracy")));
      }
      text.append(System.lineSeparator()).append(ProtocolRunner.line(who, r.model()));
      if (r.atModelThreshold() != null) {
        text.append(System.lineSeparator()).append(ProtocolRunner.line(r.atModelThreshold()));
      }
      text.append(System.lineSeparator())
          .append(ProtocolRunner.line("pixel NN floor", r.baseline()));
      text.append(
          String.format(
              Locale.ROOT,
              "%n  (%s; %.0f embeddings/s%s)%n  ROC curve %s",
              switch (protocol) {
                case "pairs" -> "threshold by 10-fold cross-validation";
                case "lfw-pairs" ->
                    "threshold from the other 9 folds; mean ± standard error over folds";
                case "verification" ->
                    "person's own threshold; accuracy: the mean of the shares of genuine and of"
                        + " impostor attempts decided right; AUC, EER: an attempt's mean score";
                case "one-shot" ->
                    r.counts().get("ways")
                        + "-way: the best-scoring candidate answers; mean ± standard error over"
                        + " rounds";
                default ->
                    "20-way: the best-scoring training image answers; mean ± standard error over"
                        + " runs";
              },
              r.embeddingsPerSecond(),
              views == 1
                  ? ""
                  : "; each the mean of the image and " + (views - 1) + " distorted copies",
              rocPng));
      if (scoring.equals("head")
          && members.networks.size() == 1
          && fusedBeside(network, modelFile)) {
        // The figure above is the head's; a user verifying with this model gets fused scores.
        text.append(
            String.format(
                Locale.ROOT,
                "%n  face:verify scores this model fused, with %s: --scoring fused measures that",
                FusedScoringNetwork.fileFor(modelFile).getFileName()));
      }
      return text.toString();
    }
  }

  /**
   * Whether face:verify's default scoring would score {@code network} fused: the Fisherfaces beside
   * {@code model} are there and of these weights (not merely a file of that name).
   */
  private static boolean fusedBeside(SiameseNetwork network, Path model) {
    try {
      FusedScoringNetwork.loadBeside(network, model);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * What the weights trained on, the last training first and then what came before it (a
   * pretraining or an earlier model), or "" for weights never trained.
   */
  static String trainedOn(ModelDescription description) {
    String last = TrainingLoop.lastTraining(description.properties());
    String earlier = description.properties().get(TrainingLoop.EARLIER);
    return last.isEmpty()
        ? ""
        : "trained on " + last + (earlier == null ? "" : ", after " + earlier);
  }

  /** {@code file} loaded by {@code backend}, or by the backend that saved it when "". */
  private SiameseNetwork load(String backend, Path file) throws IOException {
    return backends.load(backend, file);
  }

  /** The networks one evaluation opened, closed together (the last opened first). */
  private static final class Members implements AutoCloseable {
    final List<SiameseNetwork> networks = new ArrayList<>();

    void add(SiameseNetwork network) {
      networks.add(network);
    }

    @Override
    public void close() {
      for (int i = networks.size() - 1; i >= 0; i--) {
        networks.get(i).close();
      }
    }
  }
}
