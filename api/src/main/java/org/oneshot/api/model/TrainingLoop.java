package org.oneshot.api.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.oneshot.api.Embedding;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.LearningRateSchedule;
import org.oneshot.api.Optimizer;
import org.oneshot.api.Sample;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingListener;
import org.oneshot.api.TrainingProgress;
import org.oneshot.api.TrainingSettings;

/**
 * The training procedure every backend runs, so that backends are compared on equal terms: a
 * validation split, shuffled batches (with Koch's distortions if asked), a progress event per step
 * and per epoch, the learning-rate schedule step by step and per-epoch decay for SGD, early
 * stopping on validation loss with the best epoch's weights kept, a time limit on the steps, and
 * cancellation between steps (thread interrupt).
 */
public final class TrainingLoop {
  /**
   * Model property: the identities trained on, comma-separated, so that evaluation on the same data
   * can leave them out.
   */
  public static final String IDENTITY_LIST = "training.identityList";

  /**
   * Model property: the score threshold that separated the validation pairs best at the best epoch
   * (midway between two scores on the logit scale: {@link Metrics#bestProbabilityThreshold}), the
   * default decision threshold for verification.
   */
  public static final String THRESHOLD = "metrics.validationThreshold";

  /**
   * Model property: what the weights trained on before their last training, oldest first, one
   * {@code DATA (N identities, S steps)} entry each, separated by {@code "; "}: a pretraining, or
   * the saved model a training went on from. Absent for weights trained once.
   */
  public static final String EARLIER = "training.earlier";

  /** What a backend's network does for the loop. Called from the training thread only. */
  public interface Network {
    /**
     * One optimiser step on a batch of {@code size} pairs; returns the batch's mean loss, or NaN
     * when the backend did not measure it on this step (the epoch's loss averages measured steps).
     */
    double trainStep(float[] first, float[] second, float[] labels, int size);

    /**
     * One optimiser step on every pair among {@code n} images (see {@link
     * org.oneshot.api.AllPairsBatches}): the tower embeds each image once, the head scores each
     * pair i &lt; j, and the loss is the sum of the pairs' binary cross-entropies times {@code
     * weights}. {@code labels} and {@code weights} hold n(n−1)/2 pairs in {@link UpperTriangle}
     * order; pairs of weight 0 do not count. Returns the loss, or NaN when the backend did not
     * measure it on this step.
     *
     * @throws UnsupportedOperationException from a backend that trains on listed pairs only
     */
    default double trainStepAllPairs(float[] images, int n, float[] labels, float[] weights) {
      throw new UnsupportedOperationException(
          "this backend trains on listed pairs only, not on all pairs of a batch");
    }

    /** Probabilities that each pair of the batch is the same identity. */
    double[] predict(float[] first, float[] second, int size);

    /**
     * The tower's embeddings of {@code n} network inputs in inference mode, n rows of the
     * embedding's size. With {@link #currentHead()} it lets validation embed each image once
     * instead of once per pair it is in.
     *
     * @throws UnsupportedOperationException from a backend that scores whole pairs only
     */
    default float[] embedInputs(float[] images, int n) {
      throw new UnsupportedOperationException("this backend scores whole pairs only");
    }

    /**
     * The head as the weights stand now, or null from a backend that scores whole pairs only (its
     * validation then runs every pair through {@link #predict}).
     */
    default DistanceHead currentHead() {
      return null;
    }

    /** A copy of the weights, to restore later. */
    Object snapshot();

    void restore(Object snapshot);

    void setLearningRate(double rate);
  }

  /** What a run did. */
  public record Result(
      int epochs,
      int bestEpoch,
      double bestValidationLoss,
      double bestValidationAccuracy,
      double threshold,
      long steps,
      double seconds,
      double pairsPerSecond,
      int trainingPairs,
      int validationPairs,
      boolean cancelled,
      boolean timeLimitReached) {

    /** As model-file properties. */
    public Map<String, String> toProperties() {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("training.epochs", String.valueOf(epochs));
      p.put("training.bestEpoch", String.valueOf(bestEpoch));
      p.put("training.steps", String.valueOf(steps));
      p.put("training.seconds", format(seconds));
      p.put("training.pairsPerSecond", format(pairsPerSecond));
      p.put("training.pairs", String.valueOf(trainingPairs));
      p.put("training.validationPairs", String.valueOf(validationPairs));
      p.put("training.cancelled", String.valueOf(cancelled));
      p.put("training.timeLimitReached", String.valueOf(timeLimitReached));
      p.put("metrics.validationLoss", format(bestValidationLoss));
      p.put("metrics.validationAccuracy", format(bestValidationAccuracy));
      if (Double.isFinite(threshold)) {
        p.put(THRESHOLD, String.valueOf(threshold));
      }
      return p;
    }
  }

