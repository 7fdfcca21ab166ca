package org.oneshot.pipeline.internal.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Which file names are taken for images. */
public final class ImageFiles {
  private static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "pgm", "ppm", "pnm", "bmp");

  private ImageFiles() {}

  public static boolean isImageName(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The name without its directory and extension. */
  public static String stem(String name) {
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    int dot = name.lastIndexOf('.');
    return name.substring(slash + 1, dot > slash ? dot : name.length());
  }

  /**
   * The image files under {@code root} (itself, if it is one), at most {@code depth} folders deep,
   * in natural order of their paths. Links are not followed into folders, so a link loop ends.
   */
  public static List<Path> under(Path root, int depth) throws IOException {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    try (Stream<Path> files = Files.walk(root, depth)) {
      return files
          .filter(p -> isImageName(p.getFileName().toString()) && Files.isRegularFile(p))
          .sorted(Comparator.comparing(Path::toString, NaturalOrder.INSTANCE))
          .toList();
    }
  }
}
