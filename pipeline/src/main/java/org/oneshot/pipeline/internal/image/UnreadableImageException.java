package org.oneshot.pipeline.internal.image;

import java.io.IOException;

/** A file that is not a decodable image; the message is "FILE: REASON". */
public final class UnreadableImageException extends IOException {
  private final String file;
  private final String reason;

  public UnreadableImageException(String file, String reason) {
    super(file + ": " + reason);
    this.file = file;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  public String reason() {
    return reason;
  }
}
