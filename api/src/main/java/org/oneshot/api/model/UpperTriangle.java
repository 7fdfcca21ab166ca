package org.oneshot.api.model;

/**
 * The pairs i &lt; j of n images in the order all-pairs training lists them, row by row: (0,1),
 * (0,2), …, (0,n−1), (1,2), …, (n−2,n−1). The training loop's labels and weights and a backend's
 * scores of those pairs share this order.
 */
public final class UpperTriangle {
  private UpperTriangle() {}

  /** How many pairs i &lt; j there are among {@code n} images: n(n−1)/2. */
  public static int count(int n) {
    return n * (n - 1) / 2;
  }

  /** The position of the pair (i, j), i &lt; j, among the pairs of {@code n} images. */
  public static int index(int i, int j, int n) {
    if (i < 0 || i >= j || j >= n) {
      throw new IllegalArgumentException("no pair (" + i + ", " + j + ") among " + n + " images");
    }
    return i * n - i * (i + 1) / 2 + (j - i - 1);
  }

  /** The first image of each pair, in order. */
  public static long[] rows(int n) {
    return indices(n, true);
  }

  /** The second image of each pair, in order. */
  public static long[] columns(int n) {
    return indices(n, false);
  }

  private static long[] indices(int n, boolean rows) {
    long[] indices = new long[count(n)];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        indices[k++] = rows ? i : j;
      }
    }
    return indices;
  }
}
