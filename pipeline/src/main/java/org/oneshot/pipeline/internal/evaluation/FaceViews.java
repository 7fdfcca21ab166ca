package org.oneshot.pipeline.internal.evaluation;

import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;

/**
 * One face and the views of it that several {@link FaceDescriptor}s start from, each made once: the
 * plain and the light-normalised local binary patterns both begin with the face in grey at {@link
 * LocalBinaryPatterns#SIZE}, and shrinking a 512×512 crop to it takes 0.48 ms — more than either
 * descriptor's own work (AMD Zen 5). The face's {@link #middle} is cut from the same grey image.
 */
final class FaceViews {
  /**
   * The share of a face crop's width and height that {@link #middle} keeps: the detector's box
   * inside the margin of 0.15 of its size that {@code face:capture} and {@code
   * face:import-negatives} add on each side (1 / 1.3) — the face without the background and hair
   * around it.
   */
  static final double MIDDLE = 1 / 1.3;

  private final Image image;
  private Image greyImage;
  private float[] grey;
  private float[] mirroredGrey;
  private float[] middle;
  private float[] mirroredMiddle;

  FaceViews(Image image) {
    this.image = image;
  }

  Image image() {
    return image;
  }

  /** The face in grey at its own size, made once for both views. */
  private Image greyImage() {
    if (greyImage == null) {
      greyImage = image.toGray();
    }
    return greyImage;
  }

  /**
   * The face in grey at {@link LocalBinaryPatterns#SIZE}, flipped left to right when {@code
   * mirrored} (the plain view flipped, not shrunk again). Callers must not change it.
   */
  float[] grey(boolean mirrored) {
    if (grey == null) {
      grey = LocalBinaryPatterns.grey(greyImage());
    }
    if (mirrored && mirroredGrey == null) {
      mirroredGrey = Vectors.flippedRows(grey, LocalBinaryPatterns.SIZE);
    }
    return mirrored ? mirroredGrey : grey;
  }

  /**
   * The middle {@link #MIDDLE} of the face (of its width and of its height) in grey at {@link
   * LocalBinaryPatterns#SIZE}, cut from the image itself, not from {@link #grey}'s shrunk view, so
   * that it keeps the detail it has; flipped left to right when {@code mirrored}. Callers must not
   * change it.
   */
  float[] middle(boolean mirrored) {
    if (middle == null) {
      Image grey = greyImage();
      int marginX = (int) Math.round(grey.width() * (1 - MIDDLE) / 2);
      int marginY = (int) Math.round(grey.height() * (1 - MIDDLE) / 2);
      middle =
          LocalBinaryPatterns.grey(
              grey.crop(
                  new FaceBox(
                      marginX,
                      marginY,
                      grey.width() - 2 * marginX,
                      grey.height() - 2 * marginY,
                      1)));
    }
    if (mirrored && mirroredMiddle == null) {
      mirroredMiddle = Vectors.flippedRows(middle, LocalBinaryPatterns.SIZE);
    }
    return mirrored ? mirroredMiddle : middle;
  }
}
