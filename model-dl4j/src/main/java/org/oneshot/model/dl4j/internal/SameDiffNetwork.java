package org.oneshot.model.dl4j.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.nd4j.autodiff.listeners.profiler.ProfilingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;
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
 * Koch's siamese network as a SameDiff graph: the tower's variables are defined once and applied to
 * both inputs, so their gradients add up. Weights are stored in the model file as plain named float
 * arrays, in the same layouts as the DJL backend (convolutions OIYX).
 */
final class SameDiffNetwork implements SiameseNetwork, TrainingLoop.Network {
  static final String BACKEND = "dl4j";
  private static final Logger LOG = LoggerFactory.getLogger(SameDiffNetwork.class);

  private final Architecture arch;
  private final String preset;
  private final SameDiff sd = SameDiff.create();
  private final FasterMaxPooling pooling = new FasterMaxPooling();
  private final List<String> weights = new ArrayList<>();
  // Batch normalisation's running averages by placeholder name, shaped [1, C, 1, 1].
  private final Map<String, INDArray> running = new LinkedHashMap<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by the write lock
  private final Map<String, String> properties = new LinkedHashMap<>();
  private volatile DistanceHead head;
  private volatile double learningRate = 1e-4;
  // Dropout's masks, drawn here rather than by a graph op so that the loss pass and the fit of a
  // step share them and a seeded run repeats; re-seeded by each training run.
  private final Random dropoutRandom = new Random(0);
  private static final int LOSS_EVERY = 8;
  private static final String KEEP = ".keep";
  // The image placeholders of each loss, in the order SameDiff's fit takes them.
  private static final String[] PAIR_INPUTS = {"first", "second"};
  private static final String[] ALL_PAIRS_INPUTS = {"images"};
  private static final String PROFILE_PROPERTY = "oneshot.dl4j.profile";
  private boolean profiling;
  private static final String ALL_PAIRS_LOSS = "allPairsLoss";
  private static final double CONFIDENT_LOGIT = 30.0;
  // Weight of a new batch in the running averages. They are updated on the steps that measure the
  // loss (every LOSS_EVERY-th) — their forward pass yields the batch statistics for free — so the
  // weight is larger than PyTorch's 0.1 per step: about the same number of steps is averaged.
  private static final double RUNNING_WEIGHT = 0.3;
  private long steps;

  private SameDiffNetwork(Architecture arch, String preset, Random random) {
    this.arch = arch;
    this.preset = preset;
    build(random);
    cacheHead(UUID.randomUUID().toString());
  }

  static SameDiffNetwork create(Architecture arch, String preset, long seed) {
    return new SameDiffNetwork(arch, preset, new Random(seed));
  }

