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
  PIXELS("pixels", "", true) {
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
  LOCAL_BINARY_PATTERNS("local binary patterns", "+lbp", true) {
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
  LIGHT_NORMALISED_PATTERNS(
      "local binary patterns after Tan-Triggs light normalisation", "+tt", true) {
    @Override
    float[] of(FaceViews face, Architecture arch) {
      return lightNormalisedPatterns(face.grey(false));
    }

    @Override
    float[] ofMirrored(FaceViews face, Architecture arch) {
      return lightNormalisedPatterns(face.grey(true));
    }

    @Override
    int length(Architecture arch) {
      return LocalBinaryPatterns.LENGTH;
    }
  },

  /**
   * {@link #LOCAL_BINARY_PATTERNS} of the {@link FaceViews#middle} of the face only (stop 51): of a
   * detector's crop, the face without the background and hair around it, which change between a
   * person's photos taken on other days. Chosen by the fit, as {@link #always} says.
   */
  MIDDLE_PATTERNS("local binary patterns of the face's middle", "+lbpm", false) {
    @Override
    float[] of(FaceViews face, Architecture arch) {
      return LocalBinaryPatterns.histograms(face.middle(false));
    }

    @Override
    float[] ofMirrored(FaceViews face, Architecture arch) {
      return LocalBinaryPatterns.histograms(face.middle(true));
    }

    @Override
    int length(Architecture arch) {
      return LocalBinaryPatterns.LENGTH;
    }
  },

  /** {@link #LIGHT_NORMALISED_PATTERNS} of the {@link FaceViews#middle} of the face (stop 51). */
  MIDDLE_LIGHT_NORMALISED_PATTERNS(
      "local binary patterns of the face's middle after Tan-Triggs light normalisation",
      "+ttm",
      false) {
    @Override
    float[] of(FaceViews face, Architecture arch) {
      return lightNormalisedPatterns(face.middle(false));
    }

    @Override
    float[] ofMirrored(FaceViews face, Architecture arch) {
      return lightNormalisedPatterns(face.middle(true));
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

  /**
   * Whether every fusion has it; the others join one only where the fit finds that they tell its
   * held-out people apart better ({@link FusedScoringNetwork}).
   */
  final boolean always;

  FaceDescriptor(String words, String idSuffix, boolean always) {
    this.words = words;
    this.idSuffix = idSuffix;
    this.always = always;
  }

  private static float[] lightNormalisedPatterns(float[] grey) {
    int size = LocalBinaryPatterns.SIZE;
    return LocalBinaryPatterns.histograms(TanTriggs.normalise(grey, size, size));
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
