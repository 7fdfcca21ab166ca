package org.oneshot.pipeline.internal.evaluation;

import org.oneshot.api.Image;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Preprocessor;

/**
 * The classical descriptions of a face that {@link FusedScoringNetwork} fits Fisherfaces on, each
 * of an image and of its mirror image, in the order the fused embedding joins them.
 */
enum FaceDescriptor {
  /** The network's own input: the face resized to it, scaled to [0, 1]. */
  PIXELS("pixels", "") {
    @Override
    float[] of(FaceViews face, Architecture arch) {
      return Preprocessor.toInput(face.image(), arch);
    }

    @Override
    float[] ofMirrored(FaceViews face, Architecture arch) {
      return Vectors.flippedRows(of(face, arch), arch.inputWidth()); // each channel's rows
    }

    @Override
    int length(Architecture arch) {
      return arch.channels() * arch.inputHeight() * arch.inputWidth();
    }
  },

  /** {@link LocalBinaryPatterns} (stop 48). */
  LOCAL_BINARY_PATTERNS("local binary patterns", "+lbp") {
    @Override
    float[] of(FaceViews face, Architecture arch) {
      return LocalBinaryPatterns.histograms(face.grey(false));
    }

    @Override
    float[] ofMirrored(FaceViews face, Architecture arch) {
      return LocalBinaryPatterns.histograms(face.grey(true));
    }

    @Override
    int length(Architecture arch) {
      return LocalBinaryPatterns.LENGTH;
    }
  },

  /**
   * {@link LocalBinaryPatterns} of the face after {@link TanTriggs}' light normalisation (stop 49):
   * the patterns of its features rather than of its shading.
   */
  LIGHT_NORMALISED_PATTERNS("local binary patterns after Tan-Triggs light normalisation", "+tt") {
    @Override
    float[] of(FaceViews face, Architecture arch) {
      return describe(face.grey(false));
    }

    @Override
    float[] ofMirrored(FaceViews face, Architecture arch) {
      return describe(face.grey(true));
    }

    private static float[] describe(float[] grey) {
      int size = LocalBinaryPatterns.SIZE;
      return LocalBinaryPatterns.histograms(TanTriggs.normalise(grey, size, size));
    }

    @Override
    int length(Architecture arch) {
      return LocalBinaryPatterns.LENGTH;
    }
  };

  /** What it describes, in words, for the output. */
  final String words;

  /** What a fusion's id adds for this part, after the network's id and "+fisherfaces". */
  final String idSuffix;

  FaceDescriptor(String words, String idSuffix) {
    this.words = words;
    this.idSuffix = idSuffix;
  }

  abstract float[] of(FaceViews face, Architecture arch);

  abstract float[] ofMirrored(FaceViews face, Architecture arch);

  /** {@link #of(FaceViews, Architecture)} of one image. */
  final float[] of(Image image, Architecture arch) {
    return of(new FaceViews(image), arch);
  }

  /** The values in a descriptor of an image for a network of {@code arch}. */
  abstract int length(Architecture arch);
}
