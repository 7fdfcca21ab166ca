package org.oneshot.pipeline.internal.evaluation;

import java.util.EnumMap;
import java.util.Map;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Preprocessor;

/**
 * One face and the views of it that several {@link FaceDescriptor}s start from, each made once: the
 * plain and the light-normalised local binary patterns of a {@link Region} both begin with it in
 * grey at {@link LocalBinaryPatterns#SIZE}, and shrinking a 512×512 crop to it takes 0.48 ms — more
 * than either descriptor's own work (AMD Zen 5). Every region is cut from one grey image.
 */
final class FaceViews {
  /**
   * The parts of a face crop that descriptors describe, each the middle {@code share} of the crop's
   * width and height.
   */
  enum Region {
    /** The whole crop: a detector's box and its margin, or a dataset's whole frame. */
    WHOLE(1),
    /**
     * The detector's box inside the margin of 0.15 of its size that {@code face:capture} and {@code
     * face:import-negatives} add on each side (1 / 1.3): the face without the background and hair
     * around it (stop 51).
     */
    MIDDLE(1 / 1.3),
    /**
     * The centre half of the crop, about two thirds of the detector's box: eyes, nose and mouth
     * (stop 51).
     */
    CENTRE(0.5);

    final double share;

    Region(double share) {
      this.share = share;
    }
  }

  private final Image image;
  private Image greyImage;
  private final Map<Region, float[]> views = new EnumMap<>(Region.class);
  private final Map<Region, int[]> patterns = new EnumMap<>(Region.class);
  private final Map<Region, int[]> lightNormalisedPatterns = new EnumMap<>(Region.class);

  FaceViews(Image image) {
    this.image = image;
  }

  Image image() {
    return image;
  }

  /**
   * The face as {@code arch}'s network takes it ({@link Preprocessor#toInput}); a grey network's
   * from the grey image the patterns are cut from, made once (512×512: 0.44 → 0.02 ms).
   */
  float[] networkInput(Architecture arch) {
    return Preprocessor.toInput(arch.channels() == 1 ? greyImage() : image, arch);
  }

  private Image greyImage() {
    if (greyImage == null) {
      greyImage = image.toGray();
    }
    return greyImage;
  }

  /** {@link #grey(Region)} of the whole face. */
  float[] grey() {
    return grey(Region.WHOLE);
  }

  /**
   * The {@code region} of the face in grey at {@link LocalBinaryPatterns#SIZE}, cut from the image
   * itself so that it keeps the detail it has. Callers must not change it.
   */
  float[] grey(Region region) {
    return views.computeIfAbsent(region, this::cut);
  }

  /**
   * The {@link LocalBinaryPatterns#codes local binary patterns} of the {@code region}, of its grey
   * view as it is or after {@link TanTriggs}' light normalisation: what the face's and its mirror
   * image's histograms both count. Callers must not change them.
   */
  int[] patterns(Region region, boolean lightNormalised) {
    return (lightNormalised ? lightNormalisedPatterns : patterns)
        .computeIfAbsent(
            region,
            r -> {
              float[] grey = grey(r);
              int size = LocalBinaryPatterns.SIZE;
              return LocalBinaryPatterns.codes(
                  lightNormalised ? TanTriggs.normalise(grey, size, size) : grey);
            });
  }

  private float[] cut(Region region) {
    Image greyImage = greyImage();
    if (region == Region.WHOLE) {
      return LocalBinaryPatterns.grey(greyImage);
    }
    int width = greyImage.width();
    int height = greyImage.height();
    // At least a pixel is kept: a face two pixels wide has a centre one pixel wide, not none.
    int marginX = Math.min((int) Math.round(width * (1 - region.share) / 2), (width - 1) / 2);
    int marginY = Math.min((int) Math.round(height * (1 - region.share) / 2), (height - 1) / 2);
    return LocalBinaryPatterns.grey(
        greyImage.crop(
            new FaceBox(marginX, marginY, width - 2 * marginX, height - 2 * marginY, 1)));
  }
}
