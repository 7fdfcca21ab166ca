package org.oneshot.model.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The training loss of the head's logits, written out (DL4J's backend computes the same). */
final class PairLoss {
  /**
   * Beyond this |logit| a pair is so surely right that its smooth term, log(1 + exp(−|z|)) &lt;
   * 1e-13, and that term's gradient count as zero. Left exact, the gradients of thousands of
   * confident all-pairs logits fall below the smallest normal float, and the whole backward pass
   * then computes on subnormal numbers, which Intel CPUs handle in slow microcode: the Omniglot
   * recipe's steps fell from about 6 a second to 1 after a third of its run on such a machine.
   */
  static final float CONFIDENT_LOGIT = 30f;

  private PairLoss() {}

  /**
   * Binary cross-entropy of logits {@code z} against labels {@code y}, pair by pair, written out
   * stably as DJL's loss computes it: max(z, 0) − z·y + log(1 + exp(−min(|z|, 30))).
   */
  static NDArray crossEntropy(NDArray z, NDArray y) {
    NDArray smooth = z.abs().minimum(CONFIDENT_LOGIT).neg().exp().add(1f).log();
    return Activation.relu(z).sub(z.mul(y)).add(smooth);
  }
}
