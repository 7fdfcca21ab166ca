package org.oneshot.api;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An 8-bit image independent of any imaging library: {@code height} rows of {@code width} pixels,
 * each of {@code channels} interleaved bytes (1 = grey, 3 = RGB in that order). Immutable.
 */
public final class Image {
  private final int width;
  private final int height;
  private final int channels;
  private final byte[] pixels;

  private Image(int width, int height, int channels, byte[] pixels) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB): " + channels);
    }
    long expected = (long) width * height * channels;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          "expected "
              + expected
              + " bytes for "
              + width
              + "x"
              + height
              + "x"
              + channels
              + ", got "
              + pixels.length);
    }
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.pixels = pixels;
  }

  /** An image over a copy of {@code pixels}. */
  public static Image of(int width, int height, int channels, byte[] pixels) {
    return new Image(width, height, channels, pixels.clone());
  }

  /**
   * An image that takes ownership of {@code pixels} without copying; the caller must not touch the
   * array afterwards. For decoders that build a fresh array per image.
   */
  public static Image wrap(int width, int height, int channels, byte[] pixels) {
    return new Image(width, height, channels, pixels);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int channels() {
    return channels;
  }

  /** The value 0..255 of channel {@code c} at column {@code x}, row {@code y}. */
  public int get(int x, int y, int c) {
    return pixels[(y * width + x) * channels + c] & 0xff;
  }

  /** A read-only view of the interleaved pixels, for bulk copies into tensors. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
  }

  /** A copy of the interleaved pixels. */
  public byte[] toByteArray() {
    return pixels.clone();
  }

  /** This image in grey (ITU-R BT.601 luma); itself when it is grey already. */
  public Image toGray() {
    if (channels == 1) {
      return this;
    }
    byte[] grey = new byte[width * height];
    for (int i = 0, p = 0; i < grey.length; i++, p += 3) {
      int r = pixels[p] & 0xff;
      int g = pixels[p + 1] & 0xff;
      int b = pixels[p + 2] & 0xff;
      grey[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
    }
    return new Image(width, height, 1, grey);
  }

  /**
   * This image resized to {@code newWidth} × {@code newHeight}, channels kept: bilinear, pixel
   * centres aligned (as OpenCV's INTER_LINEAR). Network inputs and detection frames are both cut to
   * size with it.
   */
  public Image resized(int newWidth, int newHeight) {
    if (newWidth <= 0 || newHeight <= 0) {
      throw new IllegalArgumentException("size must be positive: " + newWidth + "x" + newHeight);
    }
    int c = channels;
    byte[] out = new byte[newWidth * newHeight * c];
    // Two taps per output position, the second weight is the fraction towards the second tap.
    AxisTaps xs = AxisTaps.of(width, newWidth, false);
    AxisTaps ys = AxisTaps.of(height, newHeight, false);
    int o = 0;
    for (int y = 0; y < newHeight; y++) {
      int row0 = ys.index[2 * y] * width * c;
      int row1 = ys.index[2 * y + 1] * width * c;
      double wy = ys.weight[2 * y + 1];
      for (int x = 0; x < newWidth; x++) {
        int a = xs.index[2 * x] * c;
        int b = xs.index[2 * x + 1] * c;
        double wx = xs.weight[2 * x + 1];
        for (int ch = 0; ch < c; ch++) {
          double top =
              (pixels[row0 + a + ch] & 0xff) * (1 - wx) + (pixels[row0 + b + ch] & 0xff) * wx;
          double bottom =
              (pixels[row1 + a + ch] & 0xff) * (1 - wx) + (pixels[row1 + b + ch] & 0xff) * wx;
          out[o++] = (byte) Math.round(top * (1 - wy) + bottom * wy);
        }
      }
    }
    return new Image(newWidth, newHeight, c, out);
  }

  /**
   * This image resized to {@code newWidth} × {@code newHeight}, channels kept, each output pixel
   * the mean of the source area it covers (as OpenCV's INTER_AREA) along every axis that shrinks,
   * bilinear along one that grows. Unlike {@link #resized}, which reads only the two nearest source
   * pixels, it keeps thin lines — a pen stroke two pixels wide — when an image shrinks by 3×.
   */
  public Image resizedByArea(int newWidth, int newHeight) {
    if (newWidth <= 0 || newHeight <= 0) {
      throw new IllegalArgumentException("size must be positive: " + newWidth + "x" + newHeight);
    }
    AxisTaps xs = AxisTaps.of(width, newWidth, true);
    AxisTaps ys = AxisTaps.of(height, newHeight, true);
    int c = channels;
    byte[] out = new byte[newWidth * newHeight * c];
    double[] row = new double[newWidth * c];
    int o = 0;
    for (int y = 0; y < newHeight; y++) {
      Arrays.fill(row, 0);
      for (int ty = ys.start[y]; ty < ys.start[y + 1]; ty++) {
        int base = ys.index[ty] * width * c;
        double wy = ys.weight[ty];
        for (int x = 0; x < newWidth; x++) {
          for (int tx = xs.start[x]; tx < xs.start[x + 1]; tx++) {
            int p = base + xs.index[tx] * c;
            double w = wy * xs.weight[tx];
            for (int ch = 0; ch < c; ch++) {
              row[x * c + ch] += (pixels[p + ch] & 0xff) * w;
            }
          }
        }
      }
      for (double v : row) {
        out[o++] = (byte) Math.min(255, Math.round(v));
      }
    }
    return new Image(newWidth, newHeight, c, out);
  }

  /**
   * The source pixels (and their weights, summing to 1) behind each output position along one axis:
   * the covered area's pixels when the axis shrinks, the two bilinear neighbours when it grows.
   * Taps of output {@code i} are {@code start[i]} (inclusive) to {@code start[i + 1]}.
   */
  private record AxisTaps(int[] start, int[] index, double[] weight) {
    static AxisTaps of(int from, int to, boolean area) {
      int[] start = new int[to + 1];
      int[] index = new int[to * ((from + to - 1) / to + 2)];
      double[] weight = new double[index.length];
      double scale = (double) from / to;
      int n = 0;
      for (int i = 0; i < to; i++) {
        start[i] = n;
        if (area && scale > 1) {
          double lo = i * scale;
          double hi = Math.min(from, (i + 1) * scale);
          for (int s = (int) lo; s < hi; s++) {
            double overlap = Math.min(hi, s + 1) - Math.max(lo, s);
            if (overlap > 1e-12) {
              index[n] = s;
              weight[n++] = overlap / scale;
            }
          }
        } else {
          double f = Math.max(0, (i + 0.5) * scale - 0.5);
          int s0 = Math.min((int) f, from - 1);
          int s1 = Math.min(s0 + 1, from - 1);
          index[n] = s0;
          weight[n++] = 1 - (f - s0);
          index[n] = s1;
          weight[n++] = f - s0;
        }
      }
      start[to] = n;
      return new AxisTaps(start, index, weight);
    }
  }

  /** The part of this image inside {@code box}, clipped to the image. */
  public Image crop(FaceBox box) {
    int x0 = Math.max(0, box.x());
    int y0 = Math.max(0, box.y());
    int x1 = Math.min(width, box.x() + box.width());
    int y1 = Math.min(height, box.y() + box.height());
    if (x1 <= x0 || y1 <= y0) {
      throw new IllegalArgumentException(
          "box " + box + " lies outside a " + width + "x" + height + " image");
    }
    int w = x1 - x0;
    byte[] out = new byte[w * (y1 - y0) * channels];
    for (int y = y0; y < y1; y++) {
      System.arraycopy(
          pixels, (y * width + x0) * channels, out, (y - y0) * w * channels, w * channels);
    }
    return new Image(w, y1 - y0, channels, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image other
        && width == other.width
        && height == other.height
        && channels == other.channels
        && Arrays.equals(pixels, other.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "Image[" + width + "x" + height + "x" + channels + "]";
  }
}
