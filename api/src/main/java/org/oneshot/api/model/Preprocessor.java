package org.oneshot.api.model;

import org.oneshot.api.Image;

/**
 * Turns an image into a network input: grey or colour as the architecture wants, resized (bilinear
 * or by area, as the architecture says) to its input size, scaled to [0, 1], laid out channels ×
 * height × width.
 */
public final class Preprocessor {
  private Preprocessor() {}

  /** The 8-bit pixels of {@code image} resized to the input, CHW; cache this, it is 4× smaller. */
  public static byte[] resize(Image image, Architecture arch) {
    Image source = arch.channels() == 1 ? image.toGray() : toColour(image);
    int c = arch.channels();
    int w = arch.inputWidth();
    int h = arch.inputHeight();
    Image sized = arch.areaResize() ? source.resizedByArea(w, h) : source.resized(w, h);
    byte[] hwc = sized.toByteArray();
    if (c == 1) {
      return hwc; // one channel: interleaved and planar are the same bytes
    }
    byte[] chw = new byte[hwc.length];
    for (int p = 0; p < h * w; p++) {
      for (int ch = 0; ch < c; ch++) {
        chw[ch * h * w + p] = hwc[p * c + ch];
      }
    }
    return chw;
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

  /** What {@link #toInput} does for {@code arch}, in words: "grey, area to 32x32, /255, CHW". */
  public static String describe(Architecture arch) {
    return (arch.channels() == 1 ? "grey" : "rgb")
        + ", "
        + arch.resize()
        + " to "
        + arch.inputWidth()
        + "x"
        + arch.inputHeight()
        + ", /255, CHW";
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
