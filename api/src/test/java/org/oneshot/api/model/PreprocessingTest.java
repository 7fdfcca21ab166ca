package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;

class PreprocessingTest {
  @Test
  void resizesToTheInputInGreyScaledToOne() {
    byte[] rgb = new byte[4 * 4 * 3];
    java.util.Arrays.fill(rgb, (byte) 255);
    float[] input = Preprocessor.toInput(Image.of(4, 4, 3, rgb), Presets.SMALL);
    assertEquals(64 * 64, input.length);
    for (float v : input) {
      assertEquals(1f, v, 1e-6);
    }
  }

  @Test
  void sameSizeResizeIsTheIdentity() {
    byte[] grey = new byte[64 * 64];
    new Random(1).nextBytes(grey);
    assertArrayEquals(grey, Preprocessor.resize(Image.of(64, 64, 1, grey), Presets.SMALL));
  }

  @Test
  void anAreaArchitectureShrinksByAreaAndABilinearOneBilinearly() {
    byte[] grey = new byte[105 * 105];
    new Random(2).nextBytes(grey);
    Image image = Image.of(105, 105, 1, grey);
    // The 32×32 tower of the Omniglot experiments (README, Results).
    Architecture area =
        Presets.SMALL.with(
            java.util.Map.of(
                "input", "32",
                "conv1.kernel", "5",
                "conv2.kernel", "3",
                "conv4.kernel", "2",
                "resize", "area"));
    Architecture bilinear = area.with(java.util.Map.of("resize", "bilinear"));
    assertArrayEquals(image.resizedByArea(32, 32).toByteArray(), Preprocessor.resize(image, area));
    assertArrayEquals(image.resized(32, 32).toByteArray(), Preprocessor.resize(image, bilinear));
    assertEquals("grey, area to 32x32, /255, CHW", Preprocessor.describe(area));
    assertEquals("grey, bilinear to 64x64, /255, CHW", Preprocessor.describe(Presets.SMALL));
    assertNotEquals(
        java.util.Arrays.toString(Preprocessor.resize(image, area)),
        java.util.Arrays.toString(Preprocessor.resize(image, bilinear)));
  }

  @Test
  void distortionsAreSeededAndKeepTheImageInRange() {
    float[] image = new float[64 * 64];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        image[y * 64 + x] = (x + y) / 126f;
      }
    }
    float[] a = image.clone();
    float[] b = image.clone();
    Augmenter.distort(a, 0, 1, 64, 64, new Random(5));
    Augmenter.distort(b, 0, 1, 64, 64, new Random(5));
    assertArrayEquals(a, b);
    boolean changed = false;
    for (int seed = 0; seed < 10 && !changed; seed++) {
      float[] c = image.clone();
      Augmenter.distort(c, 0, 1, 64, 64, new Random(seed));
      changed = !java.util.Arrays.equals(c, image);
      for (float v : c) {
        assertEquals(0.5, v, 0.5 + 1e-6);
      }
    }
    assertNotEquals(false, changed);
  }
}
