package org.oneshot.pipeline.internal.evaluation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Sample;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.pipeline.internal.verification.PersonThreshold;
import org.oneshot.pipeline.internal.verification.VerificationRule;

/**
 * The {@code verification} protocol: {@code face:enrol} and {@code face:verify} as a user meets
 * them, on people the model was not trained on. Every person with more than {@code enrolled} images
 * enrols that many (drawn with the seed); each of their other images is a genuine attempt, and
 * every image of every other person an impostor attempt. An attempt is decided by the seed's rule —
 * a pair matches when its score reaches the detection threshold, and the person is verified when
 * more than half their images match — with two detection thresholds: the model's own (what {@code
 * face:verify} used before people had thresholds of their own) and the person's own ({@link
 * PersonThreshold}: their enrolled images' pairs against every other enrolled person's, the cohort;
 * for an impostor's attempt the impostor is left out of the cohort, as a stranger would be). The
 * pixel floor is decided with a person's own threshold too, fitted to its distances.
 *
 * <p>Accuracy is balanced: the mean of the shares of genuine and of impostor attempts decided
 * right, since impostor attempts outnumber genuine ones many times. AUC and EER take an attempt's
 * mean score against the enrolled images.
 */
public final class VerificationEvaluation {
  static final int DEFAULT_ENROLLED = 5;

  /** The verification threshold {@code face:verify} applies unless configured otherwise. */
  static final double HALF = 0.5;

  private VerificationEvaluation() {}

  /** How one rule decided the attempts. */
  record Outcome(double falseAcceptRate, double falseRejectRate) {
    double balancedAccuracy() {
      return 1 - (falseAcceptRate + falseRejectRate) / 2;
    }
  }

