package org.oneshot.pipeline.internal.evaluation;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by cyclic Jacobi rotations: slow for
 * large matrices (each sweep costs n³ multiply-adds) but simple and accurate, and the matrices here
 * are a few hundred rows at most (the Gram matrix of the images a discriminant is fitted on, and
 * the scatter matrices in its PCA space).
 */
final class SymmetricEigen {
  private static final int MAX_SWEEPS = 60;

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
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i);
      }
      a[i] = matrix[i].clone();
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double scale = Math.max(1e-300, Math.abs(a[i][j]) + Math.abs(a[j][i]));
        if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * scale) {
          throw new IllegalArgumentException("matrix is not symmetric at " + i + "," + j);
        }
      }
    }
    // v[i] is row i of the accumulated rotation, so the eigenvectors end up as its columns.
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > 1e-22 * diagonal(a); sweep++) {
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] != 0) {
            rotate(a, v, p, q);
          }
        }
      }
    }
    Integer[] order =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -a[i][i]))
            .toArray(Integer[]::new);
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int k = 0; k < n; k++) {
      int i = order[k];
      values[k] = a[i][i];
      for (int r = 0; r < n; r++) {
        vectors[k][r] = v[r][i];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /** One rotation in the (p, q) plane that zeroes a[p][q] (Golub & Van Loan, 8.5.2). */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = a.length;
    for (int k = 0; k < n; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  private static double offDiagonal(double[][] a) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        if (i != j) {
          sum += a[i][j] * a[i][j];
        }
      }
    }
    return sum;
  }

  private static double diagonal(double[][] a) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i][i] * a[i][i];
    }
    return Math.max(1e-300, sum);
  }
}
