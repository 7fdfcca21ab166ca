package org.oneshot.model.dl4j.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each of SameDiff's max pooling ops, forward and backward, on the faster of oneDNN's kernel
 * and libnd4j's own on this machine: a listener that races the two on each op's first calls ({@link
 * KernelRace}) by turning the platform helpers on or off in the op's context just before it runs,
 * then keeps the winner. Every other op keeps oneDNN (its convolutions are ten times libnd4j's).
 *
 * <p>Why a race and not a fixed choice: which is faster depends on the CPU. libnd4j's kernels in
 * the {@code onednn} build are compiled for any x86-64, where oneDNN generates code for the CPU it
 * finds. On an AVX2 AMD EPYC, oneDNN's pooling was the slow one on NCHW arrays (64 × 32 × 28 × 28
 * forward 15.3 against 3.1 ms, backward 22.4 against 8.0; max pooling 55% of the op time of a
 * {@code small} tower at 32 × 32 pixels), and libnd4j's kernels made training steps 1.12–1.22× as
 * fast; on an AVX-512 AMD Zen 5 the same fixed choice made {@code face:bench}'s {@code faces} steps
 * 0.85× as fast (README, "Max pooling on the faster kernel"). Max pooling picks the same maxima
 * either way, so values and gradients do not depend on the kernel, nor on the race.
 */
final class FasterMaxPooling extends BaseListener {
  /** libnd4j's names of the ops raced. */
  static final Set<String> OPS = Set.of("maxpool2d", "maxpool2d_bp");

  /** Calls of each kernel not timed: oneDNN builds its primitive on the first. */
  static final int UNTIMED = 2;

  /**
   * Timed calls of each kernel per op: medians of five shrug off a call the other thread slowed.
   */
  static final int TIMED = 5;

  private static final Logger LOG = LoggerFactory.getLogger(FasterMaxPooling.class);

  /** One race per graph op (its name): each has its own input size and pooling settings. */
  private final Map<String, KernelRace> races = new ConcurrentHashMap<>();

  private final ThreadLocal<Running> running = new ThreadLocal<>();
  private final LongSupplier nanoClock;

  private record Running(KernelRace race, boolean helpers, long start) {}

  FasterMaxPooling() {
    this(System::nanoTime);
  }

  FasterMaxPooling(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public boolean isActive(Operation operation) {
    return true;
  }

  @Override
  public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
    if (context == null || !OPS.contains(op.getOp().opName())) {
      return;
    }
    KernelRace race = races.computeIfAbsent(op.getName(), n -> new KernelRace(UNTIMED, TIMED));
    boolean helpers = race.nextWithHelpers();
    context.allowHelpers(helpers);
    running.set(new Running(race, helpers, nanoClock.getAsLong()));
  }

  @Override
  public void opExecution(
      SameDiff sd,
      At at,
      MultiDataSet batch,
      SameDiffOp op,
      OpContext context,
      INDArray[] outputs) {
    Running call = running.get();
    if (call == null || !OPS.contains(op.getOp().opName())) {
      return;
    }
    running.remove();
    long nanos = nanoClock.getAsLong() - call.start();
    long images = outputs.length > 0 && outputs[0].rank() > 0 ? outputs[0].size(0) : 1;
    if (call.race().record(call.helpers(), nanos, images)) {
      LOG.info(
          "{} {}: {} → {}'s kernel",
          op.getName(),
          outputs.length > 0 ? Arrays.toString(outputs[0].shape()) : "",
          call.race().summary(),
          call.race().winner().orElseThrow() ? "oneDNN" : "libnd4j");
    }
  }

  /** The kernel each op's race chose, true for oneDNN's; ops still racing are absent. */
  Map<String, Boolean> choices() {
    Map<String, Boolean> chosen = new TreeMap<>();
    races.forEach((op, race) -> race.winner().ifPresent(w -> chosen.put(op, w)));
    return chosen;
  }
}
