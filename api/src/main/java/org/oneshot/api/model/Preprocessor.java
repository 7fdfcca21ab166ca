package org.oneshot.api.model;

import org.oneshot.api.Image;

/**
 * Turns an image into a network input: grey or colour as the architecture wants, resized (bilinear)
 * to its input size, scaled to [0, 1], laid out channels × height × width.
 */
public final class Preprocessor {
  private Preprocessor() {}

  /** The 8-bit pixels of {@code image} resized to the input, CHW; cache this, it is 4× smaller. */
  public static byte[] resize(Image image, Architecture arch) {
    Image source = arch.channels() == 1 ? image.toGray() : toColour(image);
    int c = arch.channels();
    int w = arch.inputWidth();
    int h = arch.inputHeight();
    byte[] out = new byte[c * h * w];
    double sx = (double) source.width() / w;
    double sy = (double) source.height() / h;
    for (int y = 0; y < h; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int y0 = Math.min((int) fy, source.height() - 1);
      int y1 = Math.min(y0 + 1, source.height() - 1);
      double wy = fy - y0;
      for (int x = 0; x < w; x++) {
        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
        int x0 = Math.min((int) fx, source.width() - 1);
        int x1 = Math.min(x0 + 1, source.width() - 1);
        double wx = fx - x0;
        for (int ch = 0; ch < c; ch++) {
          double top = source.get(x0, y0, ch) * (1 - wx) + source.get(x1, y0, ch) * wx;
          double bottom = source.get(x0, y1, ch) * (1 - wx) + source.get(x1, y1, ch) * wx;
          out[(ch * h + y) * w + x] = (byte) Math.round(top * (1 - wy) + bottom * wy);
        }
      }
    }
    return out;
  }

  /** {@link #resize} scaled to [0, 1], written into {@code out} at {@code offset}. */
  public static void toInput(byte[] resized, float[] out, int offset) {
    for (int i = 0; i < resized.length; i++) {
      out[offset + i] = (resized[i] & 0xff) / 255f;
    }
  }

  public static float[] toInput(Image image, Architecture arch) {
    float[] out = new float[arch.inputSize()];
    toInput(resize(image, arch), out, 0);
    return out;
  }

  private static Image toColour(Image image) {
    if (image.channels() == 3) {
      return image;
    }
    byte[] grey = image.toByteArray();
    byte[] rgb = new byte[grey.length * 3];
    for (int i = 0; i < grey.length; i++) {
      rgb[3 * i] = grey[i];
      rgb[3 * i + 1] = grey[i];
      rgb[3 * i + 2] = grey[i];
    }
    return Image.wrap(image.width(), image.height(), 3, rgb);
  }
}
