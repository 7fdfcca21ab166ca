package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingSettings;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Presets;

class FasterMaxPoolingTest {
  @Test
  void bothKernelsGiveTheSameValuesAndGradients() {
    Nd4j.getRandom().setSeed(5);
    INDArray images = Nd4j.rand(DataType.FLOAT, 4, 2, 12, 12).subi(0.5);
    INDArray weights = Nd4j.rand(DataType.FLOAT, 3, 3, 2, 5).subi(0.5);
    HelpersSeen libnd4j = new HelpersSeen(null);
    Map<String, INDArray> plain = gradients(images, weights, new Forced(false), libnd4j);
    HelpersSeen oneDnn = new HelpersSeen(null);
    Map<String, INDArray> helped = gradients(images, weights, new Forced(true), oneDnn);

    assertEquals(Map.of("maxpool2d", false, "maxpool2d_bp", false), libnd4j.pooling());
    assertTrue(libnd4j.last.get("conv2d"), "the convolution lost oneDNN too: " + libnd4j.last);
    assertEquals(Map.of("maxpool2d", true, "maxpool2d_bp", true), oneDnn.pooling());
    // The same maxima either way: equal values and gradients, not merely close ones, so a race
    // between the kernels cannot change what the network learns.
    assertEquals(helped.keySet(), plain.keySet());
    for (String name : helped.keySet()) {
      assertEquals(helped.get(name), plain.get(name), name);
    }
  }

  @Test
  void eachPoolingOpTriesBothKernelsThenKeepsTheFaster() {
    for (boolean oneDnnFaster : new boolean[] {true, false}) {
      // A clock on which the kernel the op runs with costs 1 or 9 ms: the recorder, called
      // between the race's two readings, reads libnd4j's own flag and advances it.
      AtomicLong now = new AtomicLong();
      FasterMaxPooling race = new FasterMaxPooling(now::get);
      HelpersSeen seen =
          new HelpersSeen(
              helpers -> now.addAndGet(helpers == oneDnnFaster ? 1_000_000 : 9_000_000));
      Nd4j.getRandom().setSeed(5);
      INDArray images = Nd4j.rand(DataType.FLOAT, 4, 2, 12, 12).subi(0.5);
      INDArray weights = Nd4j.rand(DataType.FLOAT, 3, 3, 2, 5).subi(0.5);
      int raced = 2 * (FasterMaxPooling.UNTIMED + FasterMaxPooling.TIMED);
      gradients(images, weights, race, seen);
      for (int i = 0; i < raced; i++) {
        seen.graph.calculateGradients(Map.of("x", images), "x", "w");
      }

      Map<String, Boolean> chosen = race.choices();
      assertEquals(2, chosen.size(), chosen::toString);
      assertTrue(chosen.values().stream().allMatch(c -> c == oneDnnFaster), chosen::toString);
      for (String op : chosen.keySet()) {
        List<Boolean> calls = seen.calls.get(op);
        assertTrue(calls.size() > raced, op + ": " + calls);
        List<Boolean> racing = calls.subList(0, raced);
        assertTrue(racing.contains(true) && racing.contains(false), op + " raced one: " + calls);
        assertTrue(
            calls.subList(raced, calls.size()).stream().allMatch(c -> c == oneDnnFaster),
            op + " did not keep the faster kernel: " + calls);
      }
    }
  }