  private static final int PREDICT_BATCH = 64;

  private final Network network;
  private final Architecture architecture;
  private final LabelledDataset dataset;
  private final Map<Sample, byte[]> inputs = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  public TrainingLoop(Network network, Architecture architecture, LabelledDataset dataset) {
    this(network, architecture, dataset, System::nanoTime);
  }

  /**
   * A loop that reads the time from {@code nanoClock} (nanoseconds, as {@link System#nanoTime}).
   */
  TrainingLoop(
      Network network, Architecture architecture, LabelledDataset dataset, LongSupplier nanoClock) {
    this.network = network;
    this.architecture = architecture;
    this.dataset = dataset;
    this.nanoClock = nanoClock;
  }

  public Result run(TrainingData data, TrainingSettings settings, TrainingListener listener)
      throws IOException {
    Random random = new Random(settings.seed());
    List<LabelledPair> training = new ArrayList<>(data.training());
    List<LabelledPair> validation = new ArrayList<>(data.validation());
    if (validation.isEmpty() && settings.validationFraction() > 0) {
      Collections.shuffle(training, new Random(settings.seed() ^ 0x5DEECE66DL));
      int held = (int) Math.round(training.size() * settings.validationFraction());
      validation.addAll(training.subList(0, held));
      training = new ArrayList<>(training.subList(held, training.size()));
    }
    if (training.isEmpty()) {
      throw new IllegalArgumentException("no training pairs left after the validation split");
    }
    FreshNegatives fresh =
        settings.freshNegatives() ? new FreshNegatives(training, validation) : null;
    IdentityBatches allPairs =
        settings.allPairs() == null
            ? null
            : new IdentityBatches(settings.allPairs(), training, validation);
    double rate = settings.learningRate();
    network.setLearningRate(rate);
    long start = nanoClock.getAsLong();
    long limit = settings.timeLimit().toNanos();
    boolean timeUp = false;
    long steps = 0;
    long pairsSeen = 0;
    int bestEpoch = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    double bestAccuracy = Double.NaN;
    double bestThreshold = Double.NaN;
    Object best = null;
    int sinceBest = 0;
    int epoch = 0;
    boolean cancelled = false;
    int b = settings.batchSize();
    int size = architecture.inputSize();
    float[] first = new float[b * size];
    float[] second = new float[b * size];
    float[] labels = new float[b];
    // All-pairs steps: an epoch costs the tower what one pass over the listed pairs would (two
    // images per pair), so --pairs keeps meaning the same training time.
    int perStep = allPairs == null ? b : Math.max(1, allPairs.imagesPerStep() / 2);
    int stepsPerEpoch = (training.size() + perStep - 1) / perStep;
    float[] images = allPairs == null ? null : new float[allPairs.imagesPerStep() * size];
    long totalSteps = (long) settings.epochs() * stepsPerEpoch;
    Random augment = settings.augment() ? random : null;
    epochs:
    for (epoch = 1; epoch <= settings.epochs(); epoch++) {
      if (fresh != null && epoch > 1) {
        training = fresh.redraw(training, random);
      }
      Collections.shuffle(training, random);
      double lossSum = 0;
      int batches = 0;
      for (int step = 0; step < stepsPerEpoch; step++) {
        if (Thread.currentThread().isInterrupted()) {
          cancelled = true;
          epoch--;
          break epochs;
        }
        long elapsed = nanoClock.getAsLong() - start;
        if (limit > 0 && elapsed >= limit) {
          timeUp = true;
          if (step == 0) {
            epoch--; // nothing trained since the last validation
            break epochs;
          }
          break;
        }
        if (settings.schedule() != LearningRateSchedule.CONSTANT) {
          double progress = LearningRateSchedule.progress(steps, totalSteps);
          if (limit > 0) {
            progress = Math.max(progress, (double) elapsed / limit);
          }
          network.setLearningRate(rate * settings.schedule().at(progress));
        }
        long t0 = nanoClock.getAsLong();
        int n; // pairs, or for all-pairs steps pair equivalents (two tower passes each)
        double loss;
        if (allPairs == null) {
          int from = step * b;
          n = Math.min(b, training.size() - from);
          fill(training.subList(from, from + n), first, second, labels, augment);
          loss = network.trainStep(first, second, labels, n);
        } else {
          IdentityBatches.Batch batch = allPairs.next(random);
          for (int i = 0; i < batch.size(); i++) {
            toInput(batch.images().get(i), images, i * size, augment);
          }
          loss = network.trainStepAllPairs(images, batch.size(), batch.labels(), batch.weights());
          n = batch.size() / 2;
        }
        double seconds = (nanoClock.getAsLong() - t0) / 1e9;
        steps++;
        pairsSeen += n;
        if (Double.isFinite(loss)) {
          lossSum += loss;
          batches++;
        }
        listener.onProgress(TrainingProgress.step(epoch, steps, loss, n / seconds));
      }
      double trainLoss = batches == 0 ? Double.NaN : lossSum / batches;
      double[] probabilities = predictAll(validation);
      int[] truth = validation.stream().mapToInt(LabelledPair::label).toArray();
      double valLoss =
          validation.isEmpty() ? trainLoss : Metrics.crossEntropy(probabilities, truth);
      Metrics.Threshold valThreshold =
          validation.isEmpty()
              ? new Metrics.Threshold(Double.NaN, Double.NaN)
              : Metrics.bestProbabilityThreshold(probabilities, truth);
      double valAccuracy = valThreshold.accuracy();
      listener.onProgress(TrainingProgress.epoch(epoch, steps, trainLoss, valLoss, valAccuracy));
      if (valLoss < bestLoss) {
        bestLoss = valLoss;
        bestAccuracy = valAccuracy;
        bestThreshold = valThreshold.threshold();
        bestEpoch = epoch;
        best = network.snapshot();
        sinceBest = 0;
      } else if (settings.patience() > 0 && ++sinceBest >= settings.patience()) {
        break;
      }
      if (timeUp) {
        break;
      }
      if (settings.optimizer() == Optimizer.SGD) {
        rate *= settings.learningRateDecay();
        network.setLearningRate(rate);
      }
    }
    if (best != null) {
      network.restore(best);
    }
    double seconds = (nanoClock.getAsLong() - start) / 1e9;
    return new Result(
        Math.min(epoch, settings.epochs()),
        bestEpoch,
        bestLoss,
        bestAccuracy,
        bestThreshold,
        steps,
        seconds,
        pairsSeen / seconds,
        training.size(),
        validation.size(),
        cancelled,
        timeUp);
  }

