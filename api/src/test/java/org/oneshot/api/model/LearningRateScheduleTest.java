package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.LearningRateSchedule;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingSettings;

class LearningRateScheduleTest {
  @Test
  void cosineFallsFromTheFullRateToItsFloorAndConstantStays() {
    LearningRateSchedule cosine = LearningRateSchedule.COSINE;
    assertEquals(1.0, cosine.factor(0, 101), 1e-12);
    assertEquals(0.51, cosine.factor(50, 101), 1e-12); // halfway: the mean of 1 and the floor
    assertEquals(LearningRateSchedule.COSINE_FLOOR, cosine.factor(100, 101), 1e-12);
    for (int step = 1; step < 101; step++) {
      assertTrue(cosine.factor(step, 101) < cosine.factor(step - 1, 101), "step " + step);
    }
    assertEquals(1.0, LearningRateSchedule.CONSTANT.factor(100, 101));
    assertEquals(1.0, cosine.factor(0, 1), "a single step runs at the full rate");
    assertThrows(IllegalArgumentException.class, () -> cosine.factor(0, 0));
  }

  @Test
  void theTrainingLoopSetsTheScheduledRateBeforeEveryStep() throws Exception {
    // 8 people × 2 images; 16 listed pairs in batches of 4: 4 steps an epoch.
    LabelledDataset data = RateRecordingNetwork.squares();
    List<LabelledPair> pairs = RateRecordingNetwork.pairs(data);
    Architecture arch = Presets.SMALL;
    TrainingSettings settings =
        TrainingSettings.defaults()
            .withEpochs(2)
            .withBatchSize(4)
            .withLearningRate(0.01)
            .withValidationFraction(0)
            .withPatience(0)
            .withSchedule(LearningRateSchedule.COSINE);

    RateRecordingNetwork network = new RateRecordingNetwork(0);
    new TrainingLoop(network, arch, data)
        .run(new TrainingData(data, pairs, List.of()), settings, p -> {});
    // The initial rate once, then one rate before each of the 8 steps, falling to the floor.
    assertEquals(9, network.rates.size(), network.rates.toString());
    assertEquals(0.01, network.rates.get(1), 1e-12);
    assertEquals(0.01 * LearningRateSchedule.COSINE_FLOOR, network.rates.get(8), 1e-12);
    for (int i = 2; i < 9; i++) {
      assertTrue(network.rates.get(i) < network.rates.get(i - 1), network.rates.toString());
    }

    RateRecordingNetwork constant = new RateRecordingNetwork(0);
    new TrainingLoop(constant, arch, data)
        .run(
            new TrainingData(data, pairs, List.of()),
            settings.withSchedule(LearningRateSchedule.CONSTANT),
            p -> {});
    assertEquals(List.of(0.01), constant.rates, "a constant rate is set once");
    assertEquals(
        "cosine",
        TrainingLoop.summary(new TrainingData(data, pairs, List.of()), settings)
            .get("training.schedule"));
  }

  @Test
  void peopleTrainedOnAddToThoseOfTheSavedWeights() {
    LabelledDataset data = RateRecordingNetwork.squares();
    TrainingData training = new TrainingData(data, RateRecordingNetwork.pairs(data), List.of());
    java.util.Map<String, String> properties = new java.util.HashMap<>();
    TrainingLoop.recordTraining(properties, result(7), training, TrainingSettings.defaults());
    String own = properties.get(TrainingLoop.IDENTITY_LIST);
    assertEquals(String.join(",", new java.util.TreeSet<>(data.byIdentity().keySet())), own);
    assertEquals(null, properties.get(TrainingLoop.EARLIER), "trained once: nothing earlier");
    // Going on from weights that saw other people: both sets are recorded.
    properties.put(TrainingLoop.IDENTITY_LIST, "zz-earlier,aa-earlier");
    TrainingLoop.recordTraining(properties, result(9), training, TrainingSettings.defaults());
    assertEquals("aa-earlier," + own + ",zz-earlier", properties.get(TrainingLoop.IDENTITY_LIST));
  }

  @Test
  void earlierTrainingsAreKeptOldestFirst() {
    LabelledDataset data = RateRecordingNetwork.squares();
    TrainingData training = new TrainingData(data, RateRecordingNetwork.pairs(data), List.of());
    java.util.Map<String, String> properties = new java.util.HashMap<>();
    TrainingLoop.recordTraining(properties, result(7), training, TrainingSettings.defaults());
    TrainingLoop.recordTraining(properties, result(9), training, TrainingSettings.defaults());
    String first = data.name() + " (" + data.identityCount() + " identities, 7 steps)";
    assertEquals(first, properties.get(TrainingLoop.EARLIER));
    assertEquals("9", properties.get("training.steps"), "the last training's own figures");
    TrainingLoop.recordTraining(properties, result(11), training, TrainingSettings.defaults());
    assertEquals(
        first + "; " + data.name() + " (" + data.identityCount() + " identities, 9 steps)",
        properties.get(TrainingLoop.EARLIER));
  }

  private static TrainingLoop.Result result(long steps) {
    return new TrainingLoop.Result(1, 1, 0.5, 0.75, 0.5, steps, 1.0, 32.0, 64, 16, false, false);
  }
}