  @Test
  void theNetworkRacesItsPoolingInEmbeddingAndTraining() throws Exception {
    Architecture arch =
        Presets.SMALL.with(
            Map.of("input", "32", "conv1.kernel", "5", "conv2.kernel", "3", "conv4.kernel", "2"));
    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(arch, "small", 1))) {
      HelpersSeen seen = new HelpersSeen(null);
      network.graph().addListeners(seen);
      float[] images = new float[3 * arch.inputSize()];
      for (int i = 0; i < images.length; i++) {
        images[i] = (i % 97) / 97f;
      }
      int raced = 2 * (FasterMaxPooling.UNTIMED + FasterMaxPooling.TIMED);
      for (int i = 0; i <= raced; i++) {
        Nd4jRuntime.call(() -> network.predictAllPairs(images, 3));
      }
      Map<String, Boolean> forward = network.poolingKernels();
      assertEquals(3, forward.size(), forward::toString); // the tower pools three times
      assertEquals(forward, seen.lastOf(forward.keySet()));

      // One step an epoch (28 pairs): the training graph's pooling ops race too, backward ones
      // included, and the embedding's keep the kernel they chose.
      network.train(stripes(), TrainingSettings.defaults().withEpochs(raced + 1), p -> {}).get();
      Map<String, Boolean> all = network.poolingKernels();
      assertTrue(all.entrySet().containsAll(forward.entrySet()), all::toString);
      assertTrue(
          all.keySet().stream().anyMatch(op -> seen.kinds.get(op).endsWith("_bp")), all::toString);
      Set<String> pooled = seen.poolingOpsRunMoreThan(raced);
      assertEquals(pooled, all.keySet());
      assertEquals(all, seen.lastOf(all.keySet()));
    }
  }

  /** Two people of four grey images each, horizontal or vertical stripes, and their pairs. */
  private static TrainingData stripes() {
    List<Sample> samples = new ArrayList<>();
    Map<String, Image> images = new HashMap<>();
    for (String person : List.of("rows", "columns")) {
      for (int i = 0; i < 4; i++) {
        byte[] pixels = new byte[32 * 32];
        for (int k = 0; k < pixels.length; k++) {
          int line = person.equals("rows") ? k / 32 : k % 32;
          pixels[k] = (byte) (((line + i) % 4 < 2) ? 200 : 30);
        }
        Sample sample = new Sample(person, person + "/" + i, Role.NONE);
        samples.add(sample);
        images.put(sample.location(), Image.wrap(32, 32, 1, pixels));
      }
    }
    List<LabelledPair> pairs = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      for (int j = i + 1; j < samples.size(); j++) {
        Sample a = samples.get(i);
        Sample b = samples.get(j);
        pairs.add(new LabelledPair(a, b, a.identity().equals(b.identity()) ? 1 : 0));
      }
    }
    LabelledDataset dataset =
        new LabelledDataset("stripes", samples, List.of(), s -> images.get(s.location()));
    return new TrainingData(dataset, pairs, List.of());
  }

  /** The conv → pool → loss graph's gradients; the listeners (or null) join it before it runs. */
  private static Map<String, INDArray> gradients(
      INDArray images, INDArray weights, BaseListener kernels, HelpersSeen seen) {
    OpOverrides.register();
    Nd4j.getRandom().setSeed(3);
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2, 12, 12);
    SDVariable w = sd.var("w", weights.dup());
    Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).dataFormat("NCHW").build();
    // The convolution's input is computed, so its backward pass is libnd4j's conv2d_bp as well.
    SDVariable y = sd.cnn().conv2d(x.mul(2.0), w, conv);
    Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(false).build();
    // The loss Σ pooled·r makes r the pooled output's gradient.
    INDArray r = Nd4j.rand(DataType.FLOAT, 4, 5, 5, 5).subi(0.5);
    sd.cnn().maxPooling2d(y, pool).mul(sd.constant(r)).sum("loss");
    sd.setLossVariables("loss");
    if (kernels != null) {
      sd.addListeners(kernels);
    }
    if (seen != null) {
      seen.graph = sd;
      sd.addListeners(seen);
    }
    Map<String, INDArray> out = new TreeMap<>(sd.calculateGradients(Map.of("x", images), "x", "w"));
    out.put("loss", sd.output(Map.of("x", images), List.of("loss")).get("loss"));
    return out;
  }

  /** Pooling on one kernel, chosen beforehand. */
  private static final class Forced extends BaseListener {
    private final boolean helpers;

    Forced(boolean helpers) {
      this.helpers = helpers;
    }

    @Override
    public boolean isActive(Operation operation) {
      return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
      if (context != null && FasterMaxPooling.OPS.contains(op.getOp().opName())) {
        context.allowHelpers(helpers);
      }
    }
  }

  /**
   * Whether each op ran with platform helpers allowed, as libnd4j reads it when it picks the op's
   * implementation: every call by graph op, and the last call by op kind.
   */
  private static final class HelpersSeen extends BaseListener {
    final Map<String, Boolean> last = new TreeMap<>();
    final Map<String, List<Boolean>> calls = new TreeMap<>();
    final Map<String, String> kinds = new TreeMap<>();
    private final Consumer<Boolean> beforePooling;
    SameDiff graph;

    /** {@code beforePooling}: called with the flag just before each pooling op, or null. */
    HelpersSeen(Consumer<Boolean> beforePooling) {
      this.beforePooling = beforePooling;
    }

    @Override
    public boolean isActive(Operation operation) {
      return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
      if (context != null
          && beforePooling != null
          && FasterMaxPooling.OPS.contains(op.getOp().opName())) {
        beforePooling.accept(helpersAllowed(context));
      }
    }

    @Override
    public void opExecution(
        SameDiff sd,
        At at,
        MultiDataSet batch,
        SameDiffOp op,
        OpContext context,
        INDArray[] outputs) {
      if (context != null) {
        boolean helpers = helpersAllowed(context);
        last.put(op.getOp().opName(), helpers);
        calls.computeIfAbsent(op.getName(), n -> new ArrayList<>()).add(helpers);
        kinds.put(op.getName(), op.getOp().opName());
      }
    }

    Map<String, Boolean> pooling() {
      Map<String, Boolean> pooling = new TreeMap<>(last);
      pooling.keySet().retainAll(FasterMaxPooling.OPS);
      return pooling;
    }

    /** The graph's pooling ops that ran more than {@code n} times. */
    Set<String> poolingOpsRunMoreThan(int n) {
      Set<String> ops = new TreeSet<>();
      calls.forEach(
          (op, c) -> {
            if (FasterMaxPooling.OPS.contains(kinds.get(op)) && c.size() > n) {
              ops.add(op);
            }
          });
      return ops;
    }

    /** The flag of the last call of each of {@code ops} (graph op names). */
    Map<String, Boolean> lastOf(Set<String> ops) {
      Map<String, Boolean> out = new TreeMap<>();
      for (String op : ops) {
        List<Boolean> c = calls.get(op);
        out.put(op, c == null ? null : c.get(c.size() - 1));
      }
      return out;
    }

    private static boolean helpersAllowed(OpContext context) {
      return new Nd4jCpu.Context(context.contextPointer()).helpersAllowed();
    }
  }
}
