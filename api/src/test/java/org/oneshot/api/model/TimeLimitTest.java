package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.LearningRateSchedule;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingSettings;

/** The steps stop at the time limit, and a cosine follows the clock when it runs out first. */
class TimeLimitTest {
  private static final long STEP_NANOS = 10_000_000L; // each step "takes" 10 ms of the fake clock

  // 8 people × 2 images; 16 listed pairs in batches of 4: 4 steps an epoch, 12 in 3 epochs.
  private final LabelledDataset data = RateRecordingNetwork.squares();
  private final List<LabelledPair> pairs = RateRecordingNetwork.pairs(data);
  private final TrainingSettings settings =
      TrainingSettings.defaults()
          .withEpochs(3)
          .withBatchSize(4)
          .withLearningRate(0.01)
          .withValidationFraction(0)
          .withPatience(0)
          .withSchedule(LearningRateSchedule.COSINE);

  @Test
  void stepsStopAtTheLimitAndTheCosineFollowsTheClock() throws Exception {
    RateRecordingNetwork network = new RateRecordingNetwork(STEP_NANOS);
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
        run(new RateRecordingNetwork(STEP_NANOS), settings.withTimeLimit(Duration.ofMillis(40)));

    assertEquals(4, result.steps());
    assertEquals(1, result.epochs(), "no second epoch without a step in it");
    assertTrue(result.timeLimitReached());
  }

  @Test
  void aLimitNotReachedChangesNothing() throws Exception {
    RateRecordingNetwork limited = new RateRecordingNetwork(STEP_NANOS);
    TrainingLoop.Result result = run(limited, settings.withTimeLimit(Duration.ofSeconds(10)));
    RateRecordingNetwork unlimited = new RateRecordingNetwork(STEP_NANOS);
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

  private TrainingLoop.Result run(RateRecordingNetwork network, TrainingSettings s)
      throws Exception {
    return new TrainingLoop(network, Presets.SMALL, data, () -> network.now)
        .run(new TrainingData(data, pairs, List.of()), s, p -> {});
  }
}
