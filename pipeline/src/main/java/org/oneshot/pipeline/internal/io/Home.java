package org.oneshot.pipeline.internal.io;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** Where the application keeps its state: {@code <oneshot.home>/var}, or the bundle's data area. */
public final class Home {
  private Home() {}

  public static Path var(BundleContext context) {
    String home = context.getProperty("oneshot.home");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath().normalize().resolve("var");
    }
    return context.getDataFile("").toPath().resolve("var");
  }
}
