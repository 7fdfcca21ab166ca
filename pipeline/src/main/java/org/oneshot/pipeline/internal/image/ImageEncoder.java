package org.oneshot.pipeline.internal.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
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

  public static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", out)) {
      throw new IOException("no PNG writer available");
    }
    return out.toByteArray();
  }
}
