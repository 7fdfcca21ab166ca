package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    // 8 people × 2 images as 4×4 grey squares; 16 listed pairs in batches of 4: 4 steps an epoch.
    List<Sample> samples = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      for (int i = 0; i < 2; i++) {
        samples.add(new Sample("p" + p, "p" + p + "/" + i, Role.ANCHOR));
      }
    }
    LabelledDataset data =
        new LabelledDataset("squares", samples, List.of(), s -> Image.of(4, 4, 1, new byte[16]));
    List<LabelledPair> pairs = new ArrayList<>();
    for (int k = 0; k < 16; k++) {
      pairs.add(new LabelledPair(samples.get(k), samples.get((k + 1) % 16), k % 2));
    }
    Architecture arch = Presets.SMALL;
    TrainingSettings settings =
        TrainingSettings.defaults()
            .withEpochs(2)
            .withBatchSize(4)
            .withLearningRate(0.01)
            .withValidationFraction(0)
            .withPatience(0)
            .withSchedule(LearningRateSchedule.COSINE);

    RecordingNetwork network = new RecordingNetwork();
    new TrainingLoop(network, arch, data)
        .run(new TrainingData(data, pairs, List.of()), settings, p -> {});
    // The initial rate once, then one rate before each of the 8 steps, falling to the floor.
    assertEquals(9, network.rates.size(), network.rates.toString());
    assertEquals(0.01, network.rates.get(1), 1e-12);
    assertEquals(0.01 * LearningRateSchedule.COSINE_FLOOR, network.rates.get(8), 1e-12);
    for (int i = 2; i < 9; i++) {
      assertTrue(network.rates.get(i) < network.rates.get(i - 1), network.rates.toString());
    }

    RecordingNetwork constant = new RecordingNetwork();
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

  /** Records the learning rates it is given; learns nothing. */
  private static final class RecordingNetwork implements TrainingLoop.Network {
    final List<Double> rates = new ArrayList<>();

    @Override
    public double trainStep(float[] first, float[] second, float[] labels, int size) {
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
