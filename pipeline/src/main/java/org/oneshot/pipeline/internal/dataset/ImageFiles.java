package org.oneshot.pipeline.internal.dataset;

import java.util.Locale;
import java.util.Set;

/** Which file names are taken for images. */
final class ImageFiles {
  private static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "pgm", "ppm", "pnm", "bmp");

  private ImageFiles() {}

  static boolean isImageName(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The name without its directory and extension. */
  static String stem(String name) {
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    int dot = name.lastIndexOf('.');
    return name.substring(slash + 1, dot > slash ? dot : name.length());
  }
}
