package org.oneshot.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Which file a run logs to. The logger truncates its file when it opens it, so without this every
 * start would wipe the log of the run before — the one a user looks at after something went wrong.
 * The instance that owns the bundle cache logs to {@code oneshot.log} and first moves the earlier
 * logs up ({@code oneshot.log} becomes {@code oneshot.log.1}, …, the oldest kept is {@code
 * oneshot.log.KEEP}); a second instance running beside it logs to a file of its own, {@code
 * oneshot.PID.log}, so that neither cuts the other's log short.
 */
final class LogFiles {
  static final String NAME = "oneshot.log";

  private LogFiles() {}

  /** Rotates the logs of {@code folder}, keeping {@code keep} earlier ones; the file to log to. */
  static Path rotate(Path folder, int keep) throws IOException {
    Path current = folder.resolve(NAME);
    Files.deleteIfExists(folder.resolve(NAME + "." + keep));
    for (int i = keep - 1; i >= 1; i--) {
      Path older = folder.resolve(NAME + "." + i);
      if (Files.exists(older)) {
        Files.move(older, folder.resolve(NAME + "." + (i + 1)), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    if (Files.exists(current)) {
      Files.move(current, folder.resolve(NAME + ".1"), StandardCopyOption.ATOMIC_MOVE);
    }
    return current;
  }

  /**
   * The log of an instance that runs beside the one owning {@code folder}'s {@code oneshot.log}.
   */
  static Path ofSecondInstance(Path folder) {
    return folder.resolve("oneshot." + ProcessHandle.current().pid() + ".log");
  }
}
