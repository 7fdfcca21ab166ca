package org.oneshot.api;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/** An open file of frames; {@link #close()} finishes it. Not thread-safe. */
@ConsumerType
public interface FrameWriter extends AutoCloseable {
  /**
   * Appends a frame; one of another size is scaled to the file's.
   *
   * @throws IOException when the frame cannot be written
   */
  void write(Image frame) throws IOException;

  @Override
  void close() throws IOException;
}
