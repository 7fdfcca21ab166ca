package org.oneshot.pipeline.internal.verification;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.oneshot.api.Image;

/**
 * A process that replaces one person's gallery images over and over — each version three 96×96
 * crops filled with its number — until it is killed: the victim of {@link GalleryCrashTest}.
 */
public final class ReplacingForever {
  static final String PERSON = "victim";
  static final int IMAGES = 3;
  static final int SIZE = 96;

  public static void main(String[] args) throws Exception {
    Gallery gallery = new Gallery(Path.of(args[0]));
    for (int version = 1; ; version++) {
      List<Image> crops = new ArrayList<>();
      for (int i = 0; i < IMAGES; i++) {
        crops.add(crop(version));
      }
      gallery.replace(PERSON, crops);
      System.out.println("replaced " + version);
    }
  }

  static Image crop(int version) {
    byte[] pixels = new byte[SIZE * SIZE];
    Arrays.fill(pixels, (byte) (version % 250));
    return Image.of(SIZE, SIZE, 1, pixels);
  }
}
