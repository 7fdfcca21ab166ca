package org.oneshot.pipeline.internal.evaluation;

import java.util.List;
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
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    double cos = zoom * Math.cos(turn);
    double sin = zoom * Math.sin(turn);
    int o = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
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
        for (int c = 0; c < channels; c++) {
          double top =
              (in[(y0 * width + x0) * channels + c] & 0xff) * (1 - fx)
                  + (in[(y0 * width + x1) * channels + c] & 0xff) * fx;
          double bottom =
              (in[(y1 * width + x0) * channels + c] & 0xff) * (1 - fx)
                  + (in[(y1 * width + x1) * channels + c] & 0xff) * fx;
          out[o++] = (byte) Math.round(top * (1 - fy) + bottom * fy);
        }
      }
    }
    return Image.wrap(width, height, channels, out);
  }
}
