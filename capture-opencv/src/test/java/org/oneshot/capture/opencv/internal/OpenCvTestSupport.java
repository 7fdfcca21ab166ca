package org.oneshot.capture.opencv.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Native library and shared data for tests that run outside OSGi. */
final class OpenCvTestSupport {
  private static boolean loaded;

  private OpenCvTestSupport() {}

  /** Loads the library unpacked by the build (the very file the bundle carries). */
  static synchronized void loadOpenCv() {
    if (!loaded) {
      System.load(Path.of(System.getProperty("oneshot.opencv.native")).toAbsolutePath().toString());
      loaded = true;
    }
  }

  static Path data(String relative) {
    Path path =
        Path.of(System.getProperty("oneshot.data", "../../shared/data"))
            .resolve(relative)
            .normalize();
    if (!Files.exists(path)) {
      String message = "shared test data not found at " + path.toAbsolutePath();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return path;
  }
}
