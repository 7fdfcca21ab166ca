package org.oneshot.pipeline.internal.image;

import org.oneshot.api.Image;

/** Shrinks images in plain Java (bilinear, pixel centres aligned as OpenCV's INTER_LINEAR). */
public final class ImageScaling {
  private ImageScaling() {}

  /** {@code image} scaled to {@code width} pixels wide, height in proportion (at least 1). */
  public static Image toWidth(Image image, int width) {
    if (width <= 0) {
      throw new IllegalArgumentException("width must be positive: " + width);
    }
    int height = Math.max(1, (int) Math.round((double) image.height() * width / image.width()));
    return resize(image, width, height);
  }

  /** {@code image} resized to {@code width} × {@code height}, bilinear, channels kept. */
  public static Image resize(Image image, int width, int height) {
    int c = image.channels();
    int sw = image.width();
    int sh = image.height();
    byte[] src = image.toByteArray();
    byte[] out = new byte[width * height * c];
    double sx = (double) sw / width;
    double sy = (double) sh / height;
    // Column weights are the same for every row: work them out once.
    int[] x0s = new int[width];
    int[] x1s = new int[width];
    double[] wxs = new double[width];
    for (int x = 0; x < width; x++) {
      double fx = Math.max(0, (x + 0.5) * sx - 0.5);
      x0s[x] = Math.min((int) fx, sw - 1);
      x1s[x] = Math.min(x0s[x] + 1, sw - 1);
      wxs[x] = fx - x0s[x];
    }
    for (int y = 0; y < height; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int y0 = Math.min((int) fy, sh - 1);
      int y1 = Math.min(y0 + 1, sh - 1);
      double wy = fy - y0;
      int row0 = y0 * sw * c;
      int row1 = y1 * sw * c;
      int o = y * width * c;
      for (int x = 0; x < width; x++) {
        int a = x0s[x] * c;
        int b = x1s[x] * c;
        double wx = wxs[x];
        for (int ch = 0; ch < c; ch++) {
          double top = (src[row0 + a + ch] & 0xff) * (1 - wx) + (src[row0 + b + ch] & 0xff) * wx;
          double bottom = (src[row1 + a + ch] & 0xff) * (1 - wx) + (src[row1 + b + ch] & 0xff) * wx;
          out[o++] = (byte) Math.round(top * (1 - wy) + bottom * wy);
        }
      }
    }
    return Image.wrap(width, height, c, out);
  }
}
