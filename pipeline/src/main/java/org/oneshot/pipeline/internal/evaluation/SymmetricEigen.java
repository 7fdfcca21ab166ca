package org.oneshot.pipeline.internal.evaluation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix: Householder reduction to tridiagonal
 * form, then the implicit QL method (the {@code tred2} and {@code tql2} routines of EISPACK, as in
 * JAMA's public-domain {@code EigenvalueDecomposition}). About 4n³ multiply-adds against cyclic
 * Jacobi's 6n³ a sweep for several sweeps; {@link #largest} finds a few leading pairs by Lanczos
 * iteration instead, a tenth of the time for 100 of a thousand. The pipeline carries no
 * linear-algebra library; these matrices are its only need.
 */
final class SymmetricEigen {
  /** Eigenvalues, largest first. */
  final double[] values;

  /** {@code vectors[i]} is the unit eigenvector of {@code values[i]}. */
  final double[][] vectors;

  private SymmetricEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Decomposes {@code matrix}, which it leaves as it is.
   *
   * @throws IllegalArgumentException when the matrix is not square and symmetric
   */
  static SymmetricEigen of(double[][] matrix) {
    requireSymmetric(matrix);
    int n = matrix.length;
    // The transpose, although the matrix is symmetric to rounding, so that the reduction reads the
    // very values it always read. Its result holds the vectors as rows, as QL wants them: QL
    // rotates pairs of eigenvectors, contiguous in memory.
    double[][] v = transpose(matrix);
    double[] d = new double[n];
    double[] e = new double[n];
    if (n > 0) {
      tridiagonaliseTransposed(v, d, e);
      diagonalise(v, d, e);
    }
    Integer[] order = largestFirst(d);
    double[] values = new double[n];
    double[][] vectors = new double[n][];
    for (int k = 0; k < n; k++) {
      values[k] = d[order[k]];
      vectors[k] = v[order[k]];
    }
    return new SymmetricEigen(values, vectors);
  }

  /**
   * The {@code count} largest eigenvalues of {@code matrix} and their eigenvectors, by Lanczos
   * iteration with full reorthogonalisation: the Krylov space of a fixed pseudo-random start grows
   * by one matrix-vector product a step, and its tridiagonal projection's largest eigenpairs
   * converge to the matrix's long before the space is whole. Fisherfaces keeps 100 principal axes
   * of a Gram matrix of up to a thousand images; the whole decomposition ({@link #of}) costs that
   * matrix seconds, most of them on eigenvectors it throws away. Each pair is checked (the residual
   * of its last Lanczos step) and the whole decomposition is taken instead where one is not
   * converged, so the answer is always {@link #of}'s to rounding.
   *
   * @throws IllegalArgumentException when the matrix is not square and symmetric
   */
  static SymmetricEigen largest(double[][] matrix, int count) {
    requireSymmetric(matrix);
    SymmetricEigen found = lanczos(matrix, count);
    return found != null ? found : truncated(of(matrix), count);
  }

  /**
   * {@link #largest}'s Lanczos iteration, or null where it does not apply (a matrix too small to
   * gain from it) or one of the pairs has not converged.
   */
  static SymmetricEigen lanczos(double[][] matrix, int count) {
    double size = requireSymmetric(matrix);
    int n = matrix.length;
    // Krylov spaces of twice the pairs and more converge them on Gram matrices of face images
    // (each pair's residual below is the check); smaller matrices are cheaper whole.
    int steps = Math.min(n, 2 * count + 100);
    if (count < 1 || 2 * steps > n) {
      return null;
    }
    double[][] q = new double[steps + 1][];
    double[] alpha = new double[steps];
    double[] beta = new double[steps + 1]; // beta[j]: between basis vectors j - 1 and j
    Random random = new Random(0x1a2c20);
    q[0] = startingVector(random, q, 0, n);
    for (int j = 0; j < steps; j++) {
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = Vectors.dot(matrix[i], q[j]);
      }
      alpha[j] = Vectors.dot(q[j], w);
      // Orthogonal to every basis vector so far, twice: once leaves rounding that grows back.
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i <= j; i++) {
          Vectors.subtract(w, Vectors.dot(q[i], w), q[i]);
        }
      }
      double norm = Math.sqrt(Vectors.dot(w, w));
      if (norm <= 1e-12 * Math.max(size, Double.MIN_NORMAL) * n) {
        // The space found is invariant: what remains of the matrix starts afresh, uncoupled.
        beta[j + 1] = 0;
        q[j + 1] = startingVector(random, q, j + 1, n);
      } else {
        beta[j + 1] = norm;
        for (int i = 0; i < n; i++) {
          w[i] /= norm;
        }
        q[j + 1] = w;
      }
    }
    double[] d = alpha.clone();
    double[] e = new double[steps];
    System.arraycopy(beta, 1, e, 1, steps - 1); // e[i]: between i - 1 and i, as diagonalise reads
    double[][] rows = new double[steps][steps];
    for (int i = 0; i < steps; i++) {
      rows[i][i] = 1;
    }
    diagonalise(rows, d, e);
    Integer[] order = largestFirst(d);
    double[] values = new double[count];
    double[][] vectors = new double[count][];
    double tolerance = 1e-10 * Math.max(Math.abs(d[order[0]]), Double.MIN_NORMAL);
    for (int k = 0; k < count; k++) {
      double[] s = rows[order[k]];
      if (Math.abs(beta[steps] * s[steps - 1]) > tolerance) {
        return null;
      }
      values[k] = d[order[k]];
      double[] y = new double[n];
      for (int j = 0; j < steps; j++) {
        Vectors.subtract(y, -s[j], q[j]);
      }
      vectors[k] = y;
    }
    return new SymmetricEigen(values, vectors);
  }

  /**
   * The largest magnitude in {@code matrix}.
   *
   * @throws IllegalArgumentException when it is not square and symmetric
   */
  private static double requireSymmetric(double[][] matrix) {
    int n = matrix.length;
    double largest = 0;
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i);
      }
      for (double value : matrix[i]) {
        largest = Math.max(largest, Math.abs(value));
      }
    }
    // Asymmetry is judged against the matrix's largest value: sums of rounded products leave
    // differences far above a cancelled element's own size.
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        if (Math.abs(matrix[i][j] - matrix[j][i]) > 1e-9 * largest) {
          throw new IllegalArgumentException("matrix is not symmetric at " + i + "," + j);
        }
      }
    }
    return largest;
  }

  /** The indices of {@code values}, the largest value's first. */
  private static Integer[] largestFirst(double[] values) {
    return IntStream.range(0, values.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -values[i]))
        .toArray(Integer[]::new);
  }

  /** A pseudo-random unit vector orthogonal to {@code basis[0..size)}. */
  private static double[] startingVector(Random random, double[][] basis, int size, int n) {
    while (true) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = random.nextGaussian();
      }
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < size; i++) {
          Vectors.subtract(v, Vectors.dot(basis[i], v), basis[i]);
        }
      }
      double norm = Math.sqrt(Vectors.dot(v, v));
      if (norm > 1e-6) {
        for (int i = 0; i < n; i++) {
          v[i] /= norm;
        }
        return v;
      }
    }
  }

  private static SymmetricEigen truncated(SymmetricEigen all, int count) {
    int kept = Math.min(Math.max(count, 0), all.values.length);
    return new SymmetricEigen(Arrays.copyOf(all.values, kept), Arrays.copyOf(all.vectors, kept));
  }

  /**
   * Householder reduction of a symmetric matrix v to the tridiagonal matrix with diagonal {@code d}
   * and subdiagonal {@code e[1..n-1]}, given {@code t}, the transpose of v, which it overwrites
   * with the transpose of the accumulated orthogonal transformation: its vectors as rows. JAMA's
   * tred2 step for step, each v[a][b] read as t[b][a]: its inner loops walk down v's columns, and
   * t's rows hold them contiguous in memory — the same arithmetic in the same order; the whole
   * decomposition of a 934×934 matrix 0.51–0.65 s instead of 1.10–1.22, 652×652 0.14 instead of
   * 0.37 (AMD Zen 5).
   */
  private static void tridiagonaliseTransposed(double[][] t, double[] d, double[] e) {
    int n = t.length;
    for (int j = 0; j < n; j++) {
      d[j] = t[j][n - 1];
    }
    for (int i = n - 1; i > 0; i--) {
      double scale = 0;
      double h = 0;
      for (int k = 0; k < i; k++) {
        scale += Math.abs(d[k]);
      }
      if (scale == 0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = t[j][i - 1];
          t[j][i] = 0;
          t[i][j] = 0;
        }
      } else {
        for (int k = 0; k < i; k++) {
          d[k] /= scale;
          h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) {
          g = -g;
        }
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) {
          e[j] = 0;
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          t[i][j] = f;
          g = e[j] + t[j][j] * f;
          for (int k = j + 1; k <= i - 1; k++) {
            g += t[j][k] * d[k];
            e[k] += t[j][k] * f;
          }
          e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
          e[j] /= h;
          f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) {
          e[j] -= hh * d[j];
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          for (int k = j; k <= i - 1; k++) {
            t[j][k] -= f * e[k] + g * d[k];
          }
          d[j] = t[j][i - 1];
          t[j][i] = 0;
        }
      }
      d[i] = h;
    }
    for (int i = 0; i < n - 1; i++) {
      t[i][n - 1] = t[i][i];
      t[i][i] = 1;
      double h = d[i + 1];
      if (h != 0) {
        for (int k = 0; k <= i; k++) {
          d[k] = t[i + 1][k] / h;
        }
        for (int j = 0; j <= i; j++) {
          double g = 0;
          for (int k = 0; k <= i; k++) {
            g += t[i + 1][k] * t[j][k];
          }
          for (int k = 0; k <= i; k++) {
            t[j][k] -= g * d[k];
          }
        }
      }
      for (int k = 0; k <= i; k++) {
        t[i + 1][k] = 0;
      }
    }
    for (int j = 0; j < n; j++) {
      d[j] = t[j][n - 1];
      t[j][n - 1] = 0;
    }
    t[n - 1][n - 1] = 1;
    e[0] = 0;
  }

  /**
   * Implicit QL iterations on the tridiagonal matrix ({@code d}, {@code e}), leaving the
   * eigenvalues in {@code d} and applying the rotations to {@code rows}, the eigenvectors as rows.
   */
  private static void diagonalise(double[][] rows, double[] d, double[] e) {
    int n = d.length;
    for (int i = 1; i < n; i++) {
      e[i - 1] = e[i];
    }
    e[n - 1] = 0;
    double f = 0;
    double largest = 0;
    double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      largest = Math.max(largest, Math.abs(d[l]) + Math.abs(e[l]));
      int m = l;
      while (m < n && Math.abs(e[m]) > eps * largest) {
        m++;
      }
      if (m > l) {
        do {
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * e[l]);
          double r = Math.hypot(p, 1);
          if (p < 0) {
            r = -r;
          }
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) {
            d[i] -= h;
          }
          f += h;
          p = d[m];
          double c = 1;
          double c2 = c;
          double c3 = c;
          double el1 = e[l + 1];
          double s = 0;
          double s2 = 0;
          for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            double[] next = rows[i + 1];
            double[] row = rows[i];
            for (int k = 0; k < n; k++) {
              h = next[k];
              next[k] = s * row[k] + c * h;
              row[k] = c * row[k] - s * h;
            }
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * largest);
      }
      d[l] += f;
      e[l] = 0;
    }
  }

  private static double[][] transpose(double[][] a) {
    int n = a.length;
    double[][] out = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        out[c][r] = a[r][c];
      }
    }
    return out;
  }
}
