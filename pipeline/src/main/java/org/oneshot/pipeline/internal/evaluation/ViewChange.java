package org.oneshot.pipeline.internal.evaluation;

import java.util.List;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;

/**
 * A small change of how a face is seen — zoomed or turned about the crop's centre — of the kind a
 * detector's box leaves between two photos of one person: a face a little larger or smaller in its
 * box, a head tilted to one side. {@link FusedScoringNetwork}'s wide fits (of more than 50 people)
 * see each training image changed by each of {@link #DISCRIMINANT_CHANGES} as the same person, so
 * that their discriminants learn to ignore such changes (stop 52). Wide fits only: LFW's held-out
 * people gain by them (0.790 → 0.804, the fit's own folds' AUC 0.9624 → 0.9658), the narrow fits of
 * AT&T's 30 people do not (numpy, s1–s30 → s31–s40: 10-way 0.913 → 0.911, pairs 0.921 → 0.914; the
 * Fisherfaces alone in Java, pairs 0.936 → 0.930; the folds' AUC 0.9842 → 0.9840).
 *
 * @param zoom how much more of the image the view shows: 1.07 shows 7% more of it around the face,
 *     the face smaller; 1 / 1.07 the face larger
 * @param turn the angle, in radians, the view is turned by (either way, the same for each sign)
 */
record ViewChange(double zoom, double turn) {
  /**
   * The changes a fit's discriminant sees: zoomed by 7% either way, turned by 0.1 radians (5.7°)
   * either way. Chosen on training people alone (numpy, 16 splits of the training people of {@code
   * lfw-identities.sh}, all seven descriptors): pairs 0.836 → 0.847 (15 of 16) with these and the
   * wide fits' shrinkage at 0.01; turns alone 0.846; shifts of 2% of the crop +0.3; turns of 0.2
   * radians too +0.7 only.
   */
  static final List<ViewChange> DISCRIMINANT_CHANGES =
      List.of(
          new ViewChange(1.07, 0),
          new ViewChange(1 / 1.07, 0),
          new ViewChange(1, 0.1),
          new ViewChange(1, -0.1));

  ViewChange {
    if (!(zoom > 0) || !Double.isFinite(zoom) || !Double.isFinite(turn)) {
      throw new IllegalArgumentException("zoom " + zoom + ", turn " + turn);
    }
  }

  /**
   * {@code image} seen with this change, of the same size and channels: each pixel bilinear from
   * the image at its place zoomed and turned about the centre, places outside the image taking its
   * nearest edge pixel (so no black corners tell a changed view from a plain one).
   */
  Image applyTo(Image image) {
    int width = image.width();
    int height = image.height();
    int channels = image.channels();
    byte[] in = image.toByteArray();
    byte[] out = new byte[in.length];
    Placing placing = new Placing(width, height);
    int o = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          out[o++] = (byte) Math.round(placing.sample(in, channels, c, x, y));
        }
      }
    }
    return Image.wrap(width, height, channels, out);
  }

  /**
   * The {@code box} of {@code grey} (one channel) seen with this change about the image's centre,
   * at {@code size}×{@code size}, row-major, whole grey levels: what cropping the box of the
   * changed {@link #applyTo image} and {@link Image#resized resizing} it gives, up to rounding,
   * sampled at once — the box's pixels alone, not every pixel of the image twice (a face's three
   * regions of a 512×512 crop: about 10 → 0.3 ms).
   */
  float[] greyView(Image grey, FaceBox box, int size) {
    if (grey.channels() != 1) {
      throw new IllegalArgumentException(grey.channels() + " channels, not grey");
    }
    byte[] in = grey.toByteArray();
    Placing placing = new Placing(grey.width(), grey.height());
    double scaleX = (double) box.width() / size;
    double scaleY = (double) box.height() / size;
    float[] out = new float[size * size];
    for (int v = 0, o = 0; v < size; v++) {
      // Image.resized's sample places, in the image's pixels.
      double y = box.y() + Math.max(0, (v + 0.5) * scaleY - 0.5);
      for (int u = 0; u < size; u++) {
        double x = box.x() + Math.max(0, (u + 0.5) * scaleX - 0.5);
        out[o++] = Math.round(placing.sample(in, 1, 0, x, y));
      }
    }
    return out;
  }

  /** Where this change takes each place of an image of one size from, and the value there. */
  private final class Placing {
    private final int width;
    private final int height;
    private final double cx;
    private final double cy;
    private final double cos;
    private final double sin;

    Placing(int width, int height) {
      this.width = width;
      this.height = height;
      cx = (width - 1) / 2.0;
      cy = (height - 1) / 2.0;
      cos = zoom * Math.cos(turn);
      sin = zoom * Math.sin(turn);
    }

    /**
     * Channel {@code c} of interleaved {@code pixels} at the place that (x, y) is seen from,
     * bilinear, clamped to the nearest edge.
     */
    double sample(byte[] pixels, int channels, int c, double x, double y) {
      double sx = cx + cos * (x - cx) - sin * (y - cy);
      double sy = cy + sin * (x - cx) + cos * (y - cy);
      sx = Math.min(Math.max(sx, 0), width - 1);
      sy = Math.min(Math.max(sy, 0), height - 1);
      int x0 = (int) sx;
      int y0 = (int) sy;
      int x1 = Math.min(x0 + 1, width - 1);
      int y1 = Math.min(y0 + 1, height - 1);
      double fx = sx - x0;
      double fy = sy - y0;
      double top =
          (pixels[(y0 * width + x0) * channels + c] & 0xff) * (1 - fx)
              + (pixels[(y0 * width + x1) * channels + c] & 0xff) * fx;
      double bottom =
          (pixels[(y1 * width + x0) * channels + c] & 0xff) * (1 - fx)
              + (pixels[(y1 * width + x1) * channels + c] & 0xff) * fx;
      return top * (1 - fy) + bottom * fy;
    }
  }
}
