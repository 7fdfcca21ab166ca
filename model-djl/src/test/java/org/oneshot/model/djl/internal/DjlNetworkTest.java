package org.oneshot.model.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairScheme;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingProgress;
import org.oneshot.api.TrainingSettings;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Metrics;
import org.oneshot.api.model.ModelArchive;
import org.oneshot.api.model.Preprocessor;
import org.oneshot.api.model.Presets;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.api.model.UpperTriangle;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.sampling.DefaultPairSampler;

class DjlNetworkTest {
  private static LabelledDataset att;

  @TempDir Path temp;

  @BeforeAll
  static void setUp() throws IOException {
    DjlSiameseModel.configureOffline();
    Path data = Path.of(System.getProperty("oneshot.data", "../../shared/data"), "att_faces");
    if (!Files.isDirectory(data)) {
      String message = "shared test data not found at " + data.toAbsolutePath();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    att = new DatasetReader(new ImageDecoder()).open(data);
  }

  @Test
  void kochPresetHasThePapersParameterCountInDjlToo() throws Exception {
    assertEquals(38_951_745L, Presets.KOCH.parameterCount());
    try (DjlNetwork koch = Tccl.call(() -> DjlNetwork.create(Presets.KOCH, "koch", 1))) {
      assertEquals(38_951_745L, countParameters(koch));
    }
    try (DjlNetwork small = Tccl.call(() -> DjlNetwork.create(Presets.SMALL, "small", 1))) {
      assertEquals(Presets.SMALL.parameterCount(), countParameters(small));
    }
  }

  @Test
  void trainsOnAttAndTellsUnseenPeopleApart() throws Exception {
    LabelledDataset train = att.withIdentities(people(1, 30));
    LabelledDataset test = att.withIdentities(people(31, 40));
    DefaultPairSampler sampler = new DefaultPairSampler();
    List<LabelledPair> pairs = sampler.sample(train, new PairRequest(PairScheme.IDENTITY, 2400, 1));
    List<LabelledPair> unseen = sampler.sample(test, new PairRequest(PairScheme.IDENTITY, 900, 2));

    try (DjlNetwork network = Tccl.call(() -> DjlNetwork.create(Presets.SMALL, "small", 7))) {
      double before = accuracy(network, test, unseen);
      List<Double> epochLosses = Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      var result =
          network
              .train(
                  new TrainingData(train, pairs, List.of()),
                  TrainingSettings.defaults().withEpochs(4).withLearningRate(1e-3).withPatience(0),
                  p -> {
                    if (p.kind() == TrainingProgress.Kind.EPOCH) {
                      epochLosses.add(p.loss());
                    }
                  })
              .get();
      double seconds = (System.nanoTime() - start) / 1e9;
      double after = accuracy(network, test, unseen);
      System.out.printf(
          "DJL small on AT&T s1-s30, 4 epochs of %d pairs in %.0f s (%.1f pairs/s): epoch losses %s;"
              + " unseen s31-s40 accuracy %.3f before, %.3f after%n",
          pairs.size() * 9 / 10,
          seconds,
          pairs.size() * 0.9 * 4 / seconds,
          epochLosses,
          before,
          after);
      assertEquals(4, epochLosses.size());
      assertTrue(
          epochLosses.get(3) < epochLosses.get(0) * 0.9, "loss did not fall: " + epochLosses);
      // Chance is 0.5; on 900 pairs its standard deviation is 1.7 points, so 0.70 cannot be luck.
      assertTrue(after >= 0.70, "unseen-people accuracy " + after);
      assertEquals("4", result.properties().get("training.epochs"));

      // Save and load: the very same scores.
      Path file = temp.resolve("small.model");
      network.save(file);
      try (DjlNetwork loaded = Tccl.call(() -> DjlNetwork.load(file))) {
        List<Image> images =
            List.of(test.load(test.samples().get(0)), test.load(test.samples().get(15)));
        List<Embedding> original = network.embed(images);
        List<Embedding> reloaded = loaded.embed(images);
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
    try (DjlNetwork network = Tccl.call(() -> DjlNetwork.create(Presets.SMALL, "small", 3))) {
      network.save(file);
    }
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = temp.resolve("truncated.model");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(IOException.class, () -> DjlNetwork.load(truncated));
    assertTrue(e.getMessage().startsWith(truncated + ": truncated"), e.getMessage());

    Path text = temp.resolve("text.model");
    Files.writeString(text, "hello");
    e = assertThrows(IOException.class, () -> DjlNetwork.load(text));
    assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());

    // A file of the other backend: same format, its own weights.
    Path other = temp.resolve("other.model");
    ModelDescription dl4j =
        new ModelDescription(
            "x",
            "dl4j",
            "small",
            Presets.SMALL.toMap(),
            64,
            64,
            1,
            Presets.SMALL.parameterCount(),
            Map.of());
    ModelArchive.write(other, dl4j, Presets.SMALL, out -> out.write(new byte[] {1, 2, 3}));
    e = assertThrows(IOException.class, () -> DjlNetwork.load(other));
    assertTrue(e.getMessage().contains("saved by the dl4j backend, not djl"), e.getMessage());

    // A djl file whose weights belong to another architecture.
    Path wrongShape = temp.resolve("wrong.model");
    ModelArchive.Contents contents = ModelArchive.read(file, "djl");
    ModelArchive.write(
        wrongShape,
        contents.description(),
        Presets.SMALL.with(Map.of("dense.units", "512")),
        out -> out.write(contents.weights()));
    e = assertThrows(IOException.class, () -> DjlNetwork.load(wrongShape));
    assertTrue(e.getMessage().contains("weights do not fit"), e.getMessage());
  }

  @Test
  void cancellingStopsTrainingBetweenStepsAndLeavesAUsableNetwork() throws Exception {
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(att, new PairRequest(PairScheme.IDENTITY, 2000, 5));
    try (DjlNetwork network = Tccl.call(() -> DjlNetwork.create(Presets.SMALL, "small", 5))) {
      java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
      var training =
          network.train(
              new TrainingData(att, pairs, List.of()),
              TrainingSettings.defaults()
                  .withEpochs(50)
                  .withOptimizer(org.oneshot.api.Optimizer.SGD),
              p -> {
                if (p.kind() == TrainingProgress.Kind.STEP) {
                  steps.incrementAndGet();
                  assertTrue(Double.isFinite(p.loss()));
                }
              });
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (steps.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(training.cancel(true));
      long stoppedAt = steps.get();
      // The network answers once the loop has let go of it, and training does not go on.
      assertEquals(1, network.embed(List.of(att.load(att.samples().get(0)))).size());
      Thread.sleep(500);
      assertTrue(steps.get() <= stoppedAt + 1, "training went on after cancel: " + steps.get());
    }
  }

  @Test
  void embedsFromManyThreadsAtOnce() throws Exception {
    try (DjlNetwork network = Tccl.call(() -> DjlNetwork.create(Presets.SMALL, "small", 9))) {
      List<Image> faces = List.of(att.load(att.samples().get(0)), att.load(att.samples().get(1)));
      float[] expected = network.embed(faces).get(1).toArray();
      var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<float[]>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          results.add(pool.submit(() -> network.embed(faces).get(1).toArray()));
        }
        for (var r : results) {
          assertArrayEquals(expected, r.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void embeddingsOfAnotherNetworkAreNotScored() throws Exception {
    try (DjlNetwork a = Tccl.call(() -> DjlNetwork.create(Presets.SMALL, "small", 1));
        DjlNetwork b = Tccl.call(() -> DjlNetwork.create(Presets.SMALL, "small", 2))) {
      Image face = att.load(att.samples().get(0));
      Embedding fromA = a.embed(List.of(face)).get(0);
      Embedding fromB = b.embed(List.of(face)).get(0);
      assertThrows(IllegalArgumentException.class, () -> b.score(fromB, List.of(fromA)));
      assertEquals(1, b.score(fromB, List.of(fromB)).length);
    }
  }

  @Test
  void batchNormLearnsRunningStatisticsThatEmbeddingUsesAndSaves() throws Exception {
    Architecture arch = Presets.SMALL.with(Map.of("norm", "batch"));
    assertEquals(Presets.SMALL.parameterCount() + 2 * (32 + 64 + 64 + 128), arch.parameterCount());
    LabelledDataset train = att.withIdentities(people(1, 30));
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(train, new PairRequest(PairScheme.IDENTITY, 1200, 4));
    try (DjlNetwork network = Tccl.call(() -> DjlNetwork.create(arch, "small", 4))) {
      assertEquals(arch.parameterCount(), countParameters(network));
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
      // Training moved the running averages away from their start (mean 0, variance 1).
      for (Map.Entry<String, float[]> e : runningStatistics(network).entrySet()) {
        assertTrue(
            !Arrays.equals(before.get(e.getKey()), e.getValue()), e.getKey() + " never updated");
      }
      // Outside training an image's embedding is its own, whatever else is in the batch: the
      // running averages normalise it, not the batch's statistics.
      Image face = att.load(att.samples().get(3));
      List<Image> batch = new ArrayList<>(List.of(face));
      for (int i = 100; i < 110; i++) {
        batch.add(att.load(att.samples().get(i)));
      }
      assertArrayEquals(
          network.embed(List.of(face)).get(0).toArray(),
          network.embed(batch).get(0).toArray(),
          1e-5f);
      Path file = temp.resolve("bn.model");
      network.save(file);
      try (DjlNetwork loaded = Tccl.call(() -> DjlNetwork.load(file))) {
        assertEquals("batch", loaded.architecture().norm());
        assertArrayEquals(
            network.embed(List.of(face)).get(0).toArray(),
            loaded.embed(List.of(face)).get(0).toArray());
      }
    }
  }

  private static Map<String, float[]> runningStatistics(DjlNetwork network) {
    Map<String, float[]> stats = new java.util.TreeMap<>();
    for (Pair<String, Parameter> p : network.snapshotParameters()) {
      if (!p.getValue().requiresGradient()) {
        stats.put(p.getKey(), p.getValue().getArray().toFloatArray());
      }
    }
    return stats;
  }

  /** Trainable parameters: batch normalisation's running averages are state, not parameters. */
  private static long countParameters(DjlNetwork network) {
    long count = 0;
    for (Pair<String, Parameter> p : network.snapshotParameters()) {
      if (p.getValue().requiresGradient()) {
        count += p.getValue().getArray().size();
      }
    }
    return count;
  }

  @Test
  void allPairsHeadScoresEachPairAsThePairHeadDoes() throws Exception {
    int n = 5;
    Architecture arch = Presets.SMALL;
    float[] images = new float[n * arch.inputSize()];
    for (int i = 0; i < n; i++) {
      Preprocessor.toInput(
          Preprocessor.resize(att.load(att.samples().get(i * 37)), arch),
          images,
          i * arch.inputSize());
    }
    try (DjlNetwork network = Tccl.call(() -> DjlNetwork.create(arch, "small", 11))) {
      double[] all = network.predictAllPairs(images, n);
      assertEquals(UpperTriangle.count(n), all.length, "the pairs i < j");
      float[] first = new float[n * arch.inputSize()];
      float[] second = new float[n * arch.inputSize()];
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          System.arraycopy(images, i * arch.inputSize(), first, 0, arch.inputSize());
          System.arraycopy(images, j * arch.inputSize(), second, 0, arch.inputSize());
          double one = network.predict(first, second, 1)[0];
          assertEquals(one, all[UpperTriangle.index(i, j, n)], 1e-5, "pair " + i + "," + j);
        }
      }
    }
  }

  @Test
  void trainsOnEveryPairOfABatch() throws Exception {
    Architecture arch = Presets.SMALL.with(Map.of("norm", "batch"));
    LabelledDataset train = att.withIdentities(people(1, 30));
    LabelledDataset test = att.withIdentities(people(31, 40));
    DefaultPairSampler sampler = new DefaultPairSampler();
    List<LabelledPair> pairs = sampler.sample(train, new PairRequest(PairScheme.IDENTITY, 1200, 4));
    List<LabelledPair> unseen = sampler.sample(test, new PairRequest(PairScheme.IDENTITY, 900, 2));
    try (DjlNetwork network = Tccl.call(() -> DjlNetwork.create(arch, "small", 5))) {
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
      System.out.printf(
          "djl all-pairs batches of 10 identities, 3 epochs: losses %s; unseen accuracy %.3f%n",
          losses, after);
      assertTrue(losses.get(2) < losses.get(0) * 0.9, "loss did not fall: " + losses);
      // Chance is 0.5 (1.7 points standard deviation on 900 pairs).
      assertTrue(after >= 0.70, "unseen-people accuracy " + after);
      assertEquals("10", trained.properties().get("training.allPairs.identities"));
      for (Map.Entry<String, float[]> e : runningStatistics(network).entrySet()) {
        assertTrue(
            !Arrays.equals(before.get(e.getKey()), e.getValue()), e.getKey() + " never updated");
      }
    }
  }

  /** AT&T's people s{from} to s{to}. */
  private static List<String> people(int from, int to) {
    List<String> names = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      names.add("s" + i);
    }
    return names;
  }

  private static double accuracy(DjlNetwork network, LabelledDataset data, List<LabelledPair> pairs)
      throws IOException {
    double[] scores = new TrainingLoop(network, network.architecture(), data).predictAll(pairs);
    int[] labels = pairs.stream().mapToInt(LabelledPair::label).toArray();
    return Metrics.crossValidatedAccuracy(scores, labels, 10);
  }
}
