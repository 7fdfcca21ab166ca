package org.oneshot.capture.opencv.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.oneshot.api.Frame;
import org.oneshot.api.FrameSource;
import org.oneshot.api.FrameStream;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The images of a folder (JPEG, PNG, PGM, BMP), in file-name order, as frames. */
@Component(property = {FrameSource.TYPE + "=folder"})
public final class FolderSource implements FrameSource {
  private static final Logger LOG = LoggerFactory.getLogger(FolderSource.class);
  private static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "pgm", "ppm", "pnm", "bmp");

  /** Present only while OpenCV's native library is loaded. */
  @Reference private Core opencv;

  @Override
  public FrameStream open(String location) throws IOException {
    Path dir = Path.of(location);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(location, null, "no such image folder");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        if (Files.isRegularFile(p) && isImageName(p.getFileName().toString())) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    String id = "folder:" + location;
    Iterator<Path> next = files.iterator();
    return new FrameStream() {
      private long index;

      @Override
      public String sourceId() {
        return id;
      }

      @Override
      public Optional<Frame> next() {
        while (next.hasNext()) {
          Path file = next.next();
          Mat mat = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_COLOR);
          try {
            if (mat.empty()) {
              // One bad file does not end the folder; it is named in the log.
              LOG.warn("{}: not a readable image, skipped", file);
              continue;
            }
            return Optional.of(new Frame(Mats.toImage(mat), index++, 0, id));
          } finally {
            mat.release();
          }
        }
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }

  private static boolean isImageName(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
