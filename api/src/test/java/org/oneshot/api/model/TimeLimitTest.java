package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.LearningRateSchedule;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingSettings;

/** The steps stop at the time limit, and a cosine follows the clock when it runs out first. */
class TimeLimitTest {
  private static final long STEP_NANOS = 10_000_000L; // each step "takes" 10 ms of the fake clock

  // 8 people × 2 images; 16 listed pairs in batches of 4: 4 steps an epoch, 12 in 3 epochs.
  private final List<Sample> samples = new ArrayList<>();
  private final LabelledDataset data;
  private final List<LabelledPair> pairs = new ArrayList<>();
  private final TrainingSettings settings =
      TrainingSettings.defaults()
          .withEpochs(3)
          .withBatchSize(4)
          .withLearningRate(0.01)
          .withValidationFraction(0)
          .withPatience(0)
          .withSchedule(LearningRateSchedule.COSINE);

  TimeLimitTest() {
    for (int p = 0; p < 8; p++) {
      for (int i = 0; i < 2; i++) {
        samples.add(new Sample("p" + p, "p" + p + "/" + i, Role.ANCHOR));
      }
    }
    data = new LabelledDataset("squares", samples, List.of(), s -> Image.of(4, 4, 1, new byte[16]));
    for (int k = 0; k < 16; k++) {
      pairs.add(new LabelledPair(samples.get(k), samples.get((k + 1) % 16), k % 2));
    }
  }

  @Test
  void stepsStopAtTheLimitAndTheCosineFollowsTheClock() throws Exception {
    ClockedNetwork network = new ClockedNetwork();
    TrainingLoop.Result result = run(network, settings.withTimeLimit(Duration.ofMillis(65)));

    // Steps start at 0, 10, … 60 ms; the one due at 70 ms is past the limit.
    assertEquals(7, result.steps());
    assertEquals(2, result.epochs(), "the second epoch stopped after 3 of its 4 steps");
    assertTrue(result.timeLimitReached());
    assertEquals("true", result.toProperties().get("training.timeLimitReached"));
    // The rate before each step follows time, which runs out before the 12 planned steps:
    // the last step (60 of 65 ms) is near the cosine's floor, not at 6/11 of the way down.
    List<Double> rates = network.rates.subList(1, network.rates.size());
    assertEquals(7, rates.size(), network.rates.toString());
    assertEquals(0.01 * LearningRateSchedule.COSINE.at(60.0 / 65), rates.get(6), 1e-12);
    assertTrue(rates.get(6) < 0.01 * LearningRateSchedule.COSINE.at(6.0 / 11) / 5);
  }

  @Test
  void aLimitAtAnEpochsEndStopsWithoutAnEmptyEpoch() throws Exception {
    TrainingLoop.Result result =
        run(new ClockedNetwork(), settings.withTimeLimit(Duration.ofMillis(40)));

    assertEquals(4, result.steps());
    assertEquals(1, result.epochs(), "no second epoch without a step in it");
    assertTrue(result.timeLimitReached());
  }

  @Test
  void aLimitNotReachedChangesNothing() throws Exception {
    ClockedNetwork limited = new ClockedNetwork();
    TrainingLoop.Result result = run(limited, settings.withTimeLimit(Duration.ofSeconds(10)));
    ClockedNetwork unlimited = new ClockedNetwork();
    run(unlimited, settings);

    assertEquals(12, result.steps());
    assertEquals(3, result.epochs());
    assertFalse(result.timeLimitReached());
    // Time (at most 110 of 10,000 ms) stays behind the steps: the same rates as without a limit.
    assertEquals(unlimited.rates, limited.rates);
    assertEquals(
        "10",
        TrainingLoop.summary(
                new TrainingData(data, pairs, List.of()),
                settings.withTimeLimit(Duration.ofSeconds(10)))
            .get("training.timeLimitSeconds"));
  }

  @Test
  void aNegativeLimitIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> settings.withTimeLimit(Duration.ofSeconds(-1)));
  }

  private TrainingLoop.Result run(ClockedNetwork network, TrainingSettings s) throws Exception {
    return new TrainingLoop(network, Presets.SMALL, data, () -> network.now)
        .run(new TrainingData(data, pairs, List.of()), s, p -> {});
  }

  /** Learns nothing; each step moves its clock on by 10 ms and records the rate it was given. */
  private static final class ClockedNetwork implements TrainingLoop.Network {
    final List<Double> rates = new ArrayList<>();
    long now;

    @Override
    public double trainStep(float[] first, float[] second, float[] labels, int size) {
      now += STEP_NANOS;
      return 0.5;
    }

    @Override
    public double[] predict(float[] first, float[] second, int size) {
      return new double[size];
    }

    @Override
    public Object snapshot() {
      return null;
    }

    @Override
    public void restore(Object snapshot) {}

    @Override
    public void setLearningRate(double rate) {
      rates.add(rate);
    }
  }
}
