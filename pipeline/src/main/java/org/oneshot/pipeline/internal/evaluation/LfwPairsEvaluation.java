package org.oneshot.pipeline.internal.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.oneshot.api.Image;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Metrics;
import org.oneshot.pipeline.internal.dataset.LfwPairs;

/**
 * LFW's View 2 protocol ({@code pairs.txt}): ten folds; each fold is scored with the threshold that
 * is best on the other nine; the figure is the mean accuracy over folds ± its standard error. Pairs
 * whose images are missing (a partial LFW) are counted and left out.
 */
public final class LfwPairsEvaluation {
  /** Loads one LFW image as the model should see it (decoded, face cut out or whole). */
  @FunctionalInterface
  public interface FaceLoader {
    Image load(Path file) throws IOException;
  }

  private LfwPairsEvaluation() {}

  public static ProtocolResult run(
      SiameseNetwork network,
      Architecture arch,
      LfwPairs protocol,
      Path root,
      FaceLoader loader,
      OptionalDouble modelThreshold)
      throws IOException {
    Map<Path, Integer> index = new HashMap<>();
    List<Image> images = new ArrayList<>();
    List<int[]> scored = new ArrayList<>(); // {first, second, label, fold}
    int missing = 0;
    int fold = 0;
    for (List<LfwPairs.Pair> pairs : protocol.folds()) {
      for (LfwPairs.Pair p : pairs) {
        Path a = p.first(root);
        Path b = p.second(root);
        if (!Files.isRegularFile(a) || !Files.isRegularFile(b)) {
          missing++;
          continue;
        }
        scored.add(
            new int[] {
              indexOf(a, index, images, loader),
              indexOf(b, index, images, loader),
              p.matched() ? 1 : 0,
              fold
            });
      }
      fold++;
    }
    int folds = protocol.folds().size();
    int[] labels = scored.stream().mapToInt(x -> x[2]).toArray();
    int[] foldOf = scored.stream().mapToInt(x -> x[3]).toArray();
    int matched = java.util.Arrays.stream(labels).sum();
    if (matched == 0 || matched == labels.length) {
      throw new IllegalArgumentException(
          root
              + ": "
              + scored.size()
              + " of "
              + protocol.pairCount()
              + " LFW pairs have both images here; need matched and mismatched ones to evaluate");
    }
    Scorers scorers = new Scorers(network, arch, images);
    double[] model = new double[scored.size()];
    double[] pixel = new double[scored.size()];
    for (int i = 0; i < scored.size(); i++) {
      model[i] = scorers.model(scored.get(i)[0], scored.get(i)[1]);
      pixel[i] = scorers.pixel(scored.get(i)[0], scored.get(i)[1]);
    }
    double[] modelFolds = Metrics.foldAccuracies(model, labels, foldOf, folds);
    double[] pixelFolds = Metrics.foldAccuracies(pixel, labels, foldOf, folds);
    List<Map<String, Object>> parts = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      int n = 0;
      for (int x : foldOf) {
        n += x == f ? 1 : 0;
      }
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("fold", f + 1);
      part.put("pairs", n);
      part.put("accuracy", modelFolds[f]);
      part.put("baselineAccuracy", pixelFolds[f]);
      parts.add(part);
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("pairsInProtocol", protocol.pairCount());
    counts.put("pairsScored", scored.size());
    counts.put("pairsMissingImages", missing);
    counts.put("matched", matched);
    counts.put("images", images.size());
    double[] m = Figures.meanAndStandardError(modelFolds);
    double[] px = Figures.meanAndStandardError(pixelFolds);
    return new ProtocolResult(
        "lfw-pairs",
        counts,
        Figures.of(m[0], m[1], model, labels),
        Figures.of(px[0], px[1], pixel, labels),
        scorers.embeddingsPerSecond(),
        parts,
        ThresholdCheck.ofModel(modelThreshold, model, labels));
  }

  private static int indexOf(
      Path file, Map<Path, Integer> index, List<Image> images, FaceLoader loader)
      throws IOException {
    Integer known = index.get(file);
    if (known != null) {
      return known;
    }
    images.add(loader.load(file));
    index.put(file, images.size() - 1);
    return images.size() - 1;
  }
}
