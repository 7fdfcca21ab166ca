package org.oneshot.pipeline.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;

class ImageScalingTest {
  @Test
  void keepsTheAspectAndTheChannels() {
    Image frame = Image.wrap(640, 480, 3, new byte[640 * 480 * 3]);
    Image small = ImageScaling.toWidth(frame, 400);
    assertEquals(400, small.width());
    assertEquals(300, small.height());
    assertEquals(3, small.channels());
  }

  @Test
  void halvingAveragesNeighbouringPixels() {
    // Columns alternate 0 and 200: at half width every output pixel sits between two inputs.
    byte[] stripes = new byte[8 * 2];
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = (byte) (i % 2 == 0 ? 0 : 200);
    }
    Image half = ImageScaling.resize(Image.wrap(8, 2, 1, stripes), 4, 1);
    for (int x = 0; x < 4; x++) {
      assertEquals(100, half.get(x, 0, 0), "column " + x);
    }
  }

  @Test
  void keepsEachChannelApart() {
    byte[] rgb = new byte[4 * 4 * 3];
    for (int p = 0; p < 16; p++) {
      rgb[3 * p] = (byte) 250;
      rgb[3 * p + 1] = 10;
      rgb[3 * p + 2] = (byte) 128;
    }
    Image small = ImageScaling.toWidth(Image.wrap(4, 4, 3, rgb), 2);
    assertEquals(250, small.get(1, 1, 0));
    assertEquals(10, small.get(1, 1, 1));
    assertEquals(128, small.get(1, 1, 2));
  }

  @Test
  void refusesANonPositiveWidth() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageScaling.toWidth(Image.wrap(2, 2, 1, new byte[4]), 0));
  }
}