  /** Runs {@code training} on a new daemon thread of that name: the backends' worker. */
  public static <T> java.util.concurrent.Future<T> startWorker(
      String threadName, java.util.concurrent.Callable<T> training) {
    java.util.concurrent.ExecutorService worker =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    try {
      return worker.submit(training);
    } finally {
      worker.shutdown();
    }
  }

  /**
   * Records a finished training in a network's {@code properties}: the run's {@link Result} and the
   * {@link #summary} of its data and settings. A network that went on from earlier weights keeps
   * what those trained on: their data joins {@link #EARLIER}, and the people they saw add to {@link
   * #IDENTITY_LIST}, since evaluation must leave out every one of them.
   */
  public static void recordTraining(
      Map<String, String> properties, Result result, TrainingData data, TrainingSettings settings) {
    String entry = lastTraining(properties);
    if (!entry.isEmpty()) {
      String earlier = properties.get(EARLIER);
      properties.put(EARLIER, earlier == null ? entry : earlier + "; " + entry);
    }
    properties.putAll(result.toProperties());
    Map<String, String> summary = summary(data, settings);
    java.util.Set<String> people = new java.util.TreeSet<>();
    for (String list : new String[] {properties.get(IDENTITY_LIST), summary.get(IDENTITY_LIST)}) {
      if (list != null && !list.isEmpty()) {
        people.addAll(List.of(list.split(",")));
      }
    }
    summary.put(IDENTITY_LIST, String.join(",", people));
    properties.putAll(summary);
  }

  /**
   * The last training recorded in a network's {@code properties}, as {@link #EARLIER} lists each
   * one: {@code DATA (N identities, S steps)}; "" for weights never trained.
   */
  public static String lastTraining(Map<String, String> properties) {
    String data = properties.get("training.data");
    return data == null
        ? ""
        : data
            + " ("
            + properties.getOrDefault("training.identities", "?")
            + " identities, "
            + properties.getOrDefault("training.steps", "?")
            + " steps)";
  }

