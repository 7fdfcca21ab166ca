package org.oneshot.model.dl4j.internal;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.reduce.Moments;

/**
 * libnd4j's fused batch normalisation over NCHW channels, with a gradient that works and is fast.
 * Training normalises by the batch's own mean and variance ({@link #statistics}), and the gradient
 * flows through them inside {@link #doDiff}, so it is exactly the gradient of the elementary
 * operations; DL4J trained the {@code faces} network 1.25× faster with libnd4j's {@code
 * batchnorm_bp} than with those, and faster still with the gradient written out (README,
 * face:bench).
 *
 * <p>ND4J 1.0.0-M2.1's own {@link BatchNorm#doDiff} cannot be used: SameDiff copies every op into
 * the gradient graph through its serialised form, which drops the op's channel axis, and the
 * derivative op it then builds refuses a missing axis (and counts its inputs wrongly). This
 * subclass takes the axis from the op's integer arguments, which survive the copy; {@link
 * OpOverrides#register} makes the copy instantiate it in place of {@link BatchNorm}.
 */
public final class TrainingBatchNorm extends BatchNorm {
  private static final double EPSILON = 1e-5;

  /** For SameDiff's copies (found through {@link OpOverrides#register}). */
  public TrainingBatchNorm() {}

  private TrainingBatchNorm(SameDiff sd, SDVariable[] inputs) {
    super(sd, inputs, null, null, false, true, true, EPSILON, new int[] {1});
  }

  /**
   * gamma · (x − mean) / √(variance + ε) + beta per channel of NCHW {@code x}; {@code mean}, {@code
   * variance}, {@code gamma} and {@code beta} have one value per channel. The gradient takes mean
   * and variance to be {@code x}'s own over N, H and W (training) and flows through them inside the
   * op, so none is passed on to the operations that computed them; a graph that normalises by
   * running averages is never differentiated.
   */
  static SDVariable apply(
      SameDiff sd,
      SDVariable x,
      SDVariable mean,
      SDVariable variance,
      SDVariable gamma,
      SDVariable beta) {
    OpOverrides.register();
    SDVariable[] inputs = {
      x,
      new StopGradient(sd, mean).outputVariable(),
      new StopGradient(sd, variance).outputVariable(),
      gamma,
      beta
    };
    return new TrainingBatchNorm(sd, inputs).outputVariable();
  }

  /**
   * The batch's mean and (biased) variance of NCHW {@code x} per channel, shaped [1, C, 1, 1] and
   * named {@code meanName} and {@code varianceName}: libnd4j's {@code moments}, one op where the
   * elementary operations took four, whose gradient is zero — these statistics feed only {@link
   * #apply}, whose gradient flows through them itself. The elementary operations cost 8% of DL4J's
   * training time forward and 8% more backward, differentiating zeros (README, face:bench).
   */
  static SDVariable[] statistics(SameDiff sd, SDVariable x, String meanName, String varianceName) {
    OpOverrides.register();
    SDVariable[] moments = new Statistics(sd, x).outputVariables();
    return new SDVariable[] {moments[0].rename(meanName), moments[1].rename(varianceName)};
  }

  /**
   * The gradient through the batch statistics, written out in few passes over the activations. With
   * r = 1/√(variance + ε) per channel, M values per channel (N·H·W) and x̄ = x − mean: dβ = Σ dy,
   * dγ = Σ dy·x̂ = r·Σ dy·x̄, and dx = γ·r·(dy − dβ/M − x̂·dγ/M) = A·dy + B·x̄ + C per channel.
   * Eight passes: x̄, dy·x̄ and two sums, then two products and two additions for dx. libnd4j's own
   * {@code batchnorm_bp} took 12 ms a call; the same formula with x̂ computed and dy's means taken
   * apart from its sums took eleven passes (README, face:bench). x is centred first because Σ dy·x
   * − mean·Σ dy, one pass fewer, cancels when the mean dwarfs the spread. Mean and variance get no
   * gradient (theirs is inside dx).
   */
  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradient) {
    SDVariable[] in = args();
    SDVariable dy = gradient.get(0);
    SDVariable centred = in[0].sub(perChannel(in[1]));
    SDVariable r = sameDiff.math().rsqrt(perChannel(in[2]).add(EPSILON));
    SDVariable sumDy = perChannelSum(dy);
    SDVariable sumDyNormalised = perChannelSum(dy.mul(centred)).mul(r);
    // M = N·H·W: the batch size is known only when the graph runs.
    SDVariable count = in[0].shape().castTo(DataType.FLOAT).prod().div(in[3].getShape()[0]);
    SDVariable a = perChannel(in[3]).mul(r);
    SDVariable b = a.mul(r).mul(sumDyNormalised).div(count).neg();
    SDVariable c = a.mul(sumDy).div(count).neg();
    SDVariable dx = dy.mul(a).add(centred.mul(b)).add(c);
    return List.of(
        dx,
        sameDiff.zerosLike(in[1]),
        sameDiff.zerosLike(in[2]),
        sumDyNormalised.reshape(-1),
        sumDy.reshape(-1));
  }

  /**
   * Σ over N, H and W of NCHW {@code x}, shaped [1, C, 1, 1], in two reductions: libnd4j sums over
   * dimensions 0, 2 and 3 at once on one thread (perf: only the training thread ever ran it), but
   * over the contiguous H and W of each image and channel on all of them; the N·C sums left are
   * few.
   */
  static SDVariable perChannelSum(SDVariable x) {
    return x.sum(true, 2, 3).sum(true, 0);
  }

  private static SDVariable perChannel(SDVariable values) {
    return values.reshape(1, -1, 1, 1);
  }

  /**
   * The copy sets what the integer and floating arguments already carry; the base class's fields
   * are private, so setting them by name only logs warnings.
   */
  @Override
  public void setPropertiesForFunction(Map<String, Object> properties) {}

  /**
   * {@code moments} over N, H and W, keeping the dimensions, with a zero gradient (see {@link
   * #statistics}). Only this bundle carries ND4J, and it takes moments for nothing else.
   */
  public static final class Statistics extends Moments {
    /** For SameDiff's copies (found through {@link OpOverrides#register}). */
    public Statistics() {}

    Statistics(SameDiff sd, SDVariable x) {
      super(sd, x, new int[] {0, 2, 3}, true);
    }

    /** None: {@link #apply}'s gradient flows through the statistics itself. */
    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradient) {
      return List.of(OpOverrides.noGradient(sameDiff));
    }

    /** The copy sets what the integer and floating arguments already carry. */
    @Override
    public void setPropertiesForFunction(Map<String, Object> properties) {}
  }
}
