package org.oneshot.pipeline.internal.commands;

import java.io.PrintStream;

/** A progress line at most every two seconds, for commands that run long. */
final class Progress {
  private static final long INTERVAL_NANOS = 2_000_000_000L;
  private final PrintStream out;
  private long last = System.nanoTime();

  Progress(PrintStream out) {
    this.out = out;
  }

  void update(String line) {
    long now = System.nanoTime();
    if (now - last >= INTERVAL_NANOS) {
      last = now;
      out.println("  … " + line);
      out.flush();
    }
  }
}
