package org.oneshot.pipeline.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.TestData;

class ImageDecoderTest {
  private final ImageDecoder decoder = new ImageDecoder();

  @Test
  void readsAttPgmAsGrey() throws IOException {
    Image image = decoder.decode(TestData.path("att_faces/s1/1.pgm"));
    assertEquals(92, image.width());
    assertEquals(112, image.height());
    assertEquals(1, image.channels());
    // A photo, not a blank: many distinct grey levels.
    assertTrue(distinctValues(image) > 100, "expected a real photo");
  }

  @Test
  void pgmPixelsMatchTheFileBody() throws IOException {
    // A binary PGM is a text header then raw bytes: the decoded pixels must be exactly those bytes.
    byte[] file = Files.readAllBytes(TestData.path("att_faces/s1/1.pgm"));
    byte[] body = Arrays.copyOfRange(file, file.length - 92 * 112, file.length);
    assertArrayEquals(body, decoder.decode(TestData.path("att_faces/s1/1.pgm")).toByteArray());
  }

  @Test
  void readsLfwJpegAsRgb() throws IOException {
    Image image = decoder.decode(TestData.path("lfw/images/AJ_Cook/AJ_Cook_0001.jpg"));
    assertEquals(250, image.width());
    assertEquals(250, image.height());
    assertEquals(3, image.channels());
  }

  @Test
  void readsOneBitPngAsBlackAndWhiteGrey() throws IOException {
    BufferedImage binary = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_BINARY);
    binary.setRGB(1, 0, 0xffffff);
    Image image = decoder.decode(png(binary), "binary.png");
    assertEquals(1, image.channels());
    assertEquals(255, image.get(1, 0, 0));
    assertEquals(0, image.get(0, 0, 0));
  }

  @Test
  void readsSixteenBitGreyWithoutGammaShift() throws IOException {
    BufferedImage deep = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    deep.getRaster().setSample(0, 0, 0, 0x8000);
    deep.getRaster().setSample(1, 0, 0, 0xffff);
    Image image = decoder.decode(png(deep), "deep.png");
    assertEquals(1, image.channels());
    assertEquals(128, image.get(0, 0, 0));
    assertEquals(255, image.get(1, 0, 0));
  }

  @Test
  void rejectsEmptyTextAndTruncatedFilesNamingThem() throws IOException {
    UnreadableImageException empty =
        assertThrows(UnreadableImageException.class, () -> decoder.decode(new byte[0], "a.jpg"));
    assertEquals("a.jpg: empty file", empty.getMessage());

    UnreadableImageException text =
        assertThrows(
            UnreadableImageException.class,
            () -> decoder.decode("hello".getBytes(StandardCharsets.US_ASCII), "b.jpg"));
    assertTrue(text.getMessage().startsWith("b.jpg: not a"), text.getMessage());

    byte[] jpeg = Files.readAllBytes(TestData.path("lfw/images/AJ_Cook/AJ_Cook_0001.jpg"));
    UnreadableImageException truncated =
        assertThrows(
            UnreadableImageException.class,
            () -> decoder.decode(Arrays.copyOf(jpeg, 300), "c.jpg"));
    assertTrue(truncated.getMessage().startsWith("c.jpg: "), truncated.getMessage());
    // Cut in the middle of the scan: the JDK alone would decode it, greying the missing rows.
    UnreadableImageException half =
        assertThrows(
            UnreadableImageException.class,
            () -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2), "d.jpg"));
    assertEquals("d.jpg: truncated JPEG (no end-of-image marker)", half.getMessage());
  }

  @Test
  void refusesImagesOverThePixelBudgetBeforeDecoding() throws IOException {
    byte[] big = png(new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY));
    ImageDecoder small = new ImageDecoder(10_000);
    UnreadableImageException e =
        assertThrows(UnreadableImageException.class, () -> small.decode(big, "big.png"));
    assertTrue(e.getMessage().contains("200x100 exceeds the 10000-pixel limit"), e.getMessage());
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, "png", out));
    return out.toByteArray();
  }

  private static long distinctValues(Image image) {
    byte[] pixels = image.toByteArray();
    boolean[] seen = new boolean[256];
    long count = 0;
    for (byte p : pixels) {
      if (!seen[p & 0xff]) {
        seen[p & 0xff] = true;
        count++;
      }
    }
    return count;
  }
}
