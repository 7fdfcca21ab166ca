package org.oneshot.api;

/**
 * Where a detector found a face: the box in pixel coordinates of the image it looked at, and how
 * sure it is ({@code confidence}, detector-specific scale, higher is surer).
 */
public record FaceBox(int x, int y, int width, int height, double confidence) {
  public FaceBox {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("face box size must be positive: " + width + "x" + height);
    }
    if (Double.isNaN(confidence)) {
      throw new IllegalArgumentException("face box confidence is NaN");
    }
  }

  public long area() {
    return (long) width * height;
  }

  /** This box grown by {@code fraction} of its size on every side (a margin around the face). */
  public FaceBox expand(double fraction) {
    int dx = (int) Math.round(width * fraction);
    int dy = (int) Math.round(height * fraction);
    return new FaceBox(x - dx, y - dy, width + 2 * dx, height + 2 * dy, confidence);
  }
}
