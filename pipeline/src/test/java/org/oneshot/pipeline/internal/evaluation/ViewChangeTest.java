package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.image.ImageDecoder;

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

  /**
   * A region's view sampled at once is the region cut from the changed image and resized: the same,
   * but for a grey level's rounding where the two bilinear steps round in between.
   */
  @Test
  void aRegionsViewIsTheChangedImageCutAndResized() throws IOException {
    Image grey = new ImageDecoder().decode(TestData.path("att_faces/s3/4.pgm")).resized(200, 240);
    FaceBox centre = new FaceBox(50, 60, 100, 120, 1);
    int size = LocalBinaryPatterns.SIZE;
    float[] unchanged = new ViewChange(1, 0).greyView(grey, centre, size);
    double same = meanDifference(LocalBinaryPatterns.grey(grey.crop(centre)), unchanged);
    ViewChange change = new ViewChange(1.07, 0.1);
    float[] view = change.greyView(grey, centre, size);
    float[] twoSteps = LocalBinaryPatterns.grey(change.applyTo(grey).crop(centre));
    double difference = meanDifference(twoSteps, view);
    double shown = meanDifference(unchanged, view);
    assertTrue(same < 0.001, "no change, the mean difference " + same);
    assertTrue(difference < 0.4, "changed, the mean difference " + difference);
    assertTrue(shown > 20 * difference, "the change shows " + shown);
  }

  private static double meanDifference(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }

  @Test
  void rejectsZoomsThatShowNothing() {
    assertThrows(IllegalArgumentException.class, () -> new ViewChange(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ViewChange(1, Double.NaN));
  }
}
