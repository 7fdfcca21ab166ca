package org.oneshot.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageTest {
  @Test
  void rejectsPixelArraysOfTheWrongSize() {
    assertThrows(IllegalArgumentException.class, () -> Image.of(2, 2, 3, new byte[11]));
    assertThrows(IllegalArgumentException.class, () -> Image.of(2, 2, 2, new byte[8]));
    assertThrows(IllegalArgumentException.class, () -> Image.of(0, 2, 1, new byte[0]));
  }

  @Test
  void ofCopiesSoLaterWritesDoNotLeakIn() {
    byte[] pixels = {1, 2, 3, 4};
    Image image = Image.of(2, 2, 1, pixels);
    pixels[0] = 99;
    assertEquals(1, image.get(0, 0, 0));
  }

  @Test
  void greyUsesLumaWeights() {
    Image rgb = Image.of(2, 1, 3, new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255});
    Image grey = rgb.toGray();
    assertEquals(1, grey.channels());
    assertEquals(76, grey.get(0, 0, 0)); // 0.299 × 255
    assertEquals(29, grey.get(1, 0, 0)); // 0.114 × 255
    assertSame(grey, grey.toGray());
  }

  @Test
  void cropClipsToTheImage() {
    byte[] pixels = new byte[4 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) i;
    }
    Image image = Image.of(4, 3, 1, pixels);
    Image crop = image.crop(new FaceBox(2, 1, 5, 5, 1));
    assertEquals(2, crop.width());
    assertEquals(2, crop.height());
    assertArrayEquals(new byte[] {6, 7, 10, 11}, crop.toByteArray());
    assertThrows(IllegalArgumentException.class, () -> image.crop(new FaceBox(10, 10, 2, 2, 1)));
  }

  @Test
  void faceBoxExpandsByAFractionOnEverySide() {
    FaceBox box = new FaceBox(10, 20, 100, 50, 0.9).expand(0.1);
    assertEquals(new FaceBox(0, 15, 120, 60, 0.9), box);
    assertThrows(IllegalArgumentException.class, () -> new FaceBox(0, 0, -1, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> new FaceBox(0, 0, 1, 5, Double.NaN));
  }

  @Test
  void trainingSettingsRejectNonsense() {
    TrainingSettings defaults = TrainingSettings.defaults();
    assertEquals(Optimizer.ADAM, defaults.optimizer());
    assertEquals(5, defaults.withEpochs(5).epochs());
    assertThrows(IllegalArgumentException.class, () -> defaults.withEpochs(0));
    assertThrows(IllegalArgumentException.class, () -> defaults.withValidationFraction(1.0));
    assertThrows(IllegalArgumentException.class, () -> defaults.withLearningRate(-1));
  }

  @Test
  void pairRequestsSplitTheOddPairToNegatives() {
    PairRequest request = new PairRequest(PairScheme.IDENTITY, 7, 1);
    assertEquals(3, request.positives());
    assertEquals(4, request.negatives());
  }

  @Test
  void halvingAveragesNeighbouringPixels() {
    // Columns alternate 0 and 200: at half width every output pixel sits between two inputs.
    byte[] stripes = new byte[8 * 2];
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = (byte) (i % 2 == 0 ? 0 : 200);
    }
    Image half = Image.wrap(8, 2, 1, stripes).resized(4, 1);
    for (int x = 0; x < 4; x++) {
      assertEquals(100, half.get(x, 0, 0), "column " + x);
    }
  }

  @Test
  void resizingKeepsEachChannelApart() {
    byte[] rgb = new byte[4 * 4 * 3];
    for (int p = 0; p < 16; p++) {
      rgb[3 * p] = (byte) 250;
      rgb[3 * p + 1] = 10;
      rgb[3 * p + 2] = (byte) 128;
    }
    Image small = Image.wrap(4, 4, 3, rgb).resized(2, 3);
    assertEquals(2, small.width());
    assertEquals(3, small.height());
    assertEquals(250, small.get(1, 1, 0));
    assertEquals(10, small.get(1, 1, 1));
    assertEquals(128, small.get(1, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> small.resized(0, 2));
  }

  @Test
  void areaShrinkAveragesWholeBlocks() {
    // 4x2 → 2x1: each output pixel is the mean of a 2×2 block.
    Image image = Image.wrap(4, 2, 1, new byte[] {0, 100, 40, 40, 20, 80, 40, 40});
    Image shrunk = image.resizedByArea(2, 1);
    assertEquals(50, shrunk.get(0, 0, 0));
    assertEquals(40, shrunk.get(1, 0, 0));
  }

  @Test
  void areaShrinkKeepsAThinStrokeThatBilinearLoses() {
    // Omniglot's case: 105 px wide to 32, a stroke two pixels wide. Bilinear reads columns about
    // 3.3 px apart and can miss it; the area mean always keeps its ink (2/3.3 of full strength).
    int width = 105;
    int lost = 0;
    for (int column = 0; column < width - 1; column++) {
      byte[] pixels = new byte[width * 4];
      for (int y = 0; y < 4; y++) {
        pixels[y * width + column] = (byte) 255;
        pixels[y * width + column + 1] = (byte) 255;
      }
      Image stroke = Image.wrap(width, 4, 1, pixels);
      lost += maxOfRow(stroke.resized(32, 1)) < 100 ? 1 : 0;
      assertTrue(
          maxOfRow(stroke.resizedByArea(32, 1)) >= 77, "area lost the stroke at column " + column);
    }
    assertTrue(lost > 20, "bilinear should miss many stroke positions, missed " + lost);
  }

  @Test
  void areaShrinkKeepsTheMeanBrightness() {
    java.util.Random random = new java.util.Random(7);
    byte[] rgb = new byte[92 * 112 * 3];
    random.nextBytes(rgb);
    Image image = Image.wrap(92, 112, 3, rgb);
    Image shrunk = image.resizedByArea(64, 64);
    for (int c = 0; c < 3; c++) {
      assertEquals(mean(image, c), mean(shrunk, c), 0.6, "channel " + c);
    }
  }

  @Test
  void areaResizeIsBilinearWhereItGrowsAndIdentityAtTheSameSize() {
    java.util.Random random = new java.util.Random(3);
    byte[] grey = new byte[10 * 7];
    random.nextBytes(grey);
    Image image = Image.wrap(10, 7, 1, grey);
    assertArrayEquals(
        image.resized(23, 15).toByteArray(), image.resizedByArea(23, 15).toByteArray());
    assertArrayEquals(grey, image.resizedByArea(10, 7).toByteArray());
    assertThrows(IllegalArgumentException.class, () -> image.resizedByArea(3, 0));
  }

  private static int maxOfRow(Image row) {
    int max = 0;
    for (int x = 0; x < row.width(); x++) {
      max = Math.max(max, row.get(x, 0, 0));
    }
    return max;
  }

  private static double mean(Image image, int channel) {
    double sum = 0;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        sum += image.get(x, y, channel);
      }
    }
    return sum / (image.width() * image.height());
  }
}
