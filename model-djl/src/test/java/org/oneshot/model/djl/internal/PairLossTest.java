package org.oneshot.model.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

class PairLossTest {
  private static final float[] LOGITS = {-95f, -40f, -29f, -3f, 0.5f, 2.5f, 29f, 40f, 95f};

  @Test
  void equalsDjlsCrossEntropyWhereAPairIsNotYetSure() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      for (float label : new float[] {0f, 1f}) {
        for (float z : LOGITS) {
          if (Math.abs(z) > PairLoss.CONFIDENT_LOGIT) {
            continue;
          }
          NDArray logit = m.create(new float[] {z}, new ai.djl.ndarray.types.Shape(1, 1));
          NDArray y = m.create(new float[] {label}, new ai.djl.ndarray.types.Shape(1, 1));
          float expected =
              Loss.sigmoidBinaryCrossEntropyLoss()
                  .evaluate(new NDList(y), new NDList(logit))
                  .getFloat();
          assertEquals(
              expected,
              PairLoss.crossEntropy(logit, y).getFloat(0, 0),
              1e-5f * Math.max(1f, expected),
              "z " + z + ", y " + label);
        }
      }
    }
  }

  @Test
  void confidentPairsSendBackZeroNotSubnormalGradients() {
    // Exact gradients of the confidently right pairs here are about e^-95 ≈ 5e-42: subnormal.
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      for (float label : new float[] {0f, 1f}) {
        NDArray z = m.create(LOGITS).reshape(LOGITS.length, 1);
        z.setRequiresGradient(true);
        NDArray y = m.full(z.getShape(), label);
        try (GradientCollector collector = m.getEngine().newGradientCollector()) {
          collector.backward(PairLoss.crossEntropy(z, y).sum());
        }
        float[] gradients = z.getGradient().toFloatArray();
        for (int i = 0; i < LOGITS.length; i++) {
          float g = gradients[i];
          assertTrue(
              g == 0f || Math.abs(g) >= Float.MIN_NORMAL,
              "z " + LOGITS[i] + ", y " + label + ": subnormal gradient " + g);
          // d/dz = sigmoid(z) - y: about -1 or 1 for surely wrong pairs, 0 for surely right ones.
          double exact = 1 / (1 + Math.exp(-LOGITS[i])) - label;
          assertEquals(exact, g, 1e-6, "z " + LOGITS[i] + ", y " + label);
        }
      }
    }
  }
}
