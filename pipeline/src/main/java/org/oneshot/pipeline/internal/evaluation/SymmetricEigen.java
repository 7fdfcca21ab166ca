package org.oneshot.pipeline.internal.evaluation;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix: Householder reduction to tridiagonal
 * form, then the implicit QL method (the {@code tred2} and {@code tql2} routines of EISPACK, as in
 * JAMA's public-domain {@code EigenvalueDecomposition}). About 4n³ multiply-adds against cyclic
 * Jacobi's 6n³ a sweep for several sweeps: the Gram matrix of a thousand images takes seconds, not
 * a minute. The pipeline carries no linear-algebra library; these matrices are its only need.
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
    int n = matrix.length;
    double[][] v = new double[n][];
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i);
      }
      v[i] = matrix[i].clone();
    }
    // Asymmetry is judged against the matrix's largest value: sums of rounded products leave
    // differences far above a cancelled element's own size.
    double largest = 0;
    for (double[] row : v) {
      for (double value : row) {
        largest = Math.max(largest, Math.abs(value));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        if (Math.abs(v[i][j] - v[j][i]) > 1e-9 * largest) {
          throw new IllegalArgumentException("matrix is not symmetric at " + i + "," + j);
        }
      }
    }
    double[] d = new double[n];
    double[] e = new double[n];
    if (n > 0) {
      tridiagonalise(v, d, e);
      // QL rotates pairs of eigenvector columns: hold them as rows, contiguous in memory.
      double[][] rows = transpose(v);
      diagonalise(rows, d, e);
      v = rows;
    }
    Integer[] order =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -d[i]))
            .toArray(Integer[]::new);
    double[] values = new double[n];
    double[][] vectors = new double[n][];
    for (int k = 0; k < n; k++) {
      values[k] = d[order[k]];
      vectors[k] = v[order[k]];
    }
    return new SymmetricEigen(values, vectors);
  }

  /**
   * Householder reduction of the symmetric {@code v} (overwritten with the accumulated orthogonal
   * transformation, vectors as columns) to the tridiagonal matrix with diagonal {@code d} and
   * subdiagonal {@code e[1..n-1]}.
   */
  private static void tridiagonalise(double[][] v, double[] d, double[] e) {
    int n = v.length;
    System.arraycopy(v[n - 1], 0, d, 0, n);
    for (int i = n - 1; i > 0; i--) {
      double scale = 0;
      double h = 0;
      for (int k = 0; k < i; k++) {
        scale += Math.abs(d[k]);
      }
      if (scale == 0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = v[i - 1][j];
          v[i][j] = 0;
          v[j][i] = 0;
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
          v[j][i] = f;
          g = e[j] + v[j][j] * f;
          for (int k = j + 1; k <= i - 1; k++) {
            g += v[k][j] * d[k];
            e[k] += v[k][j] * f;
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
            v[k][j] -= f * e[k] + g * d[k];
          }
          d[j] = v[i - 1][j];
          v[i][j] = 0;
        }
      }
      d[i] = h;
    }
    for (int i = 0; i < n - 1; i++) {
      v[n - 1][i] = v[i][i];
      v[i][i] = 1;
      double h = d[i + 1];
      if (h != 0) {
        for (int k = 0; k <= i; k++) {
          d[k] = v[k][i + 1] / h;
        }
        for (int j = 0; j <= i; j++) {
          double g = 0;
          for (int k = 0; k <= i; k++) {
            g += v[k][i + 1] * v[k][j];
          }
          for (int k = 0; k <= i; k++) {
            v[k][j] -= g * d[k];
          }
        }
      }
      for (int k = 0; k <= i; k++) {
        v[k][i + 1] = 0;
      }
    }
    for (int j = 0; j < n; j++) {
      d[j] = v[n - 1][j];
      v[n - 1][j] = 0;
    }
    v[n - 1][n - 1] = 1;
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
