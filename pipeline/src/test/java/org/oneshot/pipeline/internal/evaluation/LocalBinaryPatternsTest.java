package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class LocalBinaryPatternsTest {
  private static final int N = LocalBinaryPatterns.SIZE;

  private static final FaceDescriptor PATTERNS = FaceDescriptor.LOCAL_BINARY_PATTERNS;

  @Test
  void keepsABinForEachOfThe58UniformCodesAndOneForTheRest() {
    assertEquals(0, LocalBinaryPatterns.transitions(0));
    assertEquals(0, LocalBinaryPatterns.transitions(0xff));
    assertEquals(2, LocalBinaryPatterns.transitions(0b0000_1111));
    assertEquals(2, LocalBinaryPatterns.transitions(0b1000_0001)); // around the circle
    assertEquals(8, LocalBinaryPatterns.transitions(0b0101_0101));
    long uniform =
        IntStream.range(0, 256).filter(c -> LocalBinaryPatterns.transitions(c) <= 2).count();
    assertEquals(58, uniform);
    assertEquals(59, LocalBinaryPatterns.BINS);
  }

  @Test
  void setsABitForEachNeighbourAtLeastAsBrightAsTheCentre() {
    float[] flat = new float[N * N];
    assertEquals(0xff, LocalBinaryPatterns.code(flat, 5, 5));
    flat[5 * N + 5] = 10; // a bright dot: every neighbour darker
    assertEquals(0, LocalBinaryPatterns.code(flat, 5, 5));
    float[] ramp = new float[N * N];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i % N; // brighter to the right
    }
    // Right (bit 0), up-right (1) and down-right (7) are brighter; up (2) and down (6) as bright.
    assertEquals(0b1100_0111, LocalBinaryPatterns.code(ramp, 5, 5));
    // Mirrored, the ramp darkens to the right: left (4), up-left (3) and down-left (5) brighter.
    assertEquals(0b0111_1100, LocalBinaryPatterns.mirrored(0b1100_0111));
    float[] mirroredRamp = Vectors.flippedRows(ramp, N);
    assertEquals(0b0111_1100, LocalBinaryPatterns.code(mirroredRamp, 5, 5));
    for (int c = 0; c < 256; c++) {
      assertEquals(c, LocalBinaryPatterns.mirrored(LocalBinaryPatterns.mirrored(c)));
    }
  }

  @Test
  void describesEachCellAsAUnitHistogramUnmovedByTheLightsLevel() throws IOException {
    Image face = squareFace();
    float[] d = PATTERNS.of(face, null);
    assertEquals(LocalBinaryPatterns.LENGTH, d.length);
    for (int cell = 0; cell < LocalBinaryPatterns.GRID * LocalBinaryPatterns.GRID; cell++) {
      double squares = 0;
      for (int b = 0; b < LocalBinaryPatterns.BINS; b++) {
        squares += d[cell * LocalBinaryPatterns.BINS + b] * d[cell * LocalBinaryPatterns.BINS + b];
      }
      assertEquals(1, squares, 1e-5, "cell " + cell);
    }
    byte[] brighter = face.toByteArray();
    for (int i = 0; i < brighter.length; i++) {
      brighter[i] = (byte) ((brighter[i] & 0xff) + 40);
    }
    assertArrayEquals(d, PATTERNS.of(Image.of(N, N, 1, brighter), null), 0);
  }

  @Test
  void describesTheMirrorImageAsTheFlippedFaceBothPlainAndLightNormalised() throws IOException {
    Image face = squareFace();
    byte[] pixels = face.toByteArray();
    byte[] flipped = new byte[pixels.length];
    for (int y = 0; y < N; y++) {
      for (int x = 0; x < N; x++) {
        flipped[y * N + x] = pixels[y * N + N - 1 - x];
      }
    }
    for (FaceDescriptor kind : List.of(PATTERNS, FaceDescriptor.LIGHT_NORMALISED_PATTERNS)) {
      float[] mirrored = kind.ofMirrored(new FaceViews(face), null);
      assertArrayEquals(kind.of(Image.of(N, N, 1, flipped), null), mirrored, 0f, kind.name());
      assertFalse(java.util.Arrays.equals(kind.of(face, null), mirrored), kind.name());
    }
  }

  @Test
  void countsEachPixelsPatternAsTheOnePixelCodeDoes() throws IOException {
    float[] grey = new FaceViews(squareFace()).grey();
    for (float[] face : List.of(grey, TanTriggs.normalise(grey, N, N))) {
      int[] codes = LocalBinaryPatterns.codes(face);
      for (int y = 1, i = 0; y < N - 1; y++) {
        for (int x = 1; x < N - 1; x++) {
          assertEquals(LocalBinaryPatterns.code(face, x, y), codes[i++], x + "," + y);
        }
      }
    }
  }

  @Test
  void facesShrinkOnceForBothPatterns() throws IOException {
    Image large = new ImageDecoder().decode(TestData.path("att_faces/s2/3.pgm")).resized(250, 300);
    FaceViews face = new FaceViews(large);
    float[] grey = LocalBinaryPatterns.grey(large);
    assertArrayEquals(grey, face.grey(), 0);
    assertTrue(face.grey() == face.grey(), "made once");
    FaceViews.Region whole = FaceViews.Region.WHOLE;
    assertTrue(face.patterns(whole, false) == face.patterns(whole, false), "counted once");
    assertArrayEquals(LocalBinaryPatterns.codes(grey), face.patterns(whole, false));
    // The mirror image's histograms count the same codes (the test above).
  }

  /** An AT&T face at the descriptor's size, no brighter than 215 so that 40 more still fits. */
  private static Image squareFace() throws IOException {
    Image face = new ImageDecoder().decode(TestData.path("att_faces/s1/1.pgm")).resized(N, N);
    byte[] pixels = face.toByteArray();
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) Math.min(pixels[i] & 0xff, 215);
    }
    return Image.of(N, N, 1, pixels);
  }
}
