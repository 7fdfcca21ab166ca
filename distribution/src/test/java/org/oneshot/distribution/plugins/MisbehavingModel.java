package org.oneshot.distribution.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingListener;
import org.oneshot.api.TrainingSettings;

/**
 * A third party's siamese backend that loads any file and then misbehaves as its name says: {@code
 * hanging} never answers an embedding (until interrupted), {@code stubborn} ignores the interrupt
 * and answers after 3 s, {@code nonsense} answers NaN.
 */
public final class MisbehavingModel implements SiameseModel {
  private final String name;

  public MisbehavingModel(String name) {
    this.name = name;
  }

  /** A description of a model of {@code backend}, for a model file the test writes. */
  public static ModelDescription description(String backend) {
    return new ModelDescription(
        backend + "-model", backend, "small", Map.of(), 64, 64, 1, 1, Map.of());
  }

  @Override
  public String backend() {
    return name;
  }

  @Override
  public List<String> presets() {
    return List.of("small");
  }

  @Override
  public String device() {
    return "nowhere";
  }

  @Override
  public SiameseNetwork create(String preset, Map<String, String> overrides, long seed) {
    throw new UnsupportedOperationException("trains nothing");
  }

  @Override
  public SiameseNetwork load(Path file) {
    return new Network(name);
  }

  /** What {@link #load} gives: a network that misbehaves as its backend's name says. */
  public static final class Network implements SiameseNetwork {
    private final String name;

    Network(String name) {
      this.name = name;
    }

    @Override
    public ModelDescription describe() {
      return description(name);
    }

    @Override
    public List<Embedding> embed(List<Image> images) {
      if (name.equals("throwing")) {
        throw new IllegalStateException("broken on purpose");
      }
      if (name.equals("hanging")) {
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (name.equals("stubborn")) {
        long end = System.nanoTime() + 3_000_000_000L;
        boolean interrupted = false;
        while (System.nanoTime() < end) {
          try {
            Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
          } catch (InterruptedException e) {
            interrupted = true; // a badly written plugin: carries on
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      List<Embedding> out = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        float[] v = new float[4];
        Arrays.fill(v, Float.NaN);
        out.add(new Embedding(name + "-model", v));
      }
      return out;
    }

    @Override
    public double[] score(Embedding probe, List<Embedding> references) {
      return new double[references.size()];
    }

    @Override
    public Future<ModelDescription> train(
        TrainingData data, TrainingSettings settings, TrainingListener listener) {
      throw new UnsupportedOperationException("trains nothing");
    }

    @Override
    public void save(Path target) {
      throw new UnsupportedOperationException("saves nothing");
    }

    @Override
    public void close() {}
  }
}
