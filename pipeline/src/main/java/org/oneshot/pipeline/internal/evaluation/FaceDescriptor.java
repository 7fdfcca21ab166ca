package org.oneshot.pipeline.internal.evaluation;

import java.util.List;
import org.oneshot.api.Image;
import org.oneshot.api.model.Architecture;
import org.oneshot.pipeline.internal.evaluation.FaceViews.Region;

/**
 * The classical descriptions of a face that {@link FusedScoringNetwork} fits Fisherfaces on, each
 * of an image and of its mirror image, in the order the fused embedding joins them.
 */
enum FaceDescriptor {
  /** The network's own input: the face resized to it, scaled to [0, 1]. */
  PIXELS("pixels", "", Region.WHOLE, false) {
    @Override
    float[] describe(FaceViews face, Architecture arch, boolean mirrored) {
      return mirrored
          ? Vectors.flippedRows(of(face, arch), arch.inputWidth()) // each channel's rows
          : face.networkInput(arch);
    }

    @Override
    int length(Architecture arch) {
      return arch.channels() * arch.inputHeight() * arch.inputWidth();
    }
  },

  /** {@link LocalBinaryPatterns} (stop 48). */
  LOCAL_BINARY_PATTERNS("local binary patterns", "+lbp", Region.WHOLE, false),

  /**
   * {@link LocalBinaryPatterns} of the face after {@link TanTriggs}' light normalisation (stop 49):
   * the patterns of its features rather than of its shading.
   */
  LIGHT_NORMALISED_PATTERNS(
      "local binary patterns after Tan-Triggs light normalisation", "+tt", Region.WHOLE, true),

  /**
   * {@link #LOCAL_BINARY_PATTERNS} of the face's {@link Region#MIDDLE} (stop 51): of a detector's
   * crop, the face without the background and hair around it, which change between a person's
   * photos taken on other days. Kept where the fit finds it helps, as for every region but the
   * whole ({@link FusedScoringNetwork}).
   */
  MIDDLE_PATTERNS("local binary patterns of the face's middle", "+lbpm", Region.MIDDLE, false),

  /** {@link #LIGHT_NORMALISED_PATTERNS} of the face's {@link Region#MIDDLE} (stop 51). */
  MIDDLE_LIGHT_NORMALISED_PATTERNS(
      "local binary patterns of the face's middle after Tan-Triggs light normalisation",
      "+ttm",
      Region.MIDDLE,
      true),

  /** {@link #LOCAL_BINARY_PATTERNS} of the face's {@link Region#CENTRE} (stop 51). */
  CENTRE_PATTERNS("local binary patterns of the face's centre", "+lbpc", Region.CENTRE, false),

  /** {@link #LIGHT_NORMALISED_PATTERNS} of the face's {@link Region#CENTRE} (stop 51). */
  CENTRE_LIGHT_NORMALISED_PATTERNS(
      "local binary patterns of the face's centre after Tan-Triggs light normalisation",
      "+ttc",
      Region.CENTRE,
      true);

  /** What it describes, in words, for the output. */
  final String words;

  /** What a fusion's id adds for this part, after the network's id and "+fisherfaces". */
  final String idSuffix;

  /**
   * The part of the face it describes: every fusion has those of the whole face, the others join
   * one only where the fit finds that they tell its held-out people apart better ({@link
   * FusedScoringNetwork}).
   */
  final Region region;

  /** Whether it is of the patterns after light normalisation rather than of the plain ones. */
  // PIXELS, which overrides what reads it, has false.
  final boolean lightNormalised;

  FaceDescriptor(String words, String idSuffix, Region region, boolean lightNormalised) {
    this.words = words;
    this.idSuffix = idSuffix;
    this.region = region;
    this.lightNormalised = lightNormalised;
  }

  /**
   * This descriptor of the face, made once for each view of a face ({@link FaceViews#described}): a
   * fit asks for it both for its discriminant and for the mean it projects. Callers must not change
   * it.
   */
  final float[] of(FaceViews face, Architecture arch) {
    return face.described(this, false, () -> describe(face, arch, false));
  }

  /** {@link #of(FaceViews, Architecture)} of the face's mirror image. */
  final float[] ofMirrored(FaceViews face, Architecture arch) {
    return face.described(this, true, () -> describe(face, arch, true));
  }

  /**
   * Computes this descriptor of the face or of its mirror image: the local binary patterns of its
   * {@link #region}.
   */
  float[] describe(FaceViews face, Architecture arch, boolean mirrored) {
    return LocalBinaryPatterns.histograms(face.patterns(region, lightNormalised), mirrored);
  }

  /** The values in a descriptor of an image for a network of {@code arch}. */
  int length(Architecture arch) {
    return LocalBinaryPatterns.LENGTH;
  }

  /** {@link #of(FaceViews, Architecture)} of one image. */
  final float[] of(Image image, Architecture arch) {
    return of(new FaceViews(image), arch);
  }

  /**
   * The mean of the descriptors of the face and of its mirror image: how a {@link
   * ViewsDescribed#BOTH_WAYS} fusion describes every face it projects, and a {@link
   * ViewsDescribed#TURNED_TOO} one each of its turned views.
   */
  final float[] ofBothWays(FaceViews face, Architecture arch) {
    return Vectors.mean(List.of(of(face, arch), ofMirrored(face, arch)));
  }
}
