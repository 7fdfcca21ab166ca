package org.oneshot.pipeline.internal.dataset;

/** Which of the workspace's two crops of each face to read. */
public enum WorkspaceVariant {
  /** The colour crops, {@code *_real}. */
  REAL("_real"),
  /** The grey crops, {@code *_grayed}. */
  GRAYED("_grayed");

  private final String suffix;

  WorkspaceVariant(String suffix) {
    this.suffix = suffix;
  }

  public String suffix() {
    return suffix;
  }

  public WorkspaceVariant other() {
    return this == REAL ? GRAYED : REAL;
  }
}