  static SameDiffNetwork load(Path file) throws IOException {
    ModelArchive.Contents contents = ModelArchive.read(file, BACKEND);
    SameDiffNetwork network =
        new SameDiffNetwork(
            contents.architecture(), contents.description().preset(), new Random(0));
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(contents.weights()))) {
      network.readWeights(in);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          file + ": weights do not fit the recorded architecture (" + e.getMessage() + ")", e);
    }
    network.properties.putAll(contents.description().properties());
    network.cacheHead(contents.description().id());
    return network;
  }

  private void build(Random random) {
    OpOverrides.register();
    long c = arch.channels();
    long h = arch.inputHeight();
    long w = arch.inputWidth();
    SDVariable first = sd.placeHolder("first", DataType.FLOAT, -1, c, h, w);
    SDVariable second = sd.placeHolder("second", DataType.FLOAT, -1, c, h, w);
    SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 1);

    // Variables once, in the order and shapes the DJL backend draws them.
    int in = arch.channels();
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < arch.convs().size(); i++) {
      Architecture.Conv conv = arch.convs().get(i);
      int k2 = conv.kernel() * conv.kernel();
      String name = "conv" + (i + 1);
      SDVariable cw =
          variable(
              name + ".w",
              WeightInit.weights(
                  arch.init(),
                  false,
                  in * k2,
                  conv.filters() * k2,
                  conv.filters() * in * k2,
                  random),
              conv.kernel(),
              conv.kernel(),
              in,
              conv.filters());
      SDVariable cb =
          variable(
              name + ".b", WeightInit.biases(arch.init(), conv.filters(), random), conv.filters());
      layers.add(new Layer(name, conv, cw, cb, arch.batchNorm() ? batchNorm(name, conv) : null));
      in = conv.filters();
    }
    int flat = arch.flattenedSize();
    int units = arch.denseUnits();
    // DJL keeps dense weights as [units, inputs]; so do we, and multiply by the transpose.
    SDVariable dw =
        variable(
            "dense.w",
            WeightInit.weights(arch.init(), true, flat, units, flat * units, random),
            units,
            flat);
    SDVariable db = variable("dense.b", WeightInit.biases(arch.init(), units, random), units);
    SDVariable hw =
        variable(
            "head.w", WeightInit.weights(arch.init(), true, units, 1, units, random), 1, units);
    SDVariable hb = variable("head.b", WeightInit.biases(arch.init(), 1, random), 1);

    // With batch normalisation, training normalises by the batch's statistics and everything
    // else by the running averages: two applications of the same variables.
    Tower inference = new Tower(layers, dw, db, flat, false);
    Tower training =
        arch.batchNorm() || dropping() ? new Tower(layers, dw, db, flat, true) : inference;
    SDVariable e1 = inference.apply(first, "first").rename("embedding");
    SDVariable e2 = inference.apply(second, "second");
    SDVariable inferenceLogits = head(e1, e2, hw, hb);
    sd.nn().sigmoid("probability", inferenceLogits);
    SDVariable logits =
        training == inference
            ? inferenceLogits
            : head(training.apply(first, "first"), training.apply(second, "second"), hw, hb);
    crossEntropy(logits, label).mean("loss");

    // All-pairs training (AllPairsBatches): each image of one batch embedded once, the head on
    // every ordered pair (i, j) as an n·n column; the pairs other than i < j weigh 0. (A gather
    // of the pairs i < j, as in the DJL backend, would halve the head's work, but this SameDiff's
    // gather has no usable gradient: Gather.doDiff builds a while loop that fails to register a
    // second time in one graph.)
    SDVariable images = sd.placeHolder("images", DataType.FLOAT, -1, c, h, w);
    SDVariable pairLabels = sd.placeHolder("pairLabels", DataType.FLOAT, -1, 1);
    SDVariable pairWeights = sd.placeHolder("pairWeights", DataType.FLOAT, -1, 1);
    SDVariable e = training.apply(images, "images");
    SDVariable distances =
        sd.math().abs(sd.expandDims(e, 1).sub(sd.expandDims(e, 0))).reshape(-1, units);
    SDVariable pairLogits = timesTransposed(distances, hw).add(hb);
    sd.nn().sigmoid("pairProbability", pairLogits);
    crossEntropy(pairLogits, pairLabels).mul(pairWeights).sum(ALL_PAIRS_LOSS);
    sd.setLossVariables("loss");
    sd.addListeners(pooling);
  }

  /**
   * Binary cross-entropy on logits, written out (stably) as DJL's backend computes it: max(z,0) -
   * z*y + log(1 + exp(-min(|z|, 30))). Beyond |z| = 30 the smooth term (&lt; 1e-13) and its
   * gradient count as zero, so that confident pairs send no subnormal gradients back through the
   * tower (slow on Intel CPUs; see the DJL backend's PairLoss).
   */
  private SDVariable crossEntropy(SDVariable logits, SDVariable label) {
    SDVariable confident = sd.math().clipByValue(sd.math().abs(logits), 0.0, CONFIDENT_LOGIT);
    return sd.nn()
        .relu(logits, 0)
        .sub(logits.mul(label))
        .add(sd.math().log(sd.math().exp(confident.neg()).add(1.0)));
  }

  private SDVariable head(SDVariable e1, SDVariable e2, SDVariable hw, SDVariable hb) {
    return timesTransposed(sd.math().abs(e1.sub(e2)), hw).add(hb);
  }

  /**
   * x · wᵀ for weights kept as [outputs, inputs], the way DJL keeps them. The transpose is the
   * matrix product's flag, not a permute: SameDiff's permute copied the dense layer's 1024 × 1152
   * weights in every tower, and its gradient back: permutes and the products' gradients took 24 ms
   * of a faces step's op time, 6 ms with the flag (SameDiff's profiler, README: face:bench).
   */
  private SDVariable timesTransposed(SDVariable x, SDVariable weights) {
    return sd.mmul(x, weights, false, true, false);
  }

  /** One convolution's variables, and its batch normalisation's when it has one. */
  private record Layer(
      String name, Architecture.Conv conv, SDVariable weight, SDVariable bias, Norm norm) {}

  /**
   * A batch normalisation's learned scale and shift, one value per channel, and the placeholders
   * its running averages are fed through (kept in {@link #running}, updated by the training step,
   * not by the optimiser).
   */
  private record Norm(SDVariable gamma, SDVariable beta, SDVariable mean, SDVariable variance) {}

  private Norm batchNorm(String conv, Architecture.Conv shape) {
    int n = shape.filters();
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    SDVariable gamma = variable(conv + ".gamma", ones, n);
    SDVariable beta = variable(conv + ".beta", new float[n], n);
    running.put(conv + ".mean", Nd4j.zeros(DataType.FLOAT, 1, n, 1, 1));
    running.put(conv + ".var", Nd4j.ones(DataType.FLOAT, 1, n, 1, 1));
    return new Norm(
        gamma,
        beta,
        sd.placeHolder(conv + ".mean", DataType.FLOAT, 1, n, 1, 1),
        sd.placeHolder(conv + ".var", DataType.FLOAT, 1, n, 1, 1));
  }

  private SDVariable variable(String name, float[] values, long... shape) {
    weights.add(name);
    return sd.var(name, Nd4j.create(values, shape, 'c'));
  }

  /** The tower as a graph over the shared variables, in training or in inference form. */
  private final class Tower {
    private final List<Layer> layers;
    private final SDVariable dw;
    private final SDVariable db;
    private final int flat;
    private final boolean training;

    Tower(List<Layer> layers, SDVariable dw, SDVariable db, int flat, boolean training) {
      this.layers = layers;
      this.dw = dw;
      this.db = db;
      this.flat = flat;
      this.training = training;
    }

    /** The embedding of {@code x}; {@code input} names the batch statistics it computes. */
    SDVariable apply(SDVariable x, String input) {
      for (Layer layer : layers) {
        Architecture.Conv conv = layer.conv();
        Conv2DConfig config =
            Conv2DConfig.builder()
                .kH(conv.kernel())
                .kW(conv.kernel())
                .sH(1)
                .sW(1)
                .dataFormat("NCHW")
                .build();
        x = sd.cnn().conv2d(x, layer.weight(), layer.bias(), config);
        if (layer.norm() != null) {
          x = normalise(x, layer, input);
        }
        // Pooling before the ReLU: max and ReLU commute, values and gradients alike, and the ReLU
        // then runs on a quarter of the activations; libnd4j's ReLU gradient took 7% of the op
        // time on faces (README, face:bench).
        if (conv.pool()) {
          x =
              sd.cnn()
                  .maxPooling2d(
                      x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(false).build());
        }
        x = sd.nn().relu(x, 0);
      }
      SDVariable features = x.reshape(-1, flat);
      if (training && dropping()) {
        // Each training input has its mask placeholder: 0 or 1/(1 - p) per feature and image.
        features = features.mul(sd.placeHolder(input + KEEP, DataType.FLOAT, -1, flat));
      }
      return sd.nn().sigmoid(timesTransposed(features, dw).add(db));
    }

    // Training normalises by the batch's own statistics (named, for the running averages) and
    // differentiates through them, as PyTorch's batch_norm in training mode does.
    private SDVariable normalise(SDVariable x, Layer layer, String input) {
      Norm norm = layer.norm();
      int n = layer.conv().filters();
      SDVariable mean;
      SDVariable variance;
      if (training) {
        SDVariable[] statistics =
            TrainingBatchNorm.statistics(
                sd, x, layer.name() + ".mean." + input, layer.name() + ".var." + input);
        mean = statistics[0];
        variance = statistics[1];
      } else {
        mean = norm.mean();
        variance = norm.variance();
      }
      return TrainingBatchNorm.apply(
          sd, x, mean.reshape(n), variance.reshape(n), norm.gamma(), norm.beta());
    }
  }

  /** The head, in Java, for weights now called {@code networkId}. */
  private void cacheHead(String networkId) {
    head = headNamed(networkId);
  }

  /**
   * Read under the lock and only while open: a training cancelled and closed at once ends its loop
   * after close() has freed the arrays, and copying a freed array crashes the JVM in memcpy.
   */
  private DistanceHead headNamed(String networkId) {
    lock.readLock().lock();
    try {
      requireOpen();
      return new DistanceHead(
          networkId,
          floats(sd.getVariable("head.w").getArr()),
          sd.getVariable("head.b").getArr().getFloat(0));
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
    return run(Map.of("first", batch(images, n)), "embedding");
  }

  @Override
  public ModelDescription describe() {
    Map<String, String> props = new LinkedHashMap<>(properties);
    props.put("preprocessing", Preprocessor.describe(arch));
    props.put(
        "engine",
        "ND4J/SameDiff 1.0.0-M2.1, "
            + Nd4jRuntime.get(() -> Nd4j.getBackend().getClass().getSimpleName()));
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

  /** Trainable parameters actually in the graph. */
  long graphParameterCount() {
    long count = 0;
    for (String name : weights) {
      count += sd.getVariable(name).getArr().length();
    }
    return count;
  }

  Architecture architecture() {
    return arch;
  }

  /** The graph, for tests that listen to its ops. */
  SameDiff graph() {
    return sd;
  }

  /** The kernel the race of each max pooling op chose so far, true for oneDNN's. */
  Map<String, Boolean> poolingKernels() {
    return pooling.choices();
  }

  /** Batch normalisation's running averages by name (none without it), copied. */
  Map<String, float[]> runningAverages() {
    lock.readLock().lock();
    try {
      Map<String, float[]> copy = new LinkedHashMap<>();
      running.forEach((name, array) -> copy.put(name, floats(array)));
      return copy;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<Embedding> embed(List<Image> images) {
    return TowerEmbedder.embed(images, arch, head.networkId(), this);
  }

  private float[] run(Map<String, INDArray> inputs, String output) {
    lock.readLock().lock();
    try {
      Map<String, INDArray> all = new LinkedHashMap<>(inputs);
      all.putAll(running);
      return Nd4jRuntime.get(() -> floats(sd.output(all, output).get(output)));
    } finally {
      lock.readLock().unlock();
    }
  }

  private INDArray batch(float[] values, int n) {
    return Nd4j.create(
        values.length == n * arch.inputSize()
            ? values
            : Arrays.copyOf(values, n * arch.inputSize()),
        new long[] {n, arch.channels(), arch.inputHeight(), arch.inputWidth()},
        'c');
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    return head.score(probe, references);
  }

  @Override
  public Future<ModelDescription> train(
      TrainingData data, TrainingSettings settings, TrainingListener listener) {
    return TrainingLoop.startWorker(
        "oneshot-dl4j-training", () -> Nd4jRuntime.call(() -> trainNow(data, settings, listener)));
  }

  private ModelDescription trainNow(
      TrainingData data, TrainingSettings settings, TrainingListener listener) throws IOException {
    prepareTraining(settings);
    TrainingLoop.Result result =
        new TrainingLoop(this, arch, data.dataset()).run(data, settings, listener);
    cacheHead(UUID.randomUUID().toString());
    TrainingLoop.recordTraining(properties, result, data, settings);
    LOG.info("trained {} network {}: {}", preset, head.networkId(), result);
    return describe();
  }

  /** The optimiser, the loss and the inputs its steps take, for {@link #trainStep} and kin. */
  private void prepareTraining(TrainingSettings settings) {
    ISchedule rate = new CurrentRate(this);
    IUpdater updater =
        switch (settings.optimizer()) {
          case ADAM -> new Adam(rate);
          case SGD -> new Nesterovs(rate, settings.momentum());
        };
    lock.writeLock().lock();
    try {
      requireOpen();
      boolean allPairs = settings.allPairs() != null;
      // Each loss has its own inputs; setting the loss drops the gradient graph of the other.
      sd.setLossVariables(allPairs ? ALL_PAIRS_LOSS : "loss");
      TrainingConfig.Builder config = TrainingConfig.builder().updater(updater).l2(settings.l2());
      config.dataSetFeatureMapping(featureNames(allPairs ? ALL_PAIRS_INPUTS : PAIR_INPUTS));
      if (allPairs) {
        config.dataSetLabelMapping("pairLabels", "pairWeights");
      } else {
        config.dataSetLabelMapping("label");
      }
      dropoutRandom.setSeed(settings.seed());
      sd.setTrainingConfig(config.build());
      createGradients();
      attachProfiler();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The gradient graph of the loss set, built now and quietly (see {@link QuietStdout}). */
  private void createGradients() {
    if (!sd.hasGradientFunction()) {
      Nd4jRuntime.get(
          () ->
              QuietStdout.call(
                  () -> {
                    sd.createGradFunction();
                    return null;
                  }));
    }
  }

  /**
   * With {@code -Doneshot.dl4j.profile=FILE}, SameDiff's own profiler records every op of 40 graph
   * runs after 20 of warm-up (training steps and the loss's forward passes) to FILE (Chrome trace
   * JSON; {@code distribution/bench/op-profile.py} sums it by op): where DL4J's training time goes,
   * op by op (README, face:bench).
   */
  private void attachProfiler() {
    String file = System.getProperty(PROFILE_PROPERTY, "");
    if (file.isBlank() || profiling) {
      return;
    }
    profiling = true;
    sd.addListeners(
        ProfilingListener.builder(new File(file)).warmup(20).maxProfileIterations(40).build());
    LOG.info("profiling 40 DL4J graph runs after 20 of warm-up into {}", file);
  }

  /** The learning rate the training loop sets, read by the updater at every step. */
  private record CurrentRate(SameDiffNetwork network) implements ISchedule {
    @Override
    public double valueAt(int iteration, int epoch) {
      return network.learningRate;
    }

    @Override
    public ISchedule clone() {
      return this;
    }
  }

  @Override
  public double trainStep(float[] first, float[] second, float[] labels, int n) {
    lock.writeLock().lock();
    try {
      requireOpen();
      INDArray a = batch(first, n);
      INDArray b = batch(second, n);
      INDArray y = Nd4j.create(Arrays.copyOf(labels, n), new long[] {n, 1}, 'c');
      Map<String, INDArray> features = withMasks(PAIR_INPUTS, n, true, a, b);
      // SameDiff's fit does not compute the loss value (its gradient does not need it), so the
      // loss is measured by a forward pass on every LOSS_EVERY-th step only: a few percent of the
      // time instead of a third. Other steps report NaN, which the training loop skips.
      double loss = Double.NaN;
      if (steps++ % LOSS_EVERY == 0) {
        List<String> outputs = new ArrayList<>(List.of("loss"));
        for (String name : running.keySet()) {
          outputs.add(name + ".first");
          outputs.add(name + ".second");
        }
        Map<String, INDArray> feed = new LinkedHashMap<>(features);
        feed.put("label", y);
        Map<String, INDArray> values = sd.output(feed, outputs.toArray(new String[0]));
        loss = values.get("loss").getDouble(0);
        updateRunningAverages(values, "first", "second");
      }
      sd.fit(new MultiDataSet(featureArrays(features, PAIR_INPUTS), new INDArray[] {y}));
      NativeMemoryBound.afterStep();
      return loss;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public double trainStepAllPairs(float[] images, int n, float[] labels, float[] weights) {
    lock.writeLock().lock();
    try {
      requireOpen();
      Map<String, INDArray> feed = allPairsFeed(images, n, labels, weights, true);
      double loss = Double.NaN; // measured every LOSS_EVERY-th step, as in trainStep
      if (steps++ % LOSS_EVERY == 0) {
        List<String> outputs = new ArrayList<>(List.of(ALL_PAIRS_LOSS));
        for (String name : running.keySet()) {
          outputs.add(name + ".images");
        }
        Map<String, INDArray> values = sd.output(feed, outputs.toArray(new String[0]));
        loss = values.get(ALL_PAIRS_LOSS).getDouble(0);
        updateRunningAverages(values, "images");
      }
      sd.fit(
          new MultiDataSet(
              featureArrays(feed, ALL_PAIRS_INPUTS),
              new INDArray[] {feed.get("pairLabels"), feed.get("pairWeights")}));
      NativeMemoryBound.afterStep();
      return loss;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Moves each running average towards the mean of the batch statistics the tower computed on
   * {@code inputs} (both towers of a pair step, the one batch of an all-pairs step).
   */
  private void updateRunningAverages(Map<String, INDArray> batch, String... inputs) {
    for (Map.Entry<String, INDArray> e : running.entrySet()) {
      INDArray sum = batch.get(e.getKey() + "." + inputs[0]).dup();
      for (int i = 1; i < inputs.length; i++) {
        sum.addi(batch.get(e.getKey() + "." + inputs[i]));
      }
      e.getValue().muli(1 - RUNNING_WEIGHT).addi(sum.muli(RUNNING_WEIGHT / inputs.length));
    }
  }

  /**
   * The all-pairs loss's placeholders: {@code n} images, and the labels and weights of the pairs i
   * &lt; j (in {@link UpperTriangle} order) laid out n×n, row-major, as the head scores them.
   */
  private Map<String, INDArray> allPairsFeed(
      float[] images, int n, float[] labels, float[] weights, boolean drop) {
    int[] square = squarePositions(n);
    float[] squareLabels = new float[n * n];
    float[] squareWeights = new float[n * n];
    for (int k = 0; k < square.length; k++) {
      squareLabels[square[k]] = labels[k];
      squareWeights[square[k]] = weights[k];
    }
    Map<String, INDArray> feed = withMasks(ALL_PAIRS_INPUTS, n, drop, batch(images, n));
    feed.put("pairLabels", Nd4j.create(squareLabels, new long[] {n * n, 1}, 'c'));
    feed.put("pairWeights", Nd4j.create(squareWeights, new long[] {n * n, 1}, 'c'));
    return feed;
  }

  private boolean dropping() {
    return arch.dropout() > 0;
  }

  /** The training placeholders of {@code inputs}: each batch, then each one's dropout mask. */
  private String[] featureNames(String[] inputs) {
    List<String> names = new ArrayList<>(List.of(inputs));
    if (dropping()) {
      for (String input : inputs) {
        names.add(input + KEEP);
      }
    }
    return names.toArray(new String[0]);
  }

  /** The values of {@link #featureNames} of {@code inputs} in its order, as fit takes them. */
  private INDArray[] featureArrays(Map<String, INDArray> feed, String[] inputs) {
    return Arrays.stream(featureNames(inputs)).map(feed::get).toArray(INDArray[]::new);
  }

  /**
   * The {@code batches} (n images each) under the names {@code inputs}, with a dropout mask per
   * batch when the tower drops: random when {@code drop}, all ones (every feature kept) for the
   * checks that compare with training. Masks are drawn in the order of {@code inputs}, so a seeded
   * run repeats in any JVM (a {@code Map.of}'s order changes from one JVM to the next).
   */
  private Map<String, INDArray> withMasks(
      String[] inputs, int n, boolean drop, INDArray... batches) {
    Map<String, INDArray> feed = new LinkedHashMap<>();
    for (int b = 0; b < inputs.length; b++) {
      feed.put(inputs[b], batches[b]);
    }
    if (dropping()) {
      int flat = arch.flattenedSize();
      float kept = (float) (1 / (1 - arch.dropout()));
      for (String input : inputs) {
        float[] mask = new float[n * flat];
        if (drop) {
          for (int i = 0; i < mask.length; i++) {
            mask[i] = dropoutRandom.nextDouble() < arch.dropout() ? 0f : kept;
          }
        } else {
          Arrays.fill(mask, 1f);
        }
        feed.put(input + KEEP, Nd4j.create(mask, new long[] {n, flat}, 'c'));
      }
    }
    return feed;
  }

  /**
   * Probabilities of the pairs i &lt; j of {@code n} images, in {@link UpperTriangle} order: the
   * all-pairs head (with batch normalisation, by the batch's own statistics, as in training).
   */
  double[] predictAllPairs(float[] images, int n) {
    double[] all =
        doubles(run(withMasks(ALL_PAIRS_INPUTS, n, false, batch(images, n)), "pairProbability"));
    int[] square = squarePositions(n);
    double[] pairs = new double[square.length];
    for (int k = 0; k < square.length; k++) {
      pairs[k] = all[square[k]];
    }
    return pairs;
  }

  /** Where each pair i &lt; j ({@link UpperTriangle} order) lies in the head's n×n scores. */
  private static int[] squarePositions(int n) {
    long[] rows = UpperTriangle.rows(n);
    long[] columns = UpperTriangle.columns(n);
    int[] positions = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      positions[k] = (int) (rows[k] * n + columns[k]);
    }
    return positions;
  }

  /** Gradients of the pair loss (the batch's mean) by weight name: for the all-pairs check. */
  Map<String, INDArray> pairGradients(float[] first, float[] second, float[] labels, int n) {
    INDArray y = Nd4j.create(Arrays.copyOf(labels, n), new long[] {n, 1}, 'c');
    Map<String, INDArray> feed =
        withMasks(PAIR_INPUTS, n, false, batch(first, n), batch(second, n));
    feed.put("label", y);
    return gradients("loss", feed);
  }

  /** Gradients of the all-pairs loss by weight name, for the same step as trainStepAllPairs. */
  Map<String, INDArray> allPairsGradients(float[] images, int n, float[] labels, float[] weights) {
    return gradients(ALL_PAIRS_LOSS, allPairsFeed(images, n, labels, weights, false));
  }

  private Map<String, INDArray> gradients(String loss, Map<String, INDArray> feed) {
    lock.writeLock().lock();
    try {
      sd.setLossVariables(loss);
      createGradients();
      return sd.calculateGradients(feed, weights);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public double[] predict(float[] first, float[] second, int n) {
    return doubles(
        run(Map.of("first", batch(first, n), "second", batch(second, n)), "probability"));
  }

  @Override
  public Object snapshot() {
    lock.readLock().lock();
    try {
      requireOpen();
      Map<String, INDArray> copy = new LinkedHashMap<>();
      for (String name : weights) {
        copy.put(name, sd.getVariable(name).getArr().dup());
      }
      running.forEach((name, array) -> copy.put(name, array.dup()));
      return copy;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void restore(Object snapshot) {
    Map<String, INDArray> copy = (Map<String, INDArray>) snapshot;
    lock.writeLock().lock();
    try {
      requireOpen();
      for (String name : weights) {
        sd.getVariable(name).getArr().assign(copy.get(name));
      }
      running.forEach((name, array) -> array.assign(copy.get(name)));
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void setLearningRate(double rate) {
    learningRate = rate;
  }

  @Override
  public void save(Path file) throws IOException {
    lock.readLock().lock();
    try {
      ModelArchive.write(file, describe(), arch, out -> writeWeights(new DataOutputStream(out)));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every array a model file holds: the trained variables, then the running averages. */
  private Map<String, INDArray> savedArrays() {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    for (String name : weights) {
      arrays.put(name, sd.getVariable(name).getArr());
    }
    arrays.putAll(running);
    return arrays;
  }

  private void writeWeights(DataOutputStream out) throws IOException {
    Map<String, INDArray> arrays = savedArrays();
    out.writeInt(arrays.size());
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      String name = e.getKey();
      INDArray array = e.getValue();
      out.writeUTF(name);
      long[] shape = array.shape();
      out.writeInt(shape.length);
      for (long s : shape) {
        out.writeLong(s);
      }
      for (float v : floats(array)) {
        out.writeFloat(v);
      }
    }
    out.flush();
  }

  private void readWeights(DataInputStream in) throws IOException {
    Map<String, INDArray> arrays = savedArrays();
    int count = in.readInt();
    if (count != arrays.size()) {
      throw new IOException(count + " weight arrays where the architecture has " + arrays.size());
    }
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      INDArray target = arrays.get(name);
      if (target == null) {
        throw new IOException("unknown weight array '" + name + "'");
      }
      long[] shape = new long[in.readInt()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = in.readLong();
      }
      if (!Arrays.equals(shape, target.shape())) {
        throw new IOException(
            name
                + " has shape "
                + Arrays.toString(shape)
                + " where the architecture needs "
                + Arrays.toString(target.shape()));
      }
      float[] values = new float[(int) target.length()];
      for (int v = 0; v < values.length; v++) {
        values[v] = in.readFloat();
      }
      target.assign(Nd4j.create(values, shape, 'c'));
    }
  }

  /** The values of {@code array} in row-major order, whatever its rank or view. */
  private static double[] doubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static float[] floats(INDArray array) {
    return array.dup('c').reshape(array.length()).toFloatVector();
  }

  @Override
  public void close() {
    // SameDiff has no close of its own: release the weight arrays' native memory now — after the
    // step in flight, if any (a cancelled training's worker may still be in one).
    lock.writeLock().lock();
    try {
      if (closed) {
        return; // closing twice is harmless, as AutoCloseable asks
      }
      closed = true;
      for (INDArray array : savedArrays().values()) {
        if (array != null && array.closeable()) {
          array.close();
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Called with a lock held: a step or a read after close would start on freed arrays. */
  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the network was closed");
    }
  }
}
