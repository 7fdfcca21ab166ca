package org.oneshot.api.model;

import java.util.Random;

/**
 * Koch et al.'s affine distortions: rotation ±10°, shear ±0.3, scale 0.8–1.2 (per axis) and
 * translation ±2 px, each applied with probability 0.5, about the image centre, with bilinear
 * sampling and the border value beyond the edge.
 */
public final class Augmenter {
  private Augmenter() {}

  /** Distorts the CHW image at {@code offset} of {@code data} in place. */
  public static void distort(
      float[] data, int offset, int channels, int height, int width, Random random) {
    double rotation = random.nextBoolean() ? Math.toRadians(uniform(random, -10, 10)) : 0;
    double shear = random.nextBoolean() ? uniform(random, -0.3, 0.3) : 0;
    double scaleX = random.nextBoolean() ? uniform(random, 0.8, 1.2) : 1;
    double scaleY = random.nextBoolean() ? uniform(random, 0.8, 1.2) : 1;
    double shiftX = random.nextBoolean() ? uniform(random, -2, 2) : 0;
    double shiftY = random.nextBoolean() ? uniform(random, -2, 2) : 0;
    if (rotation == 0 && shear == 0 && scaleX == 1 && scaleY == 1 && shiftX == 0 && shiftY == 0) {
      return;
    }
    // Forward map A = R · Sh · S; sample the source at A⁻¹ (p − c − t) + c.
    double cos = Math.cos(rotation);
    double sin = Math.sin(rotation);
    double a = cos * scaleX;
    double b = (cos * shear - sin) * scaleY;
    double c = sin * scaleX;
    double d = (sin * shear + cos) * scaleY;
    double det = a * d - b * c;
    double ia = d / det;
    double ib = -b / det;
    double ic = -c / det;
    double id = a / det;
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    float[] source = new float[channels * height * width];
    System.arraycopy(data, offset, source, 0, source.length);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double px = x - cx - shiftX;
        double py = y - cy - shiftY;
        double sx = ia * px + ib * py + cx;
        double sy = ic * px + id * py + cy;
        for (int ch = 0; ch < channels; ch++) {
          data[offset + (ch * height + y) * width + x] = sample(source, ch, height, width, sx, sy);
        }
      }
    }
  }

  private static float sample(float[] src, int ch, int h, int w, double x, double y) {
    double cx = Math.min(Math.max(x, 0), w - 1);
    double cy = Math.min(Math.max(y, 0), h - 1);
    int x0 = (int) cx;
    int y0 = (int) cy;
    int x1 = Math.min(x0 + 1, w - 1);
    int y1 = Math.min(y0 + 1, h - 1);
    double fx = cx - x0;
    double fy = cy - y0;
    int base = ch * h * w;
    double top = src[base + y0 * w + x0] * (1 - fx) + src[base + y0 * w + x1] * fx;
    double bottom = src[base + y1 * w + x0] * (1 - fx) + src[base + y1 * w + x1] * fx;
    return (float) (top * (1 - fy) + bottom * fy);
  }

  private static double uniform(Random random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
