package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class TanTriggsTest {
  private static final int N = LocalBinaryPatterns.SIZE;

  @Test
  void blursWithAUnitGaussianMirroredAtTheBorders() {
    float[] kernel = TanTriggs.gaussian(2);
    assertEquals(17, kernel.length); // radius 4σ, as scipy's gaussian_filter
    double sum = 0;
    for (float k : kernel) {
      sum += k;
    }
    assertEquals(1, sum, 1e-6);
    assertEquals(0, TanTriggs.reflect(-1, 5));
    assertEquals(1, TanTriggs.reflect(-2, 5));
    assertEquals(4, TanTriggs.reflect(5, 5));
    assertEquals(3, TanTriggs.reflect(6, 5));
    float[] flat = new float[6 * 4];
    java.util.Arrays.fill(flat, 7);
    assertArrayEquals(flat, TanTriggs.blur(flat, 6, 4, kernel), 1e-5f);
  }

  @Test
  void leavesNothingOfAnEvenLightAndScalesTheRestToAMeanMagnitudeOfOne() throws IOException {
    float[] flat = new float[N * N];
    java.util.Arrays.fill(flat, 120);
    assertArrayEquals(new float[N * N], TanTriggs.normalise(flat, N, N), 1e-6f);
    float[] face = TanTriggs.normalise(LocalBinaryPatterns.grey(face()), N, N);
    double magnitude = 0;
    for (float v : face) {
      magnitude += Math.abs(v);
    }
    assertEquals(1, magnitude / face.length, 1e-4);
    assertThrows(IllegalArgumentException.class, () -> TanTriggs.normalise(flat, N, N - 1));
    float[] bright = flat.clone();
    bright[7] = 300;
    IllegalArgumentException level =
        assertThrows(IllegalArgumentException.class, () -> TanTriggs.normalise(bright, N, N));
    assertTrue(level.getMessage().contains("300.0 outside"), level.getMessage());
  }

  /**
   * The point of it: a light from one side, darkening the face to a quarter at its far edge, moves
   * the light-normalised patterns less than the plain ones (numpy, 30 AT&T faces under two such
   * shadings: cosine to the evenly lit face 0.989 against 0.942, closer on every face).
   */
  @Test
  void aShadowAcrossTheFaceMovesItsPatternsLessThanThePlainOnes() throws IOException {
    for (String file : new String[] {"s31/1.pgm", "s35/4.pgm", "s40/7.pgm"}) {
      Image face = new ImageDecoder().decode(TestData.path("att_faces/" + file)).resized(N, N);
      byte[] pixels = face.toByteArray();
      byte[] shaded = new byte[pixels.length];
      for (int y = 0; y < N; y++) {
        for (int x = 0; x < N; x++) {
          double light = 0.25 + 0.75 * x / (N - 1.0);
          shaded[y * N + x] = (byte) Math.round((pixels[y * N + x] & 0xff) * light);
        }
      }
      Image dark = Image.of(N, N, 1, shaded);
      FaceDescriptor patterns = FaceDescriptor.LOCAL_BINARY_PATTERNS;
      double plain = cosine(patterns.of(face, null), patterns.of(dark, null));
      FaceDescriptor kind = FaceDescriptor.LIGHT_NORMALISED_PATTERNS;
      double normalised = cosine(kind.of(face, null), kind.of(dark, null));
      assertTrue(normalised > plain + 0.01, file + ": " + normalised + " against " + plain);
    }
  }

  private static double cosine(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  private static Image face() throws IOException {
    return new ImageDecoder().decode(TestData.path("att_faces/s1/1.pgm")).resized(N, N);
  }
}
