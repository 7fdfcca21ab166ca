package org.oneshot.pipeline.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.Optimizer;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairScheme;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingListener;
import org.oneshot.api.TrainingProgress;
import org.oneshot.api.TrainingSettings;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Metrics;
import org.oneshot.api.model.ModelArchive;
import org.oneshot.api.model.Preprocessor;
import org.oneshot.api.model.Presets;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.api.model.UpperTriangle;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.sampling.DefaultPairSampler;

/**
 * What every siamese backend must do, on the real engine and AT&T faces: learn to tell unseen
 * people apart, save and load to the same scores, refuse bad model files by name, embed from many
 * threads, train on every pair of a batch, keep batch normalisation's running averages, stop when
 * cancelled. A backend's test extends this and says how to create, load and look inside its
 * network; its own engine-specific tests stay beside it.
 *
 * @param <N> the backend's network
 */
public abstract class BackendContract<N extends SiameseNetwork & TrainingLoop.Network> {
  protected static LabelledDataset att;

  /**
   * The training tests' network: {@code small}'s shape at 32×32 (a tenth of its work per image, the
   * tower of the Omniglot 32×32 rows in the README). They prove that a backend learns, saves and
   * normalises, not how well a preset does; at 64×64 they took six of the suite's minutes.
   */
  private static final Architecture SMALL_32 =
      Presets.SMALL.with(
          Map.of("input", "32", "conv1.kernel", "5", "conv2.kernel", "3", "conv4.kernel", "2"));

  @TempDir protected Path temp;

  @BeforeAll
  static void readFaces() throws IOException {
    att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
  }

  /** The backend's name as its model files record it, e.g. {@code djl}. */
  protected abstract String backend();

  protected abstract N create(Architecture arch, String preset, long seed) throws Exception;

  protected abstract N load(Path file) throws Exception;

  /** Runs {@code work} as the backend's engine wants to be called from a foreign thread. */
  protected abstract <T> T call(Callable<T> work) throws Exception;

  protected abstract Architecture architecture(N network);

  /** Trainable parameters, counted in the engine (running averages are state, not parameters). */
  protected abstract long trainableParameters(N network) throws Exception;

  /** Batch normalisation's running means and variances by name, copied out of the engine. */
  protected abstract Map<String, float[]> runningStatistics(N network) throws Exception;

  /** The scores of the pairs i &lt; j of {@code n} input images, in {@link UpperTriangle} order. */
  protected abstract double[] predictAllPairs(N network, float[] images, int n) throws Exception;

  @Test
  void trainsOnAttAndTellsUnseenPeopleApart() throws Exception {
    final int epochs = 6;
    LabelledDataset train = att.withIdentities(people(1, 30));
    LabelledDataset test = att.withIdentities(people(31, 40));
    DefaultPairSampler sampler = new DefaultPairSampler();
    List<LabelledPair> pairs = sampler.sample(train, new PairRequest(PairScheme.IDENTITY, 2400, 1));
    List<LabelledPair> unseen = sampler.sample(test, new PairRequest(PairScheme.IDENTITY, 900, 2));

    try (N network = call(() -> create(SMALL_32, "small", 7))) {
      double before = accuracy(network, test, unseen);
      List<Double> epochLosses = Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      ModelDescription trained =
          network
              .train(
                  new TrainingData(train, pairs, List.of()),
                  TrainingSettings.defaults()
                      .withEpochs(epochs)
                      .withLearningRate(2e-3)
                      .withPatience(0),
                  p -> {
                    if (p.kind() == TrainingProgress.Kind.EPOCH) {
                      epochLosses.add(p.loss());
                    }
                  })
              .get();
      double seconds = (System.nanoTime() - start) / 1e9;
      double after = accuracy(network, test, unseen);
      assertEmbeddingOnceScoresAsWholePairs(network, test, unseen);
      System.out.printf(
          "%s small at 32x32 on AT&T s1-s30, %d epochs in %.0f s (%.1f pairs/s): epoch losses %s;"
              + " unseen s31-s40 accuracy %.3f before, %.3f after%n",
          backend(),
          epochs,
          seconds,
          pairs.size() * 0.9 * epochs / seconds,
          epochLosses,
          before,
          after);
      assertEquals(epochs, epochLosses.size());
      assertTrue(
          epochLosses.get(epochs - 1) < epochLosses.get(0) * 0.9,
          "loss did not fall: " + epochLosses);
      // Chance is 0.5; on 900 pairs its standard deviation is 1.7 points, so 0.65 cannot be luck
      // (this short run of the tower without batch normalisation reaches about 0.74).
      assertTrue(after >= 0.65, "unseen-people accuracy " + after);
      assertEquals(String.valueOf(epochs), trained.properties().get("training.epochs"));

      // Save and load: the very same scores.
      Path file = temp.resolve("small.model");
      network.save(file);
      try (N loaded = call(() -> load(file))) {
        List<Image> images =
            List.of(test.load(test.samples().get(0)), test.load(test.samples().get(15)));
        List<Embedding> original = call(() -> network.embed(images));
        List<Embedding> reloaded = call(() -> loaded.embed(images));
        assertArrayEquals(original.get(0).toArray(), reloaded.get(0).toArray());
        assertArrayEquals(
            network.score(original.get(0), List.of(original.get(1))),
            loaded.score(reloaded.get(0), List.of(reloaded.get(1))));
        assertEquals(network.describe().id(), loaded.describe().id());
      }
    }
  }

