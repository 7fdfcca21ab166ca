package org.oneshot.model.djl.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingListener;
import org.oneshot.api.TrainingSettings;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.DistanceHead;
import org.oneshot.api.model.ModelArchive;
import org.oneshot.api.model.Preprocessor;
import org.oneshot.api.model.TowerEmbedder;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.api.model.UpperTriangle;
import org.oneshot.api.model.WeightInit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A siamese network on DJL's PyTorch engine. Embedding and scoring may run on many threads at once;
 * a training step excludes them for its duration (read/write lock). Scoring needs no engine call:
 * the head's weights are kept in Java, so scoring N references is N small dot products.
 */
final class DjlNetwork implements SiameseNetwork, TrainingLoop.Network {
  static final String BACKEND = "djl";
  private static final Logger LOG = LoggerFactory.getLogger(DjlNetwork.class);

  private final Architecture arch;
  private final String preset;
  private final Model model;
  private final SiameseBlock block;
  private static final Lock GRADIENT_RECORDING = new ReentrantLock();
  // Often enough that few weights stay subnormal for long; rarely enough to cost nothing.
  private static final int FLUSH_EVERY = 10;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, String> properties = new LinkedHashMap<>();
  private volatile DistanceHead head;
  private volatile float learningRate = 1e-4f;
  private Trainer trainer;
  private boolean closed; // guarded by the write lock
  private long steps; // optimiser steps taken; guarded by the write lock

  private DjlNetwork(Architecture arch, String preset) {
    this.arch = arch;
    this.preset = preset;
    this.model = Model.newInstance("oneshot-siamese", Device.cpu(), "PyTorch");
    this.block = new SiameseBlock(arch);
    model.setBlock(block);
    Shape input = new Shape(1, arch.channels(), arch.inputHeight(), arch.inputWidth());
    block.initialize(model.getNDManager(), DataType.FLOAT32, input, input);
  }

  /** A new network with weights drawn from {@code seed} (see {@link WeightInit}). */
  static DjlNetwork create(Architecture arch, String preset, long seed) {
    DjlNetwork network = new DjlNetwork(arch, preset);
    network.initialise(new Random(seed));
    return network;
  }

