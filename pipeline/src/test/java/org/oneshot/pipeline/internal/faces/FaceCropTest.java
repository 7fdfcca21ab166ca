package org.oneshot.pipeline.internal.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;

class FaceCropTest {
  private final Image photo = gradient(200, 100);

  @Test
  void cropsTheLargestFaceWithItsMarginInColourAndGrey() {
    List<FaceBox> faces = List.of(new FaceBox(10, 10, 20, 20, 9), new FaceBox(100, 20, 40, 40, 1));
    FaceCrop crop = FaceCrop.largest(photo, faces, 0.25).orElseThrow();
    assertEquals(new FaceBox(90, 10, 60, 60, 1), crop.box());
    assertEquals(60, crop.real().width());
    assertEquals(3, crop.real().channels());
    assertEquals(1, crop.grayed().channels());
    assertEquals(crop.real().toGray(), crop.grayed());
    assertEquals(photo.get(90, 10, 0), crop.real().get(0, 0, 0));
  }

  @Test
  void aMarginPastTheEdgeIsClipped() {
    FaceCrop crop =
        FaceCrop.largest(photo, List.of(new FaceBox(0, 0, 40, 40, 1)), 0.5).orElseThrow();
    assertEquals(60, crop.real().width());
    assertEquals(60, crop.real().height());
  }

  @Test
  void noFaceNoCrop() {
    assertTrue(FaceCrop.largest(photo, List.of(), 0.1).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> FaceCrop.largest(photo, List.of(), -0.1));
  }

  private static Image gradient(int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = (y * w + x) * 3;
        rgb[p] = (byte) x;
        rgb[p + 1] = (byte) y;
        rgb[p + 2] = (byte) (x + y);
      }
    }
    return Image.of(w, h, 3, rgb);
  }
}
