package org.oneshot.pipeline.internal.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.oneshot.api.Image;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.pipeline.internal.image.ImageDecoder;

/**
 * Lake et al.'s twenty 20-way one-shot runs ({@code all_runs.zip}, read in place): in each run,
 * every test image is compared with the twenty training images, one per character, and counts as
 * right when the best-scoring one is its character. Koch et al. 2015 report 92.0% mean accuracy.
 * For AUC, EER and the ROC, every (test, training) comparison is a pair: 1 per test image matched,
 * 19 mismatched.
 */
public final class OmniglotRunsEvaluation {
  private static final String LABELS = "class_labels.txt";

  private OmniglotRunsEvaluation() {}

  /** One run: the test images and, for each, the training image of its character. */
  record Run(String name, List<String> tests, List<String> answers, List<String> training) {}

  public static ProtocolResult run(
      SiameseNetwork network, Architecture arch, Path zip, ImageDecoder decoder)
      throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile())) {
      List<Run> runs = runs(file, zip);
      Map<String, Integer> index = new HashMap<>();
      List<Image> images = new ArrayList<>();
      for (Run run : runs) {
        for (String entry : concat(run.tests(), run.training())) {
          if (!index.containsKey(entry)) {
            ZipEntry e = file.getEntry(entry);
            if (e == null) {
              throw new IOException(zip + ": " + entry + " is listed in a run but not in the zip");
            }
            try (InputStream in = file.getInputStream(e)) {
              images.add(decoder.decode(in, zip + "!/" + entry));
            }
            index.put(entry, images.size() - 1);
          }
        }
      }
      Scorers scorers = new Scorers(network, arch, images);
      OneShotTrials trials = new OneShotTrials(scorers);
      double[] modelRuns = new double[runs.size()];
      double[] pixelRuns = new double[runs.size()];
      List<Map<String, Object>> parts = new ArrayList<>();
      for (int r = 0; r < runs.size(); r++) {
        Run run = runs.get(r);
        List<Integer> training = run.training().stream().map(index::get).toList();
        for (int t = 0; t < run.tests().size(); t++) {
          trials.score(
              index.get(run.tests().get(t)),
              training,
              run.training().indexOf(run.answers().get(t)));
        }
        double[] accuracy = trials.endGroup();
        modelRuns[r] = accuracy[0];
        pixelRuns[r] = accuracy[1];
        Map<String, Object> part = new LinkedHashMap<>();
        part.put(
            "run",
            parentOf(run.name()).isEmpty()
                ? run.name()
                : run.name().substring(parentOf(run.name()).length()).replace("/", ""));
        part.put("ways", run.training().size());
        part.put("trials", run.tests().size());
        part.put("accuracy", modelRuns[r]);
        part.put("baselineAccuracy", pixelRuns[r]);
        parts.add(part);
      }
      Figures[] figures = trials.figures(modelRuns, pixelRuns);
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("runs", runs.size());
      counts.put("trials", trials.trials());
      counts.put("images", images.size());
      return new ProtocolResult(
          "omniglot-runs", counts, figures[0], figures[1], scorers.embeddingsPerSecond(), parts);
    }
  }

  /** Every run of the zip, in name order; image names resolved to zip entries. */
  static List<Run> runs(ZipFile file, Path zip) throws IOException {
    TreeMap<String, Run> runs = new TreeMap<>();
    List<String> all = new ArrayList<>();
    Enumeration<? extends ZipEntry> entries = file.entries();
    while (entries.hasMoreElements()) {
      all.add(entries.nextElement().getName());
    }
    for (String name : all) {
      ZipEntry e = file.getEntry(name);
      if (!name.endsWith("/" + LABELS) && !name.equals(LABELS)) {
        continue;
      }
      // Lines name images relative to the folder that holds the run folders.
      String runDir = name.substring(0, name.length() - LABELS.length());
      String base = parentOf(runDir);
      List<String> tests = new ArrayList<>();
      List<String> answers = new ArrayList<>();
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(file.getInputStream(e), StandardCharsets.UTF_8))) {
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          String[] fields = line.trim().split("\\s+");
          if (fields.length != 2) {
            throw new IOException(
                zip + "!/" + name + " line " + number + ": expected 'test/ITEM training/CLASS'");
          }
          tests.add(base + fields[0]);
          answers.add(base + fields[1]);
        }
      }
      // The candidates are every image of the run's training folder, answers or not.
      List<String> training =
          all.stream()
              .filter(n -> n.startsWith(runDir + "training/") && !n.endsWith("/"))
              .sorted()
              .toList();
      for (String answer : answers) {
        if (!training.contains(answer)) {
          throw new IOException(
              zip + "!/" + name + ": " + answer + " is not in the run's training/");
        }
      }
      runs.put(runDir, new Run(runDir, tests, answers, training));
    }
    if (runs.isEmpty()) {
      throw new IOException(
          zip + ": no runs (no runNN/" + LABELS + " inside); is it all_runs.zip?");
    }
    return new ArrayList<>(runs.values());
  }

  private static String parentOf(String dir) {
    String trimmed = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    int slash = trimmed.lastIndexOf('/');
    return slash < 0 ? "" : trimmed.substring(0, slash + 1);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