  /** What a model should record about its training data and settings. */
  public static Map<String, String> summary(TrainingData data, TrainingSettings settings) {
    Map<String, String> p = new LinkedHashMap<>();
    LabelledDataset trained = data.dataset();
    p.put("training.data", trained.name());
    p.put("training.identities", String.valueOf(trained.identityCount()));
    p.put("training.images", String.valueOf(trained.samples().size()));
    p.put(IDENTITY_LIST, String.join(",", new java.util.TreeSet<>(trained.byIdentity().keySet())));
    p.put("training.optimizer", settings.optimizer().name().toLowerCase(Locale.ROOT));
    p.put("training.learningRate", String.valueOf(settings.learningRate()));
    p.put("training.batchSize", String.valueOf(settings.batchSize()));
    p.put("training.augment", String.valueOf(settings.augment()));
    p.put("training.seed", String.valueOf(settings.seed()));
    p.put("training.schedule", settings.schedule().name().toLowerCase(Locale.ROOT));
    if (settings.timeLimited()) {
      p.put("training.timeLimitSeconds", String.valueOf(settings.timeLimit().toSeconds()));
    }
    if (settings.allPairs() != null) {
      p.put("training.allPairs.identities", String.valueOf(settings.allPairs().identities()));
      p.put("training.allPairs.sameGroup", String.valueOf(settings.allPairs().sameGroup()));
      p.put("training.allPairs.imagesEach", String.valueOf(settings.allPairs().imagesEach()));
    }
    return p;
  }

  /**
   * Probabilities for {@code pairs}. Where the backend offers its tower and head, each distinct
   * image is embedded once and the head scores the pairs — Omniglot's 36,632 validation pairs hold
   * at most 19,280 images, so this is about a quarter of the tower passes of scoring pair by pair.
   */
  public double[] predictAll(List<LabelledPair> pairs) throws IOException {
    DistanceHead head = network.currentHead();
    if (head == null) {
      return predictPairwise(pairs);
    }
    Map<Sample, Embedding> embeddings = embedOnce(pairs, head.networkId());
    double[] out = new double[pairs.size()];
    for (int i = 0; i < out.length; i++) {
      LabelledPair p = pairs.get(i);
      out[i] = head.score(embeddings.get(p.first()), List.of(embeddings.get(p.second())))[0];
    }
    return out;
  }

  /** Probabilities for {@code pairs}, each pair through the whole network, in batches of 64. */
  public double[] predictPairwise(List<LabelledPair> pairs) throws IOException {
    int size = architecture.inputSize();
    float[] first = new float[PREDICT_BATCH * size];
    float[] second = new float[PREDICT_BATCH * size];
    double[] out = new double[pairs.size()];
    for (int from = 0; from < pairs.size(); from += PREDICT_BATCH) {
      int n = Math.min(PREDICT_BATCH, pairs.size() - from);
      fill(pairs.subList(from, from + n), first, second, null, null);
      System.arraycopy(network.predict(first, second, n), 0, out, from, n);
    }
    return out;
  }

  /** The embedding of every image of {@code pairs}, each embedded once. */
  private Map<Sample, Embedding> embedOnce(List<LabelledPair> pairs, String networkId)
      throws IOException {
    Set<Sample> distinct = new LinkedHashSet<>();
    for (LabelledPair p : pairs) {
      distinct.add(p.first());
      distinct.add(p.second());
    }
    List<Sample> samples = new ArrayList<>(distinct);
    List<byte[]> resized = new ArrayList<>(samples.size());
    for (Sample sample : samples) {
      resized.add(input(sample));
    }
    List<Embedding> embeddings =
        TowerEmbedder.embedResized(resized, architecture, networkId, network);
    Map<Sample, Embedding> out = new HashMap<>();
    for (int i = 0; i < samples.size(); i++) {
      out.put(samples.get(i), embeddings.get(i));
    }
    return out;
  }

  private void fill(
      List<LabelledPair> pairs, float[] first, float[] second, float[] labels, Random augment)
      throws IOException {
    int size = architecture.inputSize();
    for (int i = 0; i < pairs.size(); i++) {
      LabelledPair p = pairs.get(i);
      toInput(p.first(), first, i * size, augment);
      toInput(p.second(), second, i * size, augment);
      if (labels != null) {
        labels[i] = p.label();
      }
    }
  }

  /** {@code sample}'s network input at {@code offset}, distorted when {@code augment} is given. */
  private void toInput(Sample sample, float[] into, int offset, Random augment) throws IOException {
    Preprocessor.toInput(input(sample), into, offset);
    if (augment != null) {
      Augmenter.distort(
          into,
          offset,
          architecture.channels(),
          architecture.inputHeight(),
          architecture.inputWidth(),
          augment);
    }
  }

  /** The resized pixels of a sample, decoded once per run. */
  private byte[] input(Sample sample) throws IOException {
    byte[] cached = inputs.get(sample);
    if (cached == null) {
      cached = Preprocessor.resize(dataset.load(sample), architecture);
      inputs.put(sample, cached);
    }
    return cached;
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.6g", value);
  }
}
