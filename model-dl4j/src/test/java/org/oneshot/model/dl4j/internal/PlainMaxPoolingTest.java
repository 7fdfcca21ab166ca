package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

class PlainMaxPoolingTest {
  @Test
  void poolingRunsWithoutOneDnnAndKeepsItsValuesAndGradients() {
    Nd4j.getRandom().setSeed(5);
    INDArray images = Nd4j.rand(DataType.FLOAT, 4, 2, 12, 12).subi(0.5);
    INDArray weights = Nd4j.rand(DataType.FLOAT, 3, 3, 2, 5).subi(0.5);
    HelpersSeen plain = new HelpersSeen();
    Map<String, INDArray> withListener = gradients(images, weights, new PlainMaxPooling(), plain);
    HelpersSeen oneDnn = new HelpersSeen();
    Map<String, INDArray> without = gradients(images, weights, null, oneDnn);

    assertEquals(
        Map.of("maxpool2d", false, "maxpool2d_bp", false), plain.pooling(), plain.byOp::toString);
    assertTrue(plain.byOp.get("conv2d"), "the convolution lost oneDNN too: " + plain.byOp);
    assertEquals(
        Map.of("maxpool2d", true, "maxpool2d_bp", true), oneDnn.pooling(), oneDnn.byOp::toString);
    // The same maxima either way: equal values and gradients, not merely close ones.
    assertEquals(without.keySet(), withListener.keySet());
    for (String name : without.keySet()) {
      assertEquals(without.get(name), withListener.get(name), name);
    }
  }

  @Test
  void theNetworkPoolsWithoutOneDnnInEmbeddingAndTraining() throws Exception {
    Architecture arch =
        Presets.SMALL.with(
            Map.of("input", "32", "conv1.kernel", "5", "conv2.kernel", "3", "conv4.kernel", "2"));
    try (SameDiffNetwork network =
        Nd4jRuntime.call(() -> SameDiffNetwork.create(arch, "small", 1))) {
      HelpersSeen seen = new HelpersSeen();
      network.graph().addListeners(seen);
      float[] images = new float[3 * arch.inputSize()];
      for (int i = 0; i < images.length; i++) {
        images[i] = (i % 97) / 97f;
      }
      Nd4jRuntime.call(() -> network.predictAllPairs(images, 3));
      assertEquals(Map.of("maxpool2d", false), seen.pooling(), seen.byOp::toString);

      seen.byOp.clear();
      network.train(stripes(), TrainingSettings.defaults().withEpochs(1), p -> {}).get();
      assertEquals(
          Map.of("maxpool2d", false, "maxpool2d_bp", false), seen.pooling(), seen.byOp::toString);
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

  private static Map<String, INDArray> gradients(
      INDArray images, INDArray weights, PlainMaxPooling plain, HelpersSeen seen) {
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
    if (plain != null) {
      sd.addListeners(plain);
    }
    sd.addListeners(seen);
    Map<String, INDArray> out = new TreeMap<>(sd.calculateGradients(Map.of("x", images), "x", "w"));
    out.put("loss", sd.output(Map.of("x", images), List.of("loss")).get("loss"));
    return out;
  }

  /** Whether each op ran with platform helpers allowed (the last call of each op name). */
  private static final class HelpersSeen extends BaseListener {
    final Map<String, Boolean> byOp = new TreeMap<>();

    @Override
    public boolean isActive(Operation operation) {
      return true;
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
        // What libnd4j reads when it picks the op's implementation.
        byOp.put(
            op.getOp().opName(), new Nd4jCpu.Context(context.contextPointer()).helpersAllowed());
      }
    }

    Map<String, Boolean> pooling() {
      Map<String, Boolean> pooling = new TreeMap<>(byOp);
      pooling.keySet().retainAll(PlainMaxPooling.OPS);
      return pooling;
    }
  }
}
