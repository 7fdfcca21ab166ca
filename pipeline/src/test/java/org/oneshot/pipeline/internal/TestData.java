package org.oneshot.pipeline.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared data folder ({@code ../shared/data} beside the checkout). Missing data fails the test
 * in CI ({@code CI=true}) and skips it elsewhere.
 */
public final class TestData {
  private TestData() {}

  public static Path root() {
    String configured = System.getProperty("oneshot.data");
    Path root = configured != null ? Path.of(configured) : Path.of("../../shared/data");
    return require(root.toAbsolutePath().normalize());
  }

  public static Path path(String relative) {
    return require(root().resolve(relative));
  }

  private static Path require(Path path) {
    if (!Files.exists(path)) {
      String message =
          "shared test data not found at "
              + path
              + " (expected ../shared/data beside the repository; set -Doneshot.data=DIR)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return path;
  }
}
