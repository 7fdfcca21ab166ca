package org.oneshot.api;

/** A file a dataset skipped, and why (e.g. "not an image", "truncated PNG"). */
public record UnreadableFile(String file, String reason) {
  @Override
  public String toString() {
    return file + ": " + reason;
  }
}
