package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;
import org.oneshot.api.model.Architecture;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class FaceViewsTest {
  /**
   * A 130×130 crop, the detector's box of 100 and a margin of 15 on each side: the middle is the
   * box alone, none of the frame around it, in grey at the patterns' size.
   */
  @Test
  void theMiddleIsTheBoxInsideTheCropsMargin() {
    int size = 130;
    byte[] pixels = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean frame = x < 15 || y < 15 || x >= size - 15 || y >= size - 15;
        int at = (y * size + x) * 3;
        pixels[at] = (byte) (frame ? 255 : 40);
        pixels[at + 1] = (byte) (frame ? 255 : x < size / 2 ? 40 : 120); // right half lighter
        pixels[at + 2] = (byte) (frame ? 255 : 40);
      }
    }
    FaceViews face = new FaceViews(Image.of(size, size, 3, pixels));
    float[] middle = face.grey(FaceViews.Region.MIDDLE);
    int side = LocalBinaryPatterns.SIZE;
    assertEquals(side * side, middle.length);
    float darkest = Float.MAX_VALUE;
    float lightest = 0;
    for (float v : middle) {
      darkest = Math.min(darkest, v);
      lightest = Math.max(lightest, v);
    }
    // Grey of (40, 40, 40) and of (40, 120, 40); no frame's 255 anywhere.
    assertEquals(40, darkest, 0);
    assertEquals(87, lightest, 0);
    assertEquals(40, middle[side / 2 * side], 0); // left edge, middle row
    assertEquals(87, middle[side / 2 * side + side - 1], 0);
    assertNotEquals(middle[0], face.grey()[0]); // the whole view keeps the frame
  }

  /** Every region of the tiniest faces keeps a pixel: their descriptors exist, nothing throws. */
  @Test
  void everyRegionOfATinyFaceKeepsAPixel() {
    for (int size = 1; size <= 4; size++) {
      byte[] pixels = new byte[size * size];
      Arrays.fill(pixels, (byte) 77);
      FaceViews face = new FaceViews(Image.of(size, size, 1, pixels));
      for (FaceViews view : List.of(face, face.seen(new ViewChange(1.07, 0.1)))) {
        for (FaceViews.Region region : FaceViews.Region.values()) {
          float[] grey = view.grey(region);
          assertEquals(LocalBinaryPatterns.SIZE * LocalBinaryPatterns.SIZE, grey.length);
          assertEquals(77, grey[grey.length / 2], 0, size + " pixels, " + region);
        }
      }
      for (FaceDescriptor kind : FaceDescriptor.values()) {
        float[] described = ViewsDescribed.TURNED_TOO.of(kind, face, PixelNetwork.ARCH);
        assertEquals(kind.length(PixelNetwork.ARCH), described.length, kind.name());
      }
    }
  }

  /**
   * A changed view is made once and changes the network's input too; unchanged, it is the face's
   * own.
   */
  @Test
  void aChangedViewIsMadeOnceAndChangesTheNetworksInput() throws IOException {
    Image image = new ImageDecoder().decode(TestData.path("att_faces/s5/2.pgm"));
    FaceViews face = new FaceViews(image);
    ViewChange turn = new ViewChange(1, 0.1);
    assertSame(face.seen(turn), face.seen(new ViewChange(1, 0.1)));
    Architecture arch = PixelNetwork.ARCH;
    float[] input = face.networkInput(arch);
    assertArrayEquals(input, face.seen(new ViewChange(1, 0)).networkInput(arch), 0);
    assertArrayEquals(face.grey(), face.seen(new ViewChange(1, 0)).grey(), 1);
    float[] turned = face.seen(turn).networkInput(arch);
    assertEquals(input.length, turned.length);
    assertFalse(Arrays.equals(input, turned));
    assertThrows(IllegalStateException.class, () -> face.seen(turn).seen(turn));
    // Each descriptor of a view is made once: a fit asks again for the mean it projects.
    for (FaceDescriptor kind : FaceDescriptor.values()) {
      assertSame(kind.of(face, arch), kind.of(face, arch), kind.name());
      assertSame(kind.ofMirrored(face, arch), kind.ofMirrored(face, arch), kind.name());
    }
  }
}
