package org.oneshot.model.dl4j.internal;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/**
 * libnd4j's {@code conv2d}, whose gradient skips the input's when the input is a placeholder: the
 * tower's first convolution, applied to the images. libnd4j's {@code conv2d_bp} always computes the
 * input's gradient too, and for the one-channel first convolution of {@code faces} it took 30 ms a
 * call against the forward's 6–9 (SameDiff's profiler; a sixth of a training step for the two
 * towers) — for a gradient nobody reads. The weights' gradient below takes about 8 ms and a 2–4 ms
 * permute (README, face:bench).
 *
 * <p>The weights' gradient is itself a convolution: Σ over images and output positions of the input
 * shifted by the kernel offset times the output's gradient. With the input's channels as the batch
 * and its images as the channels, and the output's gradient as an OIYX kernel as large as the
 * output, one {@code conv2d} gives it as [C, O, kH, kW] — oneDNN's forward convolution, not the
 * backward pass. Any other convolution (a stride, padding, dilation, NHWC, or an input that is not
 * a placeholder) keeps ND4J's own gradient.
 */
public final class InputConvolution extends Conv2D {
  /** For SameDiff's copies (found through {@link OpOverrides#register}). */
  public InputConvolution() {}

  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradient) {
    // kH, kW, sH, sW, pH, pW, dH, dW, same mode, NHWC, weights format.
    long[] a = iArgs();
    SDVariable input = arg(0);
    boolean plain =
        a.length >= 11
            && a[2] == 1
            && a[3] == 1
            && a[4] == 0
            && a[5] == 0
            && a[6] == 1
            && a[7] == 1
            && a[8] == 0
            && a[9] == 0
            && a[10] == 0;
    long[] inputShape = input.getShape();
    if (!plain || !input.isPlaceHolder() || inputShape == null || inputShape.length != 4) {
      return super.doDiff(gradient);
    }
    long outHeight = inputShape[2] - a[0] + 1;
    long outWidth = inputShape[3] - a[1] + 1;
    SDVariable dy = gradient.get(0); // [N, O, oH, oW]
    Conv2DConfig correlation =
        Conv2DConfig.builder()
            .kH(outHeight)
            .kW(outWidth)
            .sH(1)
            .sW(1)
            .dataFormat("NCHW")
            .weightsFormat(WeightsFormat.OIYX)
            .build();
    // [C, N, H, W] against [O, N, oH, oW]: [C, O, kH, kW], the kernel offsets as positions.
    SDVariable dw =
        sameDiff
            .cnn()
            .conv2d(input.permute(1, 0, 2, 3), dy.permute(1, 0, 2, 3), correlation)
            .permute(2, 3, 0, 1); // YXIO, as the weights are kept
    SDVariable db = TrainingBatchNorm.perChannelSum(dy).reshape(-1);
    SDVariable none = OpOverrides.noGradient(sameDiff);
    return args().length > 2 ? List.of(none, dw, db) : List.of(none, dw);
  }
}
