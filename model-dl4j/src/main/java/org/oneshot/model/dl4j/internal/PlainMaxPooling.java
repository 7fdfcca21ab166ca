package org.oneshot.model.dl4j.internal;

import java.util.Set;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * Runs SameDiff's max pooling, forward and backward, on libnd4j's own kernels rather than oneDNN's:
 * a listener that turns the platform helpers off in the context of each pooling op just before it
 * executes, and leaves them on for everything else (oneDNN's convolutions are ten times libnd4j's).
 *
 * <p>Why: on NCHW arrays oneDNN's pooling is the slow one. One call each on this machine (AVX2 AMD
 * EPYC, 2 threads): 64 × 32 × 28 × 28 forward 15.3 against 3.1 ms, backward 22.4 against 8.0; 64 ×
 * 64 × 12 × 12 5.7 against 1.4 and 8.3 against 3.4 — and max pooling was 55% of the op time of a
 * {@code small} tower at 32 × 32 pixels (SameDiff's profiler). Training steps of 32 pairs went
 * 1.21× ({@code small}), 1.22× ({@code faces}) and 1.12× ({@code koch}) as fast, the two settings
 * alternating in one JVM (README, "Max pooling off oneDNN"). Max pooling picks the same maxima
 * either way, so values and gradients do not change.
 */
final class PlainMaxPooling extends BaseListener {
  /** libnd4j's names of the ops this listener takes off oneDNN. */
  static final Set<String> OPS = Set.of("maxpool2d", "maxpool2d_bp");

  @Override
  public boolean isActive(Operation operation) {
    return true;
  }

  @Override
  public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
    if (context != null && OPS.contains(op.getOp().opName())) {
      context.allowHelpers(false);
    }
  }
}
