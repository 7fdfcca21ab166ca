package org.oneshot.pipeline.internal.image;

import com.twelvemonkeys.imageio.plugins.pnm.PNMImageReaderSpi;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.oneshot.api.Image;

/**
 * Decodes JPEG, PNG, BMP (the JDK's ImageIO) and PGM/PPM (TwelveMonkeys' PNM reader) into {@link
 * Image}s: grey stays grey, everything else becomes RGB. Refuses images over a pixel budget before
 * decoding them, so a small file that declares a huge size cannot exhaust memory.
 */
public final class ImageDecoder {
  /** The default pixel budget: 40 megapixels, well above any camera frame or dataset image. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  private static final int JPEG_TRAILER_ALLOWANCE = 4096;

  private static final PNMImageReaderSpi PNM = new PNMImageReaderSpi();

  private final long maxPixels;

  public ImageDecoder() {
    this(DEFAULT_MAX_PIXELS);
  }

  public ImageDecoder(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  /** Decodes the file at {@code path}. */
  public Image decode(Path path) throws IOException {
    return decode(Files.readAllBytes(path), path.toString());
  }

  /**
   * Decodes {@code bytes}; {@code name} only appears in error messages.
   *
   * @throws IOException with a message that names the file and the reason
   */
  public Image decode(byte[] bytes, String name) throws IOException {
    if (bytes.length == 0) {
      throw new UnreadableImageException(name, "empty file");
    }
    if (isJpeg(bytes) && !endsWithJpegEnd(bytes)) {
      // The JDK's JPEG reader decodes a cut-off file without complaint, greying the missing rows.
      throw new UnreadableImageException(name, "truncated JPEG (no end-of-image marker)");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in, bytes);
      if (reader == null) {
        throw new UnreadableImageException(name, "not a JPEG, PNG, BMP or PGM image");
      }
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          throw new UnreadableImageException(
              name,
              String.format(
                  Locale.ROOT,
                  "%dx%d exceeds the %d-pixel limit",
                  reader.getWidth(0),
                  reader.getHeight(0),
                  maxPixels));
        }
        return toImage(reader.read(0));
      } finally {
        reader.dispose();
      }
    } catch (UnreadableImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO reports truncated or corrupt data with assorted exceptions, some unchecked.
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new UnreadableImageException(name, "corrupt or truncated image (" + reason + ")");
    }
  }

  private static boolean isJpeg(byte[] bytes) {
    return bytes.length > 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
  }

  /** Whether an end-of-image marker lies near the end (cameras may pad a little after it). */
  private static boolean endsWithJpegEnd(byte[] bytes) {
    int from = Math.max(1, bytes.length - JPEG_TRAILER_ALLOWANCE);
    for (int i = bytes.length - 1; i >= from; i--) {
      if ((bytes[i] & 0xff) == 0xd9 && (bytes[i - 1] & 0xff) == 0xff) {
        return true;
      }
    }
    return false;
  }

  /** Decodes everything {@code in} yields. */
  public Image decode(InputStream in, String name) throws IOException {
    return decode(in.readAllBytes(), name);
  }

  private static ImageReader readerFor(ImageInputStream in, byte[] bytes) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (readers.hasNext()) {
      return readers.next();
    }
    // The PNM reader is embedded in this bundle, not registered with ImageIO: ask it directly.
    if (bytes.length > 1 && bytes[0] == 'P' && PNM.canDecodeInput(in)) {
      return PNM.createReaderInstance();
    }
    return null;
  }

  /** A decoded or drawn image as an {@link Image}: grey stays grey, anything else becomes RGB. */
  public static Image toImage(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    if (isGrey(image)) {
      return Image.wrap(w, h, 1, greyPixels(image));
    }
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferByte buffer
        && buffer.getData().length == w * h * 3) {
      // Java2D canvases (live video, bench frames): swap bytes instead of a per-pixel getRGB.
      byte[] bgr = buffer.getData();
      byte[] rgb = new byte[bgr.length];
      for (int i = 0; i < bgr.length; i += 3) {
        rgb[i] = bgr[i + 2];
        rgb[i + 1] = bgr[i + 1];
        rgb[i + 2] = bgr[i];
      }
      return Image.wrap(w, h, 3, rgb);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0, p = 0; i < argb.length; i++) {
      rgb[p++] = (byte) (argb[i] >> 16);
      rgb[p++] = (byte) (argb[i] >> 8);
      rgb[p++] = (byte) argb[i];
    }
    return Image.wrap(w, h, 3, rgb);
  }

  private static boolean isGrey(BufferedImage image) {
    if (image.getColorModel() instanceof IndexColorModel palette) {
      for (int i = 0; i < palette.getMapSize(); i++) {
        if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
          return false;
        }
      }
      return true;
    }
    return image.getColorModel().getNumColorComponents() == 1;
  }

  private static byte[] greyPixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] grey = new byte[w * h];
    Raster raster = image.getRaster();
    int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    if (image.getColorModel() instanceof IndexColorModel palette) {
      for (int i = 0; i < samples.length; i++) {
        grey[i] = (byte) palette.getRed(samples[i]);
      }
    } else {
      // Scale whatever bit depth (1, 8, 16) to 0..255 without ImageIO's colour-space gamma.
      int bits = raster.getSampleModel().getSampleSize(0);
      long max = (1L << bits) - 1;
      for (int i = 0; i < samples.length; i++) {
        grey[i] = (byte) ((samples[i] * 255L + max / 2) / max);
      }
    }
    return grey;
  }
}
