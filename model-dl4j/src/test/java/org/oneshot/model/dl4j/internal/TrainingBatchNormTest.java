package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainingBatchNormTest {
  private static final int C = 4;

  @Test
  void trainingGradientIsTheGradientOfTheElementaryOperations() {
    assertFusedGradientMatches(1);
  }

  /**
   * The gradient gathers Σ dy·x − mean·Σ dy, which cancels when the mean dwarfs the spread
   * (activations far from zero): it must still hold there.
   */
  @Test
  void trainingGradientHoldsForActivationsFarFromZero() {
    assertFusedGradientMatches(30);
  }

  private static void assertFusedGradientMatches(float offset) {
    Nd4j.getRandom().setSeed(7);
    // 8 images of 24×24 per channel: 4,608 values per channel, as many as a small layer's.
    INDArray x = Nd4j.rand(DataType.FLOAT, 8, C, 24, 24).muli(3).addi(offset);
    INDArray weights = Nd4j.rand(DataType.FLOAT, 8, C, 24, 24);
    INDArray gamma = Nd4j.rand(DataType.FLOAT, C).addi(0.5);
    INDArray beta = Nd4j.rand(DataType.FLOAT, C);

    Map<String, INDArray> elementary = gradients(x, weights, gamma, beta, Form.ELEMENTARY);
    Map<String, INDArray> fused = gradients(x, weights, gamma, beta, Form.FUSED);
    // What a gradient that took the batch statistics for constants would be.
    Map<String, INDArray> constant = gradients(x, weights, gamma, beta, Form.CONSTANT_STATISTICS);
    INDArray dx = elementary.get("x");
    assertTrue(
        dx.sub(constant.get("x")).amaxNumber().doubleValue() > 0.1 * dx.amaxNumber().doubleValue(),
        "the check cannot tell the batch statistics' gradient from none");

    for (String name : new String[] {"x", "gamma", "beta"}) {
      INDArray expected = elementary.get(name);
      INDArray actual = fused.get(name);
      double scale = expected.amaxNumber().doubleValue();
      double difference = expected.sub(actual).amaxNumber().doubleValue();
      // float32 summation order differs (measured below 1e-6 of the scale).
      assertTrue(scale > 1e-3, name + " gradient vanished");
      assertTrue(
          difference <= 1e-4 * scale,
          name + ": fused gradient differs by " + difference + " (scale " + scale + ")");
    }
  }

  @Test
  void statisticsAreTheBatchsMeanAndBiasedVariancePerChannel() {
    SameDiff sd = SameDiff.create();
    // Two images, two channels, 1×2 pixels: channel 0 holds 1, 3, 5, 7; channel 1 holds 10, 20,
    // 10, 20.
    SDVariable x = sd.constant(Nd4j.create(new float[] {1, 3, 10, 20, 5, 7, 10, 20}, 2, 2, 1, 2));
    SDVariable[] statistics = TrainingBatchNorm.statistics(sd, x, "m", "v");
    Map<String, INDArray> values = sd.output(Map.of(), "m", "v");
    assertArrayEquals(new long[] {1, 2, 1, 1}, values.get("m").shape());
    assertArrayEquals(new float[] {4, 15}, values.get("m").data().asFloat(), 1e-5f);
    // Biased (divided by 4, not 3), as batch normalisation needs: 5 and 25.
    assertArrayEquals(new float[] {5, 25}, values.get("v").data().asFloat(), 1e-4f);
    assertEquals("m", statistics[0].name());
  }

  @Test
  void inferenceNormalisesByTheGivenStatistics() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.constant(Nd4j.create(new float[] {1, 3, 10, 20}, 1, 2, 1, 2));
    SDVariable out =
        TrainingBatchNorm.apply(
            sd,
            x,
            sd.constant(Nd4j.create(new float[] {2, 15})),
            sd.constant(Nd4j.create(new float[] {1, 25})),
            sd.constant(Nd4j.create(new float[] {2, 1})),
            sd.constant(Nd4j.create(new float[] {0, 1})));
    float[] y = out.eval().data().asFloat();
    float[] expected = {-2, 2, 0, 2};
    for (int i = 0; i < y.length; i++) {
      assertEquals(expected[i], y[i], 1e-4, "element " + i);
    }
  }

  private enum Form {
    ELEMENTARY,
    FUSED,
    CONSTANT_STATISTICS
  }

  private static Map<String, INDArray> gradients(
      INDArray xv, INDArray wv, INDArray gv, INDArray bv, Form form) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.var("x", xv.dup());
    SDVariable gamma = sd.var("gamma", gv.dup());
    SDVariable beta = sd.var("beta", bv.dup());
    SDVariable mean = x.mean(true, 0, 2, 3);
    SDVariable centred = x.sub(mean);
    SDVariable variance = centred.mul(centred).mean(true, 0, 2, 3);
    SDVariable out;
    if (form == Form.FUSED) {
      // The training graph's own statistics op, not the elementary ones above.
      SDVariable[] statistics = TrainingBatchNorm.statistics(sd, x, "batchMean", "batchVariance");
      out =
          TrainingBatchNorm.apply(
              sd, x, statistics[0].reshape(C), statistics[1].reshape(C), gamma, beta);
    } else {
      if (form == Form.CONSTANT_STATISTICS) {
        centred = x.sub(sd.constant(mean.eval()));
        variance = sd.constant(variance.eval());
      }
      out =
          centred
              .mul(sd.math().rsqrt(variance.add(1e-5)).mul(gamma.reshape(1, C, 1, 1)))
              .add(beta.reshape(1, C, 1, 1));
    }
    out.mul(sd.constant(wv)).sum().markAsLoss();
    return sd.calculateGradients(Map.of(), "x", "gamma", "beta");
  }
}
