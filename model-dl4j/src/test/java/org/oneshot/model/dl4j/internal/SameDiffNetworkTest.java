package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairScheme;
import org.oneshot.api.Sample;
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

class SameDiffNetworkTest {
  private static LabelledDataset att;

  @TempDir Path temp;

  @BeforeAll
  static void setUp() throws IOException {
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
  void presetsHaveTheSameParameterCountsAsInTheDjlBackend() throws Exception {
    // Both backends build from the shared presets; DjlNetworkTest counts DJL's blocks the same way.
    try (SameDiffNetwork small =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(Presets.SMALL, "small", 1))) {
      assertEquals(1_345_345L, small.graphParameterCount());
    }
    try (SameDiffNetwork koch =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(Presets.KOCH, "koch", 1))) {
      assertEquals(38_951_745L, koch.graphParameterCount());
    }
  }

  @Test
  void batchNormLearnsRunningStatisticsThatEmbeddingUsesAndSaves() throws Exception {
    Architecture arch = Presets.SMALL.with(Map.of("norm", "batch"));
    LabelledDataset train = att.withIdentities(people(1, 30));
    List<LabelledPair> pairs =
        new DefaultPairSampler().sample(train, new PairRequest(PairScheme.IDENTITY, 1200, 4));
    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(arch, "small", 4))) {
      assertEquals(arch.parameterCount(), network.graphParameterCount());
      Map<String, float[]> before = network.runningAverages();
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
      for (Map.Entry<String, float[]> e : network.runningAverages().entrySet()) {
        assertTrue(
            !Arrays.equals(before.get(e.getKey()), e.getValue()), e.getKey() + " never updated");
      }
      // Outside training an image's embedding is its own, whatever else is in the batch.
      Image face = att.load(att.samples().get(3));
      List<Image> batch = new ArrayList<>(List.of(face));
      for (int i = 100; i < 110; i++) {
        batch.add(att.load(att.samples().get(i)));
      }
      float[] alone = Nd4jRuntime.call(() -> network.embed(List.of(face)).get(0).toArray());
      assertArrayEquals(
          alone, Nd4jRuntime.call(() -> network.embed(batch).get(0).toArray()), 1e-5f);
      Path file = temp.resolve("bn.model");
      network.save(file);
      try (SameDiffNetwork loaded = Nd4jRuntime.call(() -> SameDiffNetwork.load(file))) {
        assertEquals("batch", loaded.architecture().norm());
        assertArrayEquals(
            alone, Nd4jRuntime.call(() -> loaded.embed(List.of(face)).get(0).toArray()));
      }
    }
  }

  @Test
  void trainsOnAttAndTellsUnseenPeopleApart() throws Exception {
    LabelledDataset train = att.withIdentities(people(1, 30));
    LabelledDataset test = att.withIdentities(people(31, 40));
    DefaultPairSampler sampler = new DefaultPairSampler();
    List<LabelledPair> pairs = sampler.sample(train, new PairRequest(PairScheme.IDENTITY, 2400, 1));
    List<LabelledPair> unseen = sampler.sample(test, new PairRequest(PairScheme.IDENTITY, 900, 2));

    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(Presets.SMALL, "small", 7))) {
      List<Double> epochLosses = Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      ModelDescription trained =
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
          "DL4J small on AT&T s1-s30, 4 epochs in %.0f s (%.1f pairs/s): epoch losses %s; unseen accuracy %.3f%n",
          seconds, pairs.size() * 0.9 * 4 / seconds, epochLosses, after);
      assertEquals(4, epochLosses.size());
      assertTrue(
          epochLosses.get(3) < epochLosses.get(0) * 0.9, "loss did not fall: " + epochLosses);
      // Same bar as the DJL backend: chance is 0.5 with σ 1.7 points on 900 pairs.
      assertTrue(after >= 0.70, "unseen-people accuracy " + after);
      assertEquals("4", trained.properties().get("training.epochs"));

      Path file = temp.resolve("small.model");
      network.save(file);
      try (SameDiffNetwork loaded = Nd4jRuntime.call(() -> SameDiffNetwork.load(file))) {
        List<Image> images =
            List.of(test.load(test.samples().get(0)), test.load(test.samples().get(15)));
        List<Embedding> original = network.embed(images);
        List<Embedding> reloaded = loaded.embed(images);
        assertArrayEquals(original.get(0).toArray(), reloaded.get(0).toArray());
        assertArrayEquals(
            network.score(original.get(0), List.of(original.get(1))),
            loaded.score(reloaded.get(0), List.of(reloaded.get(1))));
      }
    }
  }

  @Test
  void embedsFromManyThreadsAtOnce() throws Exception {
    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(Presets.SMALL, "small", 9))) {
      List<Image> faces = List.of(att.load(att.samples().get(0)), att.load(att.samples().get(1)));
      float[] expected = network.embed(faces).get(1).toArray();
      var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<float[]>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          results.add(
              pool.submit(() -> Nd4jRuntime.call(() -> network.embed(faces).get(1).toArray())));
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
  void badModelFilesAreRefusedNamingTheFileAndTheReason() throws Exception {
    Path file = temp.resolve("m.model");
    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(Presets.SMALL, "small", 3))) {
      network.save(file);
    }
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = temp.resolve("truncated.model");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(IOException.class, () -> SameDiffNetwork.load(truncated));
    assertTrue(e.getMessage().startsWith(truncated + ": truncated"), e.getMessage());

    Path djl = temp.resolve("djl.model");
    ModelDescription other =
        new ModelDescription("x", "djl", "small", Presets.SMALL.toMap(), 64, 64, 1, 1, Map.of());
    ModelArchive.write(djl, other, Presets.SMALL, out -> out.write(new byte[] {1, 2, 3}));
    e = assertThrows(IOException.class, () -> SameDiffNetwork.load(djl));
    assertTrue(e.getMessage().contains("saved by the djl backend, not dl4j"), e.getMessage());

    ModelArchive.Contents contents = ModelArchive.read(file, "dl4j");
    Path wrongShape = temp.resolve("wrong.model");
    ModelArchive.write(
        wrongShape,
        contents.description(),
        Presets.SMALL.with(Map.of("dense.units", "512")),
        out -> out.write(contents.weights()));
    e = assertThrows(IOException.class, () -> SameDiffNetwork.load(wrongShape));
    assertTrue(e.getMessage().contains("weights do not fit"), e.getMessage());
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
    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(arch, "small", 11))) {
      double[] all = Nd4jRuntime.call(() -> network.predictAllPairs(images, n));
      assertEquals(UpperTriangle.count(n), all.length, "the pairs i < j");
      float[] first = new float[arch.inputSize()];
      float[] second = new float[arch.inputSize()];
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          System.arraycopy(images, i * arch.inputSize(), first, 0, arch.inputSize());
          System.arraycopy(images, j * arch.inputSize(), second, 0, arch.inputSize());
          double one = Nd4jRuntime.call(() -> network.predict(first, second, 1))[0];
          assertEquals(one, all[UpperTriangle.index(i, j, n)], 1e-5, "pair " + i + "," + j);
        }
      }
    }
  }

  @Test
  void allPairsLossHasTheGradientOfThePairLossOnTheSamePairs() throws Exception {
    // Without batch normalisation, the all-pairs loss weighing each pair 1/count is the pair
    // loss's mean over the same pairs listed: the gathers must pass the same gradient back.
    int n = 5;
    Architecture arch = Presets.SMALL;
    int size = arch.inputSize();
    float[] images = new float[n * size];
    String[] people = {"s1", "s1", "s2", "s2", "s3"};
    for (int i = 0; i < n; i++) {
      String person = people[i];
      List<Sample> own = att.samples().stream().filter(s -> s.identity().equals(person)).toList();
      Preprocessor.toInput(Preprocessor.resize(att.load(own.get(i % 2)), arch), images, i * size);
    }
    int count = UpperTriangle.count(n);
    float[] labels = new float[count];
    float[] weights = new float[count];
    float[] first = new float[count * size];
    float[] second = new float[count * size];
    long[] rows = UpperTriangle.rows(n);
    long[] columns = UpperTriangle.columns(n);
    for (int k = 0; k < count; k++) {
      labels[k] = people[(int) rows[k]].equals(people[(int) columns[k]]) ? 1f : 0f;
      weights[k] = 1f / count;
      System.arraycopy(images, (int) rows[k] * size, first, k * size, size);
      System.arraycopy(images, (int) columns[k] * size, second, k * size, size);
    }
    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(arch, "small", 13))) {
      Map<String, INDArray> all =
          Nd4jRuntime.call(() -> network.allPairsGradients(images, n, labels, weights));
      Map<String, INDArray> listed =
          Nd4jRuntime.call(() -> network.pairGradients(first, second, labels, count));
      assertEquals(listed.keySet(), all.keySet());
      for (String name : listed.keySet()) {
        INDArray expected = listed.get(name);
        double scale = Math.max(expected.norm2Number().doubleValue(), 1e-12);
        double error = all.get(name).sub(expected).norm2Number().doubleValue() / scale;
        // float32 sums in another order (dense.b's gradient is one of cancelling terms: 1e-3);
        // a wrong gradient differs by order 1.
        assertTrue(error < 1e-2, name + ": relative gradient difference " + error);
        assertTrue(expected.norm2Number().doubleValue() > 0, name + " has no gradient");
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
    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(arch, "small", 5))) {
      Map<String, float[]> before = network.runningAverages();
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
          "dl4j all-pairs batches of 10 identities, 3 epochs: losses %s; unseen accuracy %.3f%n",
          losses, after);
      assertTrue(losses.get(2) < losses.get(0) * 0.9, "loss did not fall: " + losses);
      // Chance is 0.5 (1.7 points standard deviation on 900 pairs).
      assertTrue(after >= 0.70, "unseen-people accuracy " + after);
      assertEquals("10", trained.properties().get("training.allPairs.identities"));
      for (Map.Entry<String, float[]> e : network.runningAverages().entrySet()) {
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

  private static double accuracy(
      SameDiffNetwork network, LabelledDataset data, List<LabelledPair> pairs) throws IOException {
    double[] scores = new TrainingLoop(network, network.architecture(), data).predictAll(pairs);
    int[] labels = pairs.stream().mapToInt(LabelledPair::label).toArray();
    return Metrics.crossValidatedAccuracy(scores, labels, 10);
  }
}