  @Test
  void badModelFilesAreRefusedNamingTheFileAndTheReason() throws Exception {
    Path file = temp.resolve("m.model");
    try (N network = call(() -> create(Presets.SMALL, "small", 3))) {
      network.save(file);
    }
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = temp.resolve("truncated.model");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(IOException.class, () -> load(truncated));
    assertTrue(e.getMessage().startsWith(truncated + ": truncated"), e.getMessage());

    Path text = temp.resolve("text.model");
    Files.writeString(text, "hello");
    e = assertThrows(IOException.class, () -> load(text));
    assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());

    // A file of another backend: same format, its own weights.
    String stranger = backend().equals("djl") ? "dl4j" : "djl";
    Path other = temp.resolve("other.model");
    ModelDescription description =
        new ModelDescription(
            "x",
            stranger,
            "small",
            Presets.SMALL.toMap(),
            64,
            64,
            1,
            Presets.SMALL.parameterCount(),
            Map.of());
    ModelArchive.write(other, description, Presets.SMALL, out -> out.write(new byte[] {1, 2, 3}));
    e = assertThrows(IOException.class, () -> load(other));
    assertTrue(
        e.getMessage().contains("saved by the " + stranger + " backend, not " + backend()),
        e.getMessage());

    // A file of this backend whose weights belong to another architecture.
    Path wrongShape = temp.resolve("wrong.model");
    ModelArchive.Contents contents = ModelArchive.read(file, backend());
    ModelArchive.write(
        wrongShape,
        contents.description(),
        Presets.SMALL.with(Map.of("dense.units", "512")),
        out -> out.write(contents.weights()));
    e = assertThrows(IOException.class, () -> load(wrongShape));
    assertTrue(e.getMessage().contains("weights do not fit"), e.getMessage());
  }

  @Test
  void cancellingStopsTrainingBetweenStepsAndLeavesAUsableNetwork() throws Exception {
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(att, new PairRequest(PairScheme.IDENTITY, 2000, 5));
    try (N network = call(() -> create(Presets.SMALL, "small", 5))) {
      AtomicLong steps = new AtomicLong();
      Future<ModelDescription> training =
          trainAfterSteps(
              network,
              pairs,
              TrainingSettings.defaults().withEpochs(50).withOptimizer(Optimizer.SGD),
              steps,
              3);
      assertTrue(training.cancel(true));
      long stoppedAt = steps.get();
      // The network answers once the loop has let go of it, and training does not go on.
      Image face = att.load(att.samples().get(0));
      assertEquals(1, call(() -> network.embed(List.of(face))).size());
      Thread.sleep(500);
      assertTrue(steps.get() <= stoppedAt + 1, "training went on after cancel: " + steps.get());
    }
  }

  @Test
  void closingRightAfterCancelWaitsForTheStepInFlight() throws Exception {
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(att, new PairRequest(PairScheme.IDENTITY, 2000, 6));
    N network = call(() -> create(Presets.SMALL, "small", 6));
    Future<ModelDescription> training =
        trainAfterSteps(
            network, pairs, TrainingSettings.defaults().withEpochs(50), new AtomicLong(), 2);
    assertTrue(training.cancel(true));
    // At once, while the worker is most likely inside a step: closing must wait for that step
    // (freeing the arrays under it crashes the engine, and DJL records gradients for one step of
    // the whole process at a time), so that another network trains straight after.
    network.close();
    try (N next = call(() -> create(Presets.SMALL, "small", 7))) {
      ModelDescription trained =
          next.train(
                  new TrainingData(att, pairs.subList(0, 96), List.of()),
                  TrainingSettings.defaults().withEpochs(1),
                  p -> {})
              .get();
      assertTrue(Integer.parseInt(trained.properties().get("training.steps")) > 0);
    }
  }

  @Test
  void trainingThatEndsAfterCloseFailsWithTheReasonInsteadOfReadingFreedWeights() throws Exception {
    // The race of closingRightAfterCancel made certain: the listener closes the network between
    // two steps and interrupts the worker, as a cancel does. The loop then ends early, and the
    // worker must not read the head or snapshot the weights of a closed network (ND4J's freed
    // arrays crashed the JVM in memcpy); the training fails with the reason instead.
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(att, new PairRequest(PairScheme.IDENTITY, 256, 9));
    for (TrainingProgress.Kind closeAfter : TrainingProgress.Kind.values()) {
      N network = call(() -> create(Presets.SMALL, "small", 10));
      AtomicBoolean closed = new AtomicBoolean();
      assertTrainingFailsAsClosed(
          network,
          new TrainingData(att, pairs, pairs.subList(0, 32)),
          3,
          p -> {
            if (p.kind() == closeAfter && !closed.getAndSet(true)) {
              network.close();
              Thread.currentThread().interrupt();
            }
          },
          "closed after the first " + closeAfter);
    }
  }

  @Test
  void closingTwiceIsHarmlessAndTrainingAfterCloseFailsWithTheReason() throws Exception {
    // face:train holds a loaded model open while it reads the data, and its training job closes
    // it again: the second close must not free the arrays twice.
    N network = call(() -> create(Presets.SMALL, "small", 8));
    network.close();
    network.close();
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(att, new PairRequest(PairScheme.IDENTITY, 64, 8));
    assertTrainingFailsAsClosed(
        network, new TrainingData(att, pairs, List.of()), 1, p -> {}, "trained after close");
  }

  /** Trains {@code network} and expects the training to fail saying the network was closed. */
  private void assertTrainingFailsAsClosed(
      N network, TrainingData data, int epochs, TrainingListener listener, String when) {
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () ->
                network.train(data, TrainingSettings.defaults().withEpochs(epochs), listener).get(),
            when);
    assertTrue(
        String.valueOf(failed.getCause().getMessage()).contains("the network was closed"),
        () -> when + ": " + failed.getCause());
  }

  /**
   * Starts training {@code network} in the background, counting its steps in {@code steps}, and
   * returns once {@code atLeast} steps are done (or a minute has passed).
   */
  private Future<ModelDescription> trainAfterSteps(
      N network, List<LabelledPair> pairs, TrainingSettings settings, AtomicLong steps, int atLeast)
      throws InterruptedException {
    Future<ModelDescription> training =
        network.train(
            new TrainingData(att, pairs, List.of()),
            settings,
            p -> {
              // (A step's loss may be NaN: DL4J measures it on every few steps only.)
              if (p.kind() == TrainingProgress.Kind.STEP) {
                steps.incrementAndGet();
              }
            });
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (steps.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return training;
  }

  @Test
  void embedsFromManyThreadsAtOnce() throws Exception {
    try (N network = call(() -> create(Presets.SMALL, "small", 9))) {
      List<Image> faces = List.of(att.load(att.samples().get(0)), att.load(att.samples().get(1)));
      float[] expected = call(() -> network.embed(faces).get(1).toArray());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<float[]>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          results.add(pool.submit(() -> call(() -> network.embed(faces).get(1).toArray())));
        }
        for (Future<float[]> r : results) {
          assertArrayEquals(expected, r.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void embeddingsOfAnotherNetworkAreNotScored() throws Exception {
    try (N a = call(() -> create(Presets.SMALL, "small", 1));
        N b = call(() -> create(Presets.SMALL, "small", 2))) {
      Image face = att.load(att.samples().get(0));
      Embedding fromA = call(() -> a.embed(List.of(face)).get(0));
      Embedding fromB = call(() -> b.embed(List.of(face)).get(0));
      assertThrows(IllegalArgumentException.class, () -> b.score(fromB, List.of(fromA)));
      assertEquals(1, b.score(fromB, List.of(fromB)).length);
    }
  }

  @Test
  void twoNetworksTrainAtTheSameTime() throws Exception {
    // Two shell sessions may train at once (or a comparison beside a training): libtorch records
    // gradients for one step of the whole process at a time, so the steps must take turns.
    LabelledDataset train = att.withIdentities(people(1, 30));
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(train, new PairRequest(PairScheme.IDENTITY, 640, 12));
    try (N first = call(() -> create(SMALL_32, "small", 12));
        N second = call(() -> create(SMALL_32, "small", 13))) {
      List<List<Double>> losses = new ArrayList<>();
      List<Future<ModelDescription>> trainings = new ArrayList<>();
      for (N network : List.of(first, second)) {
        List<Double> mine = Collections.synchronizedList(new ArrayList<>());
        losses.add(mine);
        trainings.add(
            network.train(
                new TrainingData(train, pairs, List.of()),
                TrainingSettings.defaults().withEpochs(3).withLearningRate(1e-3).withPatience(0),
                p -> {
                  if (p.kind() == TrainingProgress.Kind.EPOCH) {
                    mine.add(p.loss());
                  }
                }));
      }
      for (int i = 0; i < 2; i++) {
        ModelDescription trained = trainings.get(i).get();
        assertEquals("3", trained.properties().get("training.epochs"));
        List<Double> mine = losses.get(i);
        assertTrue(mine.get(2) < mine.get(0), "network " + i + ": loss did not fall: " + mine);
      }
    }
  }

  @Test
  void batchNormLearnsRunningStatisticsThatEmbeddingUsesAndSaves() throws Exception {
    Architecture arch = SMALL_32.with(Map.of("norm", "batch"));
    assertEquals(SMALL_32.parameterCount() + 2 * (32 + 64 + 64 + 128), arch.parameterCount());
    LabelledDataset train = att.withIdentities(people(1, 30));
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(train, new PairRequest(PairScheme.IDENTITY, 1200, 4));
    try (N network = call(() -> create(arch, "small", 4))) {
      assertEquals(arch.parameterCount(), trainableParameters(network));
      Map<String, float[]> before = runningStatistics(network);
      assertEquals(8, before.size(), before.keySet().toString());
      List<Double> losses = Collections.synchronizedList(new ArrayList<>());
      network
          .train(
              new TrainingData(train, pairs, List.of()),
              TrainingSettings.defaults().withEpochs(3).withLearningRate(1e-3).withPatience(0),
              p -> {
                if (p.kind() == TrainingProgress.Kind.EPOCH) {
                  losses.add(p.loss());
                }
              })
          .get();
      assertTrue(losses.get(2) < losses.get(0), "loss did not fall: " + losses);
      assertAllMovedFrom(before, network);
      assertEmbeddingOnceScoresAsWholePairs(
          network,
          att,
          new DefaultPairSampler()
              .sample(
                  att.withIdentities(people(31, 40)),
                  new PairRequest(PairScheme.IDENTITY, 200, 5)));
      // Outside training an image's embedding is its own, whatever else is in the batch: the
      // running averages normalise it, not the batch's statistics.
      Image face = att.load(att.samples().get(3));
      List<Image> batch = new ArrayList<>(List.of(face));
      for (int i = 100; i < 110; i++) {
        batch.add(att.load(att.samples().get(i)));
      }
      float[] alone = call(() -> network.embed(List.of(face)).get(0).toArray());
      assertArrayEquals(alone, call(() -> network.embed(batch).get(0).toArray()), 1e-5f);
      Path file = temp.resolve("bn.model");
      network.save(file);
      try (N loaded = call(() -> load(file))) {
        assertEquals("batch", architecture(loaded).norm());
        assertArrayEquals(alone, call(() -> loaded.embed(List.of(face)).get(0).toArray()));
      }
    }
  }

  @Test
  void allPairsHeadScoresEachPairAsThePairHeadDoes() throws Exception {
    int n = 5;
    Architecture arch = Presets.SMALL;
    int size = arch.inputSize();
    float[] images = new float[n * size];
    for (int i = 0; i < n; i++) {
      Preprocessor.toInput(
          Preprocessor.resize(att.load(att.samples().get(i * 37)), arch), images, i * size);
    }
    try (N network = call(() -> create(arch, "small", 11))) {
      double[] all = call(() -> predictAllPairs(network, images, n));
      assertEquals(UpperTriangle.count(n), all.length, "the pairs i < j");
      float[] first = new float[size];
      float[] second = new float[size];
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          System.arraycopy(images, i * size, first, 0, size);
          System.arraycopy(images, j * size, second, 0, size);
          double one = call(() -> network.predict(first, second, 1))[0];
          assertEquals(one, all[UpperTriangle.index(i, j, n)], 1e-5, "pair " + i + "," + j);
        }
      }
    }
  }

  @Test
  void trainsOnEveryPairOfABatch() throws Exception {
    Architecture arch = SMALL_32.with(Map.of("norm", "batch"));
    LabelledDataset train = att.withIdentities(people(1, 30));
    LabelledDataset test = att.withIdentities(people(31, 40));
    DefaultPairSampler sampler = new DefaultPairSampler();
    List<LabelledPair> pairs = sampler.sample(train, new PairRequest(PairScheme.IDENTITY, 1200, 4));
    List<LabelledPair> unseen = sampler.sample(test, new PairRequest(PairScheme.IDENTITY, 900, 2));
    try (N network = call(() -> create(arch, "small", 5))) {
      Map<String, float[]> before = runningStatistics(network);
      List<Double> losses = Collections.synchronizedList(new ArrayList<>());
      ModelDescription trained =
          network
              .train(
                  new TrainingData(train, pairs, List.of()),
                  TrainingSettings.defaults()
                      .withEpochs(3)
                      .withLearningRate(1e-3)
                      .withPatience(0)
                      .withAllPairs(new AllPairsBatches(10, false)),
                  p -> {
                    if (p.kind() == TrainingProgress.Kind.EPOCH) {
                      losses.add(p.loss());
                    }
                  })
              .get();
      double after = accuracy(network, test, unseen);
      assertEmbeddingOnceScoresAsWholePairs(network, test, unseen);
      System.out.printf(
          "%s all-pairs batches of 10 identities, 3 epochs: losses %s; unseen accuracy %.3f%n",
          backend(), losses, after);
      assertTrue(losses.get(2) < losses.get(0) * 0.9, "loss did not fall: " + losses);
      // Chance is 0.5 (1.7 points standard deviation on 900 pairs).
      assertTrue(after >= 0.70, "unseen-people accuracy " + after);
      assertEquals("10", trained.properties().get("training.allPairs.identities"));
      assertAllMovedFrom(before, network);
    }
  }

  @Test
  void dropoutDropsInTrainingOnlyAndRepeatsForASeed() throws Exception {
    Architecture plain = SMALL_32.with(Map.of("norm", "batch"));
    Architecture dropping = plain.with(Map.of("dropout", "0.5"));
    LabelledDataset train = att.withIdentities(people(1, 30));
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(train, new PairRequest(PairScheme.IDENTITY, 480, 8));
    List<Image> faces = List.of(att.load(att.samples().get(3)), att.load(att.samples().get(320)));
    float[][] once = trainedWithDropout(dropping, train, pairs, faces);
    float[][] again = trainedWithDropout(dropping, train, pairs, faces);
    float[][] without = trainedWithDropout(plain, train, pairs, faces);
    // The masks come from the run's seed: the same run gives the same weights, after listed
    // pairs (0, 1) and after every pair of batches too (2, 3).
    for (int i = 0; i < once.length; i++) {
      assertArrayEquals(once[i], again[i], "embedding " + i);
    }
    // And they were applied: without dropout the same run ends elsewhere.
    assertFalse(Arrays.equals(once[0], without[0]), "dropout changed nothing in training");
  }

  /**
   * Trains a network of {@code arch} from seed 8 on listed pairs, then on every pair of batches,
   * and returns the embeddings of {@code faces} after each (those after listed pairs first),
   * checking that embedding drops nothing (twice the same) after both.
   */
  private float[][] trainedWithDropout(
      Architecture arch, LabelledDataset train, List<LabelledPair> pairs, List<Image> faces)
      throws Exception {
    try (N network = call(() -> create(arch, "small", 8))) {
      List<Double> losses = Collections.synchronizedList(new ArrayList<>());
      TrainingSettings settings =
          TrainingSettings.defaults().withEpochs(3).withLearningRate(1e-3).withPatience(0);
      network
          .train(
              new TrainingData(train, pairs, List.of()),
              settings,
              p -> {
                if (p.kind() == TrainingProgress.Kind.EPOCH) {
                  losses.add(p.loss());
                }
              })
          .get();
      System.out.printf(
          "%s dropout %.1f, 3 epochs: losses %s%n", backend(), arch.dropout(), losses);
      assertTrue(losses.get(2) < losses.get(0), "loss did not fall: " + losses);
      assertEquals(arch.dropout(), architecture(network).dropout());
      float[][] listed = embedTwice(network, faces);
      network
          .train(
              new TrainingData(train, pairs, List.of()),
              settings.withEpochs(1).withAllPairs(new AllPairsBatches(8, false)),
              p -> {})
          .get();
      float[][] allPairs = embedTwice(network, faces);
      float[][] embeddings = Arrays.copyOf(listed, listed.length + allPairs.length);
      System.arraycopy(allPairs, 0, embeddings, listed.length, allPairs.length);
      return embeddings;
    }
  }

  private float[][] embedTwice(N network, List<Image> faces) throws Exception {
    float[][] embeddings = new float[faces.size()][];
    for (int i = 0; i < faces.size(); i++) {
      Image face = faces.get(i);
      embeddings[i] = call(() -> network.embed(List.of(face)).get(0).toArray());
      assertArrayEquals(embeddings[i], call(() -> network.embed(List.of(face)).get(0).toArray()));
    }
    return embeddings;
  }

  @Test
  void trainingPrintsNothingOnStandardOutput() throws Exception {
    // Inside the shell, System.out is the command's output: results only (logs go to the log).
    LabelledDataset train = att.withIdentities(people(1, 10));
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(train, new PairRequest(PairScheme.IDENTITY, 64, 6));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try (N network = call(() -> create(SMALL_32.with(Map.of("norm", "batch")), "small", 6))) {
      TrainingSettings once = TrainingSettings.defaults().withEpochs(1).withPatience(0);
      // Listed pairs, then every pair of a batch: each loss has a gradient graph of its own.
      network.train(new TrainingData(train, pairs, List.of()), once, p -> {}).get();
      network
          .train(
              new TrainingData(train, pairs, List.of()),
              once.withAllPairs(new AllPairsBatches(5, false)),
              p -> {})
          .get();
    } finally {
      System.setOut(previous);
    }
    assertEquals("", printed.toString(StandardCharsets.UTF_8));
  }

  /** Training moved every running average away from its start (mean 0, variance 1). */
  private void assertAllMovedFrom(Map<String, float[]> before, N network) throws Exception {
    for (Map.Entry<String, float[]> e : runningStatistics(network).entrySet()) {
      assertTrue(
          !Arrays.equals(before.get(e.getKey()), e.getValue()), e.getKey() + " never updated");
    }
  }

  /**
   * Validation embeds each image once and lets the head score the pairs; that must give what
   * running every pair through the whole network gives. The pairs share images, as validation's do.
   */
  private void assertEmbeddingOnceScoresAsWholePairs(
      N network, LabelledDataset data, List<LabelledPair> pairs) throws Exception {
    TrainingLoop loop = new TrainingLoop(network, architecture(network), data);
    double[] whole = call(() -> loop.predictPairwise(pairs));
    double[] once = call(() -> loop.predictAll(pairs));
    assertTrue(
        Arrays.stream(whole).anyMatch(p -> Math.abs(p - whole[0]) > 0.05), "scores all alike");
    assertArrayEquals(whole, once, 1e-5);
  }

  /** AT&T's people s{from} to s{to}. */
  protected static List<String> people(int from, int to) {
    List<String> names = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      names.add("s" + i);
    }
    return names;
  }

  /** Pair accuracy with a threshold from 10-fold cross-validation. */
  protected double accuracy(N network, LabelledDataset data, List<LabelledPair> pairs)
      throws Exception {
    double[] scores =
        call(() -> new TrainingLoop(network, architecture(network), data).predictAll(pairs));
    int[] labels = pairs.stream().mapToInt(LabelledPair::label).toArray();
    return Metrics.crossValidatedAccuracy(scores, labels, 10);
  }
}
