package org.oneshot.pipeline.internal.dataset;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
   * in natural order of their paths. Links are followed, as the identity trees of {@code --data}
   * follow them (a dataset's folders are often links to another disk), but a link back to a folder
   * above it is skipped, so a link loop ends.
   */
  public static List<Path> under(Path root, int depth) throws IOException {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    List<Path> images = new ArrayList<>();
    Files.walkFileTree(
        root,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        depth,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile() && isImageName(file.getFileName().toString())) {
              images.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof FileSystemLoopException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    images.sort(Comparator.comparing(Path::toString, NaturalOrder.INSTANCE));
    return images;
  }
}
