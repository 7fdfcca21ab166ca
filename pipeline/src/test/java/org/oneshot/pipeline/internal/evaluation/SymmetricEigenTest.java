package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void findsOrthonormalEigenvectorsLargestValueFirst() {
    Random random = new Random(7);
    int n = 40;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        a[i][j] = a[j][i] = random.nextGaussian();
      }
    }
    checkDecomposition(a);
  }

  @Test
  void decomposesAGramMatrixOfLowRank() {
    // As Fisherfaces meets it: 60 centred images of 8 values — rank 8, mostly zero eigenvalues.
    Random random = new Random(11);
    double[][] x = new double[60][8];
    for (double[] row : x) {
      for (int k = 0; k < row.length; k++) {
        row[k] = random.nextGaussian() * (k + 1);
      }
    }
    for (int k = 0; k < 8; k++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[k] / x.length;
      }
      for (double[] row : x) {
        row[k] -= mean;
      }
    }
    double[][] gram = new double[60][60];
    for (int i = 0; i < 60; i++) {
      for (int j = 0; j < 60; j++) {
        for (int k = 0; k < 8; k++) {
          gram[i][j] += x[i][k] * x[j][k];
        }
      }
    }
    SymmetricEigen e = checkDecomposition(gram);
    assertTrue(e.values[7] > 1, "eighth value " + e.values[7]);
    assertEquals(0, e.values[8], 1e-9 * e.values[0]);
  }

  @Test
  void keepsRepeatedValuesAndDiagonalMatrices() {
    SymmetricEigen e = checkDecomposition(new double[][] {{2, 0, 0}, {0, 5, 0}, {0, 0, 2}});
    assertEquals(5, e.values[0], 1e-12);
    assertEquals(2, e.values[1], 1e-12);
    assertEquals(2, e.values[2], 1e-12);
    assertEquals(0, SymmetricEigen.of(new double[][] {{0, 0}, {0, 0}}).values[0], 0);
    assertEquals(4, SymmetricEigen.of(new double[][] {{4}}).values[0], 0);
  }

  private static SymmetricEigen checkDecomposition(double[][] a) {
    int n = a.length;
    double size = 0;
    for (double[] row : a) {
      for (double value : row) {
        size = Math.max(size, Math.abs(value));
      }
    }
    double tolerance = 1e-9 * Math.max(1, size);
    SymmetricEigen e = SymmetricEigen.of(a);
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        assertTrue(e.values[k] <= e.values[k - 1], "order at " + k);
      }
      for (int r = 0; r < n; r++) {
        double av = 0;
        for (int c = 0; c < n; c++) {
          av += a[r][c] * e.vectors[k][c];
        }
        assertEquals(e.values[k] * e.vectors[k][r], av, tolerance, "A v = λ v, vector " + k);
      }
      for (int l = 0; l <= k; l++) {
        double dot = 0;
        for (int r = 0; r < n; r++) {
          dot += e.vectors[k][r] * e.vectors[l][r];
        }
        assertEquals(k == l ? 1 : 0, dot, 1e-9, "vectors " + k + " and " + l);
      }
    }
    return e;
  }

  @Test
  void lanczosFindsTheLargestPairsOfAGramMatrixAsTheWholeDecompositionDoes() {
    // As Fisherfaces meets it: a Gram matrix of 400 centred images whose variance falls off
    // direction by direction, of which it wants the leading axes.
    double[][] gram = centredGram(new Random(3), 400, 300, 1);
    SymmetricEigen whole = SymmetricEigen.of(gram);
    SymmetricEigen top = SymmetricEigen.lanczos(gram, 40);
    assertNotNull(top, "Lanczos converged");
    assertEquals(40, top.values.length);
    assertSamePairs(whole, top, 40, 40);
  }

  /**
   * {@code top}'s first {@code values} values are {@code whole}'s, and its first {@code vectors}
   * vectors too, up to sign.
   */
  private static void assertSamePairs(
      SymmetricEigen whole, SymmetricEigen top, int values, int vectors) {
    for (int k = 0; k < values; k++) {
      assertEquals(whole.values[k], top.values[k], 1e-9 * whole.values[0], "value " + k);
    }
    for (int k = 0; k < vectors; k++) {
      double overlap = 0;
      for (int i = 0; i < whole.vectors[k].length; i++) {
        overlap += whole.vectors[k][i] * top.vectors[k][i];
      }
      assertEquals(1, Math.abs(overlap), 1e-9, "vector " + k);
    }
  }

  @Test
  void lanczosRestartsWhereTheMatrixHasFewerDirectionsThanAsked() {
    // Rank 6, 20 pairs asked: the Krylov space closes after 6 steps and starts again in the
    // null space, whose values are zero.
    double[][] gram = centredGram(new Random(5), 400, 6, 1);
    SymmetricEigen whole = SymmetricEigen.of(gram);
    SymmetricEigen top = SymmetricEigen.lanczos(gram, 20);
    assertNotNull(top, "Lanczos converged");
    assertSamePairs(whole, top, 20, 6);
  }

  @Test
  void largestFallsBackToTheWholeDecompositionWhereLanczosHasNotConverged() {
    // Values all alike (noise): 140 Lanczos steps do not separate the leading 20 from the rest.
    double[][] noise = centredGram(new Random(9), 400, 400, 0);
    assertNull(SymmetricEigen.lanczos(noise, 20));
    SymmetricEigen whole = SymmetricEigen.of(noise);
    SymmetricEigen top = SymmetricEigen.largest(noise, 20);
    for (int k = 0; k < 20; k++) {
      assertEquals(whole.values[k], top.values[k], 1e-12 * whole.values[0], "value " + k);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> SymmetricEigen.largest(new double[][] {{1, 2}, {0, 1}}, 1));
  }

  /**
   * The Gram matrix of {@code n} centred random images of {@code d} values, value k scaled by (k +
   * 1)^−{@code falloff}.
   */
  private static double[][] centredGram(Random random, int n, int d, double falloff) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int k = 0; k < d; k++) {
        row[k] = random.nextGaussian() * Math.pow(k + 1, -falloff);
      }
    }
    for (int k = 0; k < d; k++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[k] / n;
      }
      for (double[] row : x) {
        row[k] -= mean;
      }
    }
    double[][] gram = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        gram[i][j] = gram[j][i] = Vectors.dot(x[i], x[j]);
      }
    }
    return gram;
  }

  @Test
  void knowsTheValuesOfASmallMatrix() {
    // [[2, 1], [1, 2]]: 3 along (1, 1), 1 along (1, −1).
    SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
    assertEquals(3, e.values[0], 1e-12);
    assertEquals(1, e.values[1], 1e-12);
    assertEquals(Math.abs(e.vectors[0][0]), Math.abs(e.vectors[0][1]), 1e-12);
    assertEquals(-e.vectors[1][0], e.vectors[1][1], 1e-12);
  }

  @Test
  void refusesMatricesThatAreNotSymmetric() {
    assertThrows(
        IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}}));
    assertThrows(
        IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {2}}));
  }
}
