package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class GaborMagnitudesTest {
  private static final int N = GaborMagnitudes.SIZE;

  @Test
  void fastTransformEqualsTheDefinition() {
    Random random = new Random(3);
    double[] re = new double[N];
    double[] im = new double[N];
    for (int i = 0; i < N; i++) {
      re[i] = random.nextGaussian();
      im[i] = random.nextGaussian();
    }
    double[] fastRe = re.clone();
    double[] fastIm = im.clone();
    GaborMagnitudes.fft(fastRe, fastIm, false);
    for (int k : new int[] {0, 1, 7, 32, 63}) {
      double sr = 0;
      double si = 0;
      for (int n = 0; n < N; n++) {
        double a = -2 * Math.PI * k * n / N;
        sr += re[n] * Math.cos(a) - im[n] * Math.sin(a);
        si += re[n] * Math.sin(a) + im[n] * Math.cos(a);
      }
      assertEquals(sr, fastRe[k], 1e-9);
      assertEquals(si, fastIm[k], 1e-9);
    }
    GaborMagnitudes.fft(fastRe, fastIm, true);
    assertEquals(re[5] * N, fastRe[5], 1e-9);
  }

  /**
   * The transforms, the folding of frequencies and the small inverse transform give what the
   * definition does: the magnitude of the circular convolution of the resized face with the filter,
   * read at every 8th pixel.
   */
  @Test
  void eachValueIsTheMagnitudeOfTheFaceFilteredThere() throws IOException {
    float[] grey = LocalBinaryPatterns.grey(face("s31/1.pgm"));
    int size = LocalBinaryPatterns.SIZE;
    float[] descriptor = GaborMagnitudes.of(grey, size);
    assertEquals(GaborMagnitudes.LENGTH, descriptor.length);
    double[] face = GaborMagnitudes.resized(grey, size);
    int samples = GaborMagnitudes.SAMPLES;
    int[][] probes = {{0, 0, 0, 0}, {1, 3, 2, 5}, {4, 7, 7, 1}, {2, 4, 3, 3}};
    for (int[] p : probes) {
      int scale = p[0];
      int orientation = p[1];
      int y = p[2] * GaborMagnitudes.STEP;
      int x = p[3] * GaborMagnitudes.STEP;
      double re = 0;
      double im = 0;
      for (int qy = 0; qy < N; qy++) {
        for (int qx = 0; qx < N; qx++) {
          int dy = Math.floorMod(y - qy + N / 2, N) - N / 2;
          int dx = Math.floorMod(x - qx + N / 2, N) - N / 2;
          double[] g = GaborMagnitudes.kernel(scale, orientation, dx, dy);
          re += face[qy * N + qx] * g[0];
          im += face[qy * N + qx] * g[1];
        }
      }
      int at =
          ((scale * GaborMagnitudes.ORIENTATIONS + orientation) * samples + p[2]) * samples + p[3];
      assertEquals(Math.hypot(re, im), descriptor[at], 1e-5 * Math.hypot(re, im) + 1e-7);
    }
  }

  @Test
  void resizesWithPixelCentresAlignedAndRefusesAWrongSize() {
    float[] ramp = new float[96 * 96];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i % 96;
    }
    double[] small = GaborMagnitudes.resized(ramp, 96);
    assertEquals(0.25 / 255, small[0], 1e-12); // column 0 centre at 0.25 in the source
    assertEquals((1.5 * 10 + 0.25) / 255, small[10], 1e-12);
    assertEquals(94.75 / 255, small[63], 1e-12);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GaborMagnitudes.of(ramp, 95));
    assertTrue(e.getMessage().contains("95×95"), e.getMessage());
  }

  private static Image face(String file) throws IOException {
    return new ImageDecoder().decode(TestData.path("att_faces/" + file));
  }
}
