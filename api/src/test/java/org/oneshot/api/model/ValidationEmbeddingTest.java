package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;

class ValidationEmbeddingTest {
  private static final Architecture ARCH = Presets.SMALL;

  @Test
  void eachImageIsEmbeddedOnceAndThePairsScoreAsWholePairsDo() throws Exception {
    // 10 images of distinct brightness; 45 pairs among them, every image in 9 of them.
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      samples.add(new Sample("p" + i / 2, "p" + i / 2 + "/" + i, Role.ANCHOR));
    }
    LabelledDataset data =
        new LabelledDataset(
            "shades",
            samples,
            List.of(),
            s -> {
              byte[] pixels = new byte[16];
              Arrays.fill(pixels, (byte) (20 * samples.indexOf(s)));
              return Image.of(4, 4, 1, pixels);
            });
    List<LabelledPair> pairs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      for (int j = i + 1; j < 10; j++) {
        pairs.add(new LabelledPair(samples.get(i), samples.get(j), i / 2 == j / 2 ? 1 : 0));
      }
    }

    MeanNetwork network = new MeanNetwork(true);
    TrainingLoop loop = new TrainingLoop(network, ARCH, data);
    double[] once = loop.predictAll(pairs);
    assertEquals(10, network.embedded, "tower passes for 10 distinct images");
    assertEquals(0, network.pairsPredicted);
    double[] whole = loop.predictPairwise(pairs);
    assertEquals(45, network.pairsPredicted);
    assertArrayEquals(whole, once, 1e-6);

    // A backend without a head in Java has every pair run through it.
    MeanNetwork pairsOnly = new MeanNetwork(false);
    assertArrayEquals(whole, new TrainingLoop(pairsOnly, ARCH, data).predictAll(pairs), 1e-6);
    assertEquals(0, pairsOnly.embedded);
    assertEquals(45, pairsOnly.pairsPredicted);
  }

  /**
   * Embeds an image as its mean input value in every component; the head weighs each component's
   * distance by −1/dimension, so a pair's score is sigmoid(−|mean₁ − mean₂|).
   */
  private static final class MeanNetwork implements TrainingLoop.Network {
    private final boolean hasHead;
    int embedded;
    int pairsPredicted;

    MeanNetwork(boolean hasHead) {
      this.hasHead = hasHead;
    }

    @Override
    public float[] embedInputs(float[] images, int n) {
      int d = ARCH.denseUnits();
      float[] out = new float[n * d];
      for (int i = 0; i < n; i++) {
        Arrays.fill(out, i * d, (i + 1) * d, mean(images, i));
      }
      embedded += n;
      return out;
    }

    @Override
    public DistanceHead currentHead() {
      if (!hasHead) {
        return null;
      }
      float[] weights = new float[ARCH.denseUnits()];
      Arrays.fill(weights, -1f / weights.length);
      return new DistanceHead("means", weights, 0f);
    }

    @Override
    public double[] predict(float[] first, float[] second, int size) {
      double[] out = new double[size];
      for (int i = 0; i < size; i++) {
        out[i] = 1 / (1 + Math.exp(Math.abs(mean(first, i) - mean(second, i))));
      }
      pairsPredicted += size;
      return out;
    }

    private static float mean(float[] images, int index) {
      int size = ARCH.inputSize();
      double sum = 0;
      for (int k = index * size; k < (index + 1) * size; k++) {
        sum += images[k];
      }
      return (float) (sum / size);
    }

    @Override
    public double trainStep(float[] first, float[] second, float[] labels, int size) {
      return 0.5;
    }

    @Override
    public Object snapshot() {
      return null;
    }

    @Override
    public void restore(Object snapshot) {}

    @Override
    public void setLearningRate(double rate) {}
  }
}
