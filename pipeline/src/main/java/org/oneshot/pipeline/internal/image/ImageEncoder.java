package org.oneshot.pipeline.internal.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.oneshot.api.Image;

/** Turns {@link Image}s into Java2D images (for drawing) and PNG bytes (lossless, for crops). */
public final class ImageEncoder {
  private ImageEncoder() {}

  public static BufferedImage toBufferedImage(Image image) {
    if (image.channels() == 1) {
      BufferedImage grey =
          new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
      image.buffer().get(((DataBufferByte) grey.getRaster().getDataBuffer()).getData());
      return grey;
    }
    BufferedImage bgr =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] out = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    byte[] rgb = image.toByteArray();
    for (int i = 0; i < rgb.length; i += 3) {
      out[i] = rgb[i + 2];
      out[i + 1] = rgb[i + 1];
      out[i + 2] = rgb[i];
    }
    return bgr;
  }

  public static byte[] png(Image image) throws IOException {
    return png(toBufferedImage(image));
  }

  /**
   * PNG bytes, encoded in memory only: {@code ImageIO.write} to a stream would go through a temp
   * file in {@code java.io.tmpdir} (ImageIO's disk cache), which a killed process leaves behind — a
   * face crop outside the workspace.
   */
  public static byte[] png(BufferedImage image) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new IOException("no PNG writer available");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(image);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
