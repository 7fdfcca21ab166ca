package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;

class ViewChangeTest {
  /** A 3-channel image whose channels say where a pixel is: x, y, and a constant. */
  private static Image coordinates(int width, int height) {
    byte[] pixels = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int at = (y * width + x) * 3;
        pixels[at] = (byte) (10 * x);
        pixels[at + 1] = (byte) (10 * y);
        pixels[at + 2] = (byte) 77;
      }
    }
    return Image.of(width, height, 3, pixels);
  }

  @Test
  void noChangeKeepsEveryPixel() {
    Image image = coordinates(9, 7);
    assertArrayEquals(image.toByteArray(), new ViewChange(1, 0).applyTo(image).toByteArray());
  }

  /** A quarter turn about the centre of a square: each pixel comes from its place turned. */
  @Test
  void aTurnSamplesTheImageTurnedAboutItsCentre() {
    Image image = coordinates(9, 9);
    Image turned = new ViewChange(1, Math.PI / 2).applyTo(image);
    assertEquals(9, turned.width());
    assertEquals(3, turned.channels());
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 9; x++) {
        // (x, y) reads (4 - (y - 4), 4 + (x - 4)) = (8 - y, x).
        assertEquals(10 * (8 - y), turned.get(x, y, 0), "x of " + x + "," + y);
        assertEquals(10 * x, turned.get(x, y, 1), "y of " + x + "," + y);
        assertEquals(77, turned.get(x, y, 2));
      }
    }
  }

  /**
   * Zoomed out by 2, the view shows twice the image around its centre: the middle pixel stays, the
   * corners read places outside the image and take its nearest edge, not black.
   */
  @Test
  void aZoomShowsMoreAroundTheCentreWithTheEdgesRepeated() {
    Image image = coordinates(9, 9);
    Image zoomed = new ViewChange(2, 0).applyTo(image);
    assertEquals(40, zoomed.get(4, 4, 0));
    assertEquals(40, zoomed.get(4, 4, 1));
    assertEquals(60, zoomed.get(5, 4, 0)); // one pixel right of the centre reads two
    assertEquals(0, zoomed.get(0, 0, 0));
    assertEquals(80, zoomed.get(8, 8, 1));
    assertEquals(77, zoomed.get(0, 8, 2));
    Image larger = new ViewChange(0.5, 0).applyTo(image);
    assertEquals(45, larger.get(5, 4, 0)); // half-way between 4 and 5
  }

  @Test
  void rejectsZoomsThatShowNothing() {
    assertThrows(IllegalArgumentException.class, () -> new ViewChange(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ViewChange(1, Double.NaN));
  }
}