  public static ProtocolResult run(
      SiameseNetwork network,
      Architecture arch,
      LabelledDataset data,
      int enrolled,
      long seed,
      OptionalDouble modelThreshold)
      throws IOException {
    int k = enrolled > 0 ? enrolled : DEFAULT_ENROLLED;
    if (k < 2) {
      throw new IllegalArgumentException(
          "--enrol must be 2 or more: a person's own threshold needs pairs among their images");
    }
    Random random = new Random(seed);
    List<String> people = new ArrayList<>();
    List<List<Sample>> enrolment = new ArrayList<>();
    List<List<Sample>> attempts = new ArrayList<>();
    for (Map.Entry<String, List<Sample>> e : data.byIdentity().entrySet()) {
      if (e.getValue().size() > k) {
        List<Sample> own = new ArrayList<>(e.getValue());
        Collections.shuffle(own, random);
        people.add(e.getKey());
        enrolment.add(own.subList(0, k));
        attempts.add(own.subList(k, own.size()));
      }
    }
    if (people.size() < 3) {
      throw new IllegalArgumentException(
          data.name()
              + ": the verification protocol needs three or more people with more than "
              + k
              + " images (to enrol "
              + k
              + " and try the rest); it has "
              + people.size());
    }
    Map<Sample, Integer> index = new HashMap<>();
    List<Image> images = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    List<Boolean> isEnrolled = new ArrayList<>();
    for (int p = 0; p < people.size(); p++) {
      for (List<Sample> part : List.of(enrolment.get(p), attempts.get(p))) {
        for (Sample s : part) {
          index.put(s, images.size());
          images.add(data.load(s));
          owner.add(p);
          isEnrolled.add(part == enrolment.get(p));
        }
      }
    }
    Scorers scorers = new Scorers(network, arch, images);
    int n = people.size();
    // Every image against every person's enrolled images, by both scorers.
    double[][][] model = new double[images.size()][n][];
    double[][][] pixel = new double[images.size()][n][];
    for (int x = 0; x < images.size(); x++) {
      for (int p = 0; p < n; p++) {
        List<Integer> gallery = enrolment.get(p).stream().map(index::get).toList();
        model[x][p] = scorers.model(x, gallery);
        pixel[x][p] = new double[k];
        for (int j = 0; j < k; j++) {
          pixel[x][p][j] = scorers.pixel(x, gallery.get(j));
        }
      }
    }
    Calibration modelOwn = new Calibration(model, enrolment, index, true);
    Calibration pixelOwn = new Calibration(pixel, enrolment, index, false);
    Tally person = new Tally();
    Tally own = new Tally();
    Tally floor = new Tally();
    List<Double> modelMeans = new ArrayList<>();
    List<Double> pixelMeans = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      for (int x = 0; x < images.size(); x++) {
        int q = owner.get(x);
        boolean genuine = q == p;
        if (genuine && isEnrolled.get(x)) {
          continue; // an enrolled image is no attempt
        }
        int leftOut = genuine ? -1 : q; // an impostor is a stranger to the cohort
        double[] m = model[x][p];
        double[] px = pixel[x][p];
        person.add(genuine, VerificationRule.verified(m, modelOwn.threshold(p, leftOut), HALF));
        floor.add(genuine, VerificationRule.verified(px, pixelOwn.threshold(p, leftOut), HALF));
        if (modelThreshold.isPresent()) {
          own.add(genuine, VerificationRule.verified(m, modelThreshold.getAsDouble(), HALF));
        }
        modelMeans.add(mean(m));
        pixelMeans.add(mean(px));
        labels.add(genuine ? 1 : 0);
      }
    }
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    Outcome personOutcome = person.outcome();
    Outcome floorOutcome = floor.outcome();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("identities", n);
    counts.put("enrolled", k);
    counts.put("genuineAttempts", person.genuine);
    counts.put("impostorAttempts", person.impostor);
    List<Map<String, Object>> rules = new ArrayList<>();
    rules.add(row("person's own threshold", Double.NaN, personOutcome));
    ThresholdCheck atModel = null;
    if (modelThreshold.isPresent()) {
      Outcome o = own.outcome();
      atModel =
          new ThresholdCheck(
              modelThreshold.getAsDouble(),
              o.balancedAccuracy(),
              o.falseAcceptRate(),
              o.falseRejectRate());
      rules.add(row("model's own threshold", modelThreshold.getAsDouble(), o));
    }
    rules.add(row("pixel NN, person's own", Double.NaN, floorOutcome));
    return new ProtocolResult(
        "verification",
        counts,
        Figures.of(personOutcome.balancedAccuracy(), Double.NaN, Figures.toArray(modelMeans), y),
        Figures.of(floorOutcome.balancedAccuracy(), Double.NaN, Figures.toArray(pixelMeans), y),
        scorers.embeddingsPerSecond(),
        rules,
        atModel);
  }

  private static Map<String, Object> row(String rule, double threshold, Outcome o) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("rule", rule);
    if (Double.isFinite(threshold)) {
      row.put("threshold", threshold);
    }
    row.put("accuracy", o.balancedAccuracy());
    row.put("falseAcceptRate", o.falseAcceptRate());
    row.put("falseRejectRate", o.falseRejectRate());
    return row;
  }

  /**
   * Every person's own threshold under one scorer, with one person (or none, -1) left out of the
   * cohort; worked out once per pair.
   */
  private static final class Calibration {
    private final double[][][] scores;
    private final List<List<Sample>> enrolment;
    private final Map<Sample, Integer> index;
    private final boolean probabilities;
    private final Map<Long, Double> memo = new HashMap<>();

    Calibration(
        double[][][] scores,
        List<List<Sample>> enrolment,
        Map<Sample, Integer> index,
        boolean probabilities) {
      this.scores = scores;
      this.enrolment = enrolment;
      this.index = index;
      this.probabilities = probabilities;
    }

    double threshold(int p, int leftOut) {
      return memo.computeIfAbsent(
          ((long) p << 32) | (leftOut & 0xffffffffL), key -> fit(p, leftOut));
    }

    private double fit(int p, int leftOut) {
      List<Sample> mine = enrolment.get(p);
      double[][] own = new double[mine.size()][];
      for (int i = 0; i < own.length; i++) {
        own[i] = scores[index.get(mine.get(i))][p];
      }
      List<double[]> cohort = new ArrayList<>();
      for (int r = 0; r < enrolment.size(); r++) {
        if (r != p && r != leftOut) {
          for (Sample s : enrolment.get(r)) {
            cohort.add(scores[index.get(s)][p]);
          }
        }
      }
      OptionalDouble t =
          probabilities
              ? PersonThreshold.fit(own, cohort, HALF)
              : PersonThreshold.fitScores(own, cohort, HALF);
      return t.orElseThrow(); // two or more images each, and three or more people
    }
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** Attempts decided by one rule. */
  private static final class Tally {
    int genuine;
    int impostor;
    int falseAccepts;
    int falseRejects;

    void add(boolean isGenuine, boolean verified) {
      if (isGenuine) {
        genuine++;
        falseRejects += verified ? 0 : 1;
      } else {
        impostor++;
        falseAccepts += verified ? 1 : 0;
      }
    }

    Outcome outcome() {
      return new Outcome((double) falseAccepts / impostor, (double) falseRejects / genuine);
    }
  }
}
