package org.oneshot.api.model;

import java.util.ArrayList;
import java.util.List;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;

/**
 * A network that learns nothing: it records the learning rates the loop gives it and moves its own
 * clock on by {@code stepNanos} each step, for tests of the loop's schedule and time limit.
 */
final class RateRecordingNetwork implements TrainingLoop.Network {
  final List<Double> rates = new ArrayList<>();
  private final long stepNanos;
  long now;

  RateRecordingNetwork(long stepNanos) {
    this.stepNanos = stepNanos;
  }

  /** 8 people × 2 images as 4×4 grey squares. */
  static LabelledDataset squares() {
    List<Sample> samples = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      for (int i = 0; i < 2; i++) {
        samples.add(new Sample("p" + p, "p" + p + "/" + i, Role.ANCHOR));
      }
    }
    return new LabelledDataset("squares", samples, List.of(), s -> Image.of(4, 4, 1, new byte[16]));
  }

  /** 16 listed pairs of the squares, alternately labelled: 4 steps an epoch in batches of 4. */
  static List<LabelledPair> pairs(LabelledDataset squares) {
    List<Sample> samples = squares.samples();
    List<LabelledPair> pairs = new ArrayList<>();
    for (int k = 0; k < 16; k++) {
      pairs.add(new LabelledPair(samples.get(k), samples.get((k + 1) % 16), k % 2));
    }
    return pairs;
  }

  @Override
  public double trainStep(float[] first, float[] second, float[] labels, int size) {
    now += stepNanos;
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
