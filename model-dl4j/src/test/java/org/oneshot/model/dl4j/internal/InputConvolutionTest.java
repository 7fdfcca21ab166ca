package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

class InputConvolutionTest {
  private static final int K = 5;
  private static final int OUT = 6;

  @Test
  void oneChannelInputsGetLibnd4jsWeightGradientWithoutConv2dBp() {
    assertGradientsMatch(1, true);
  }

  @Test
  void manyChannelInputsGetLibnd4jsWeightGradientWithoutConv2dBp() {
    assertGradientsMatch(3, true);
  }

  /** Inside the network the input's gradient is needed: ND4J's own conv2d_bp must still run. */
  @Test
  void aComputedInputKeepsLibnd4jsGradient() {
    assertGradientsMatch(2, false);
  }

  private static void assertGradientsMatch(int channels, boolean placeholderInput) {
    OpOverrides.register();
    Nd4j.getRandom().setSeed(11);
    int n = 4;
    int size = 17;
    int outSize = size - K + 1;
    INDArray images = Nd4j.rand(DataType.FLOAT, n, channels, size, size).subi(0.5);
    INDArray weights = Nd4j.rand(DataType.FLOAT, K, K, channels, OUT).subi(0.5);
    INDArray bias = Nd4j.rand(DataType.FLOAT, OUT);
    // The loss Σ y·r makes r the output's gradient.
    INDArray r = Nd4j.rand(DataType.FLOAT, n, OUT, outSize, outSize).subi(0.5);

    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, channels, size, size);
    SDVariable input = placeholderInput ? x : x.mul(1.0);
    SDVariable w = sd.var("w", weights.dup());
    SDVariable b = sd.var("b", bias.dup());
    Conv2DConfig config = Conv2DConfig.builder().kH(K).kW(K).sH(1).sW(1).dataFormat("NCHW").build();
    sd.cnn().conv2d(input, w, b, config).mul(sd.constant(r)).sum("loss");
    sd.setLossVariables("loss");
    Map<String, INDArray> gradients = sd.calculateGradients(Map.of("x", images), "w", "b");

    INDArray expectedW = Nd4j.create(DataType.FLOAT, K, K, channels, OUT);
    INDArray expectedB = Nd4j.create(DataType.FLOAT, OUT);
    Nd4j.exec(
        DynamicCustomOp.builder("conv2d_bp")
            .addInputs(images, weights, bias, r)
            .addOutputs(Nd4j.create(DataType.FLOAT, images.shape()), expectedW, expectedB)
            .addIntegerArguments(K, K, 1, 1, 0, 0, 1, 1, 0, 0, 0)
            .build());
    assertClose("w", expectedW, gradients.get("w"));
    assertClose("b", expectedB, gradients.get("b"));

    Set<String> gradientOps =
        sd.getFunction("grad").getOps().values().stream()
            .map(op -> op.getOp().opName())
            .collect(Collectors.toSet());
    assertEquals(!placeholderInput, gradientOps.contains("conv2d_bp"), gradientOps.toString());
  }

  private static void assertClose(String name, INDArray expected, INDArray actual) {
    assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
    double scale = expected.amaxNumber().doubleValue();
    double difference = expected.sub(actual).amaxNumber().doubleValue();
    assertFalse(scale < 1e-3, name + " gradient vanished");
    // float32 sums in another order; a wrong offset or layout differs by order 1.
    assertTrue(
        difference <= 1e-4 * scale,
        name + ": gradient differs by " + difference + " (scale " + scale + ")");
  }
}