  static DjlNetwork load(Path file) throws IOException {
    ModelArchive.Contents contents = ModelArchive.read(file, BACKEND);
    DjlNetwork network = new DjlNetwork(contents.architecture(), contents.description().preset());
    Map<String, Shape> expected = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : network.block.getParameters()) {
      expected.put(p.getKey(), p.getValue().getShape());
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(contents.weights()))) {
      network.block.loadParameters(network.model.getNDManager(), in);
      // DJL takes whatever shapes the stream holds: check them against the recorded architecture.
      for (Pair<String, Parameter> p : network.block.getParameters()) {
        Shape loaded = p.getValue().getArray().getShape();
        if (!loaded.equals(expected.get(p.getKey()))) {
          throw new MalformedModelException(
              p.getKey()
                  + " has shape "
                  + loaded
                  + " where the architecture needs "
                  + expected.get(p.getKey()));
        }
        // Arrays read from a stream come without gradients (new ones get them as they are
        // initialised); training on from saved weights needs them.
        if (p.getValue().requiresGradient()) {
          p.getValue().getArray().setRequiresGradient(true);
        }
      }
    } catch (MalformedModelException | IOException | RuntimeException e) {
      network.close();
      throw new IOException(
          file + ": weights do not fit the recorded architecture (" + e.getMessage() + ")", e);
    }
    network.properties.putAll(contents.description().properties());
    network.cacheHead(contents.description().id());
    return network;
  }

  private void initialise(Random random) {
    int in = arch.channels();
    for (int i = 0; i < arch.convs().size(); i++) {
      Architecture.Conv c = arch.convs().get(i);
      int k2 = c.kernel() * c.kernel();
      set(
          block.convs().get(i).getParameters().get("weight"),
          WeightInit.weights(
              arch.init(), false, in * k2, c.filters() * k2, c.filters() * in * k2, random));
      set(
          block.convs().get(i).getParameters().get("bias"),
          WeightInit.biases(arch.init(), c.filters(), random));
      in = c.filters();
    }
    int flat = arch.flattenedSize();
    set(
        block.dense().getParameters().get("weight"),
        WeightInit.weights(
            arch.init(), true, flat, arch.denseUnits(), flat * arch.denseUnits(), random));
    set(
        block.dense().getParameters().get("bias"),
        WeightInit.biases(arch.init(), arch.denseUnits(), random));
    set(
        block.head().getParameters().get("weight"),
        WeightInit.weights(arch.init(), true, arch.denseUnits(), 1, arch.denseUnits(), random));
    set(block.head().getParameters().get("bias"), WeightInit.biases(arch.init(), 1, random));
    cacheHead(UUID.randomUUID().toString());
  }

  private static void set(Parameter parameter, float[] values) {
    parameter.getArray().set(FloatBuffer.wrap(values));
  }

  /** The head, in Java, for weights now called {@code networkId}. */
  private void cacheHead(String networkId) {
    head = headNamed(networkId);
  }

  /** Read under the lock and only while open: a training cancelled and closed at once ends late. */
  private DistanceHead headNamed(String networkId) {
    lock.readLock().lock();
    try {
      requireOpen();
      return new DistanceHead(
          networkId,
          block.head().getParameters().get("weight").getArray().toFloatArray(),
          block.head().getParameters().get("bias").getArray().toFloatArray()[0]);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public DistanceHead currentHead() {
    return headNamed("training");
  }

  @Override
  public float[] embedInputs(float[] images, int n) {
    return towerForward(images, n);
  }

  @Override
  public ModelDescription describe() {
    Map<String, String> props = new LinkedHashMap<>(properties);
    props.put("preprocessing", Preprocessor.describe(arch));
    props.put(
        "engine",
        "DJL "
            + ai.djl.engine.Engine.getDjlVersion()
            + ", PyTorch "
            + Tccl.get(() -> ai.djl.engine.Engine.getEngine("PyTorch").getVersion()));
    props.putIfAbsent("oneshot.version", Versions.ONESHOT);
    return new ModelDescription(
        head.networkId(),
        BACKEND,
        preset,
        arch.toMap(),
        arch.inputWidth(),
        arch.inputHeight(),
        arch.channels(),
        arch.parameterCount(),
        props);
  }

  @Override
  public List<Embedding> embed(List<Image> images) {
    return TowerEmbedder.embed(images, arch, head.networkId(), this);
  }

  private float[] towerForward(float[] input, int n) {
    if (n == 1) {
      return firstOfTwo(towerForward(twice(input), 2));
    }
    lock.readLock().lock();
    try {
      return Tccl.get(
          () -> {
            try (NDManager m = model.getNDManager().newSubManager()) {
              NDArray x = images(m, arch, input, n);
              return block
                  .tower()
                  .forward(new ParameterStore(m, false), new NDList(x), false)
                  .singletonOrThrow()
                  .toFloatArray();
            }
          });
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * One image's pixels twice over. libtorch 2.7 runs a convolution of a single image with a kernel
   * of 3 or less outside oneDNN, and on its way asks NNPACK, which on CPUs it does not know (AMD
   * Zen 5 among them) prints "Could not initialize NNPACK! Reason: Unsupported hardware" on
   * standard error at every call: a line per layer per probe in face:verify and per frame in
   * face:live. A batch of two goes to oneDNN and never asks; batch norm is per image at inference,
   * so the copy's embedding is the image's own.
   */
  private float[] twice(float[] input) {
    int size = arch.inputSize();
    float[] two = new float[2 * size];
    System.arraycopy(input, 0, two, 0, size);
    System.arraycopy(input, 0, two, size, size);
    return two;
  }

  private static float[] firstOfTwo(float[] out) {
    return Arrays.copyOf(out, out.length / 2);
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    return head.score(probe, references);
  }

  @Override
  public Future<ModelDescription> train(
      TrainingData data, TrainingSettings settings, TrainingListener listener) {
    return TrainingLoop.startWorker(
        "oneshot-djl-training", () -> Tccl.call(() -> trainNow(data, settings, listener)));
  }

  private ModelDescription trainNow(
      TrainingData data, TrainingSettings settings, TrainingListener listener) throws IOException {
    lock.readLock().lock();
    try {
      requireOpen(); // say so, rather than let the trainer fail on the freed parameters' manager
    } finally {
      lock.readLock().unlock();
    }
    Tracker rate = numUpdate -> learningRate;
    Optimizer optimizer =
        switch (settings.optimizer()) {
          case ADAM ->
              Optimizer.adam()
                  .optLearningRateTracker(rate)
                  .optWeightDecays((float) settings.l2())
                  .build();
          case SGD ->
              Optimizer.sgd()
                  .setLearningRateTracker(rate)
                  .optMomentum((float) settings.momentum())
                  .optWeightDecays((float) settings.l2())
                  .build();
        };
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
            .optOptimizer(optimizer)
            .optDevices(new Device[] {Device.cpu()});
    // Dropout draws its masks from the engine's generator: seeded, a run repeats.
    Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
    TrainingLoop.Result result;
    try (Trainer t = model.newTrainer(config)) {
      trainer = t;
      result = new TrainingLoop(this, arch, data.dataset()).run(data, settings, listener);
    } finally {
      trainer = null;
    }
    cacheHead(UUID.randomUUID().toString());
    TrainingLoop.recordTraining(properties, result, data, settings);
    LOG.info("trained {} network {}: {}", preset, head.networkId(), result);
    return describe();
  }

  @Override
  public double trainStep(float[] first, float[] second, float[] labels, int n) {
    return optimise(
        m -> {
          NDArray a = images(m, arch, first, n);
          NDArray b = images(m, arch, second, n);
          NDArray y = m.create(FloatBuffer.wrap(labels, 0, n), new Shape(n, 1));
          NDArray z = trainer.forward(new NDList(a, b)).singletonOrThrow();
          return PairLoss.crossEntropy(z, y).mean();
        });
  }

  @Override
  public double trainStepAllPairs(float[] images, int n, float[] labels, float[] weights) {
    return optimise(
        m -> {
          NDArray x = images(m, arch, images, n);
          // The block scores the pairs i < j in UpperTriangle order, as labels and weights come.
          int count = UpperTriangle.count(n);
          NDArray y = m.create(FloatBuffer.wrap(labels, 0, count), new Shape(count, 1));
          NDArray w = m.create(FloatBuffer.wrap(weights, 0, count), new Shape(count, 1));
          NDArray z = trainer.forward(new NDList(x)).singletonOrThrow();
          return PairLoss.crossEntropy(z, y).mul(w).sum();
        });
  }

  /**
   * One optimiser step on the loss that {@code loss} computes, from arrays of the manager given.
   */
  private float optimise(java.util.function.Function<NDManager, NDArray> loss) {
    lock.writeLock().lock();
    try {
      requireOpen();
      try (NDManager m = trainer.getManager().newSubManager()) {
        float value;
        // libtorch's engine records gradients for one step of the whole process at a time: two
        // networks training at once (two shell sessions) take turns, step by step.
        GRADIENT_RECORDING.lock();
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray l = loss.apply(m);
          collector.backward(l);
          value = l.getFloat();
        } finally {
          GRADIENT_RECORDING.unlock();
        }
        trainer.step();
        if (++steps % FLUSH_EVERY == 0) {
          flushSubnormalWeights();
        }
        return value;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Sets to zero the weights that have shrunk below the smallest normal float. Long runs leave many
   * (a fifth of the dense layer's after 6,000 steps of the omniglot recipe), and every product with
   * a subnormal number goes through slow microcode on Intel CPUs: the recipe's steps fell from
   * about 6 a second to 1 over its run. Numbers that small weigh nothing in the network's output.
   */
  void flushSubnormalWeights() {
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray weights = p.getValue().getArray();
      // Through a view without gradient that shares the weights' memory: PyTorch refuses in-place
      // changes to the parameters themselves, which record gradients.
      try (NDArray view = weights.stopGradient();
          NDArray size = view.abs();
          NDArray normal = size.gte(Float.MIN_NORMAL);
          NDArray keep = normal.toType(DataType.FLOAT32, false)) {
        view.muli(keep);
      }
    }
  }

  /** Probabilities of the pairs i &lt; j of {@code n} images, row by row: the all-pairs head. */
  double[] predictAllPairs(float[] images, int n) {
    lock.readLock().lock();
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x = images(m, arch, images, n);
      NDArray logits =
          block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      return doubles(ai.djl.nn.Activation.sigmoid(logits).toFloatArray());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public double[] predict(float[] first, float[] second, int n) {
    lock.readLock().lock();
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray a = images(m, arch, first, n);
      NDArray b = images(m, arch, second, n);
      NDArray logits =
          block.forward(new ParameterStore(m, false), new NDList(a, b), false).singletonOrThrow();
      return doubles(ai.djl.nn.Activation.sigmoid(logits).toFloatArray());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Object snapshot() {
    lock.readLock().lock();
    try {
      requireOpen();
      Map<String, float[]> copy = new LinkedHashMap<>();
      for (Pair<String, Parameter> p : block.getParameters()) {
        copy.put(p.getKey(), p.getValue().getArray().toFloatArray());
      }
      return copy;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void restore(Object snapshot) {
    Map<String, float[]> copy = (Map<String, float[]>) snapshot;
    lock.writeLock().lock();
    try {
      requireOpen();
      for (Pair<String, Parameter> p : block.getParameters()) {
        set(p.getValue(), copy.get(p.getKey()));
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void setLearningRate(double rate) {
    learningRate = (float) rate;
  }

  @Override
  public void save(Path file) throws IOException {
    lock.readLock().lock();
    try {
      ModelArchive.write(
          file, describe(), arch, out -> block.saveParameters(new DataOutputStream(out)));
    } finally {
      lock.readLock().unlock();
    }
  }

  Architecture architecture() {
    return arch;
  }

  /** Every parameter of the network (one tower and the head). */
  ai.djl.util.PairList<String, Parameter> snapshotParameters() {
    return block.getParameters();
  }

  private static double[] doubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /**
   * The first {@code n} images of {@code data} (each channel by channel, row by row) as an N×C×H×W
   * array laid out channels last in memory (NHWC strides). libtorch's convolutions, batch norm and
   * pooling on CPU run faster on that layout, and every layer after the first keeps the layout of
   * its input, so this one choice moves the whole tower (1.2–1.4× a training step; README,
   * "Channels last"). The values and shapes the network sees are the same either way.
   */
  static NDArray images(NDManager m, Architecture arch, float[] data, int n) {
    float[] pixels = arch.channels() == 1 ? data : channelsLast(arch, data, n);
    Shape nhwc = new Shape(n, arch.inputHeight(), arch.inputWidth(), arch.channels());
    return m.create(FloatBuffer.wrap(pixels, 0, n * arch.inputSize()), nhwc).transpose(0, 3, 1, 2);
  }

  /** Colour images reordered from channel by channel to pixel by pixel. */
  private static float[] channelsLast(Architecture arch, float[] data, int n) {
    int channels = arch.channels();
    int plane = arch.inputHeight() * arch.inputWidth();
    float[] pixels = new float[n * arch.inputSize()];
    for (int i = 0; i < n; i++) {
      int image = i * arch.inputSize();
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < plane; p++) {
          pixels[image + p * channels + c] = data[image + c * plane + p];
        }
      }
    }
    return pixels;
  }

  @Override
  public void close() {
    // After the step in flight, if any: a cancelled training's worker may still be in one, and
    // PyTorch's gradient recording is one per process, so it must end before the arrays go.
    lock.writeLock().lock();
    try {
      if (closed) {
        return; // closing twice is harmless, as AutoCloseable asks
      }
      closed = true;
      model.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Called with a lock held: reading or training after close would touch freed arrays. */
  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the network was closed");
    }
  }
}
