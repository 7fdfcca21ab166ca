package org.oneshot.pipeline.internal.commands;

import java.util.List;
import org.oneshot.api.UnreadableFile;

/** How commands list the files they skipped: one line each, file then reason, the first few. */
final class Unreadable {
  static final int SHOWN = 20;

  private Unreadable() {}

  /** Appends {@code unreadable}, each on its own indented line, to {@code out}. */
  static StringBuilder append(StringBuilder out, List<UnreadableFile> unreadable) {
    unreadable.stream()
        .limit(SHOWN)
        .forEach(u -> out.append(System.lineSeparator()).append("    ").append(u));
    if (unreadable.size() > SHOWN) {
      out.append(System.lineSeparator())
          .append("    … and ")
          .append(unreadable.size() - SHOWN)
          .append(" more");
    }
    return out;
  }
}
