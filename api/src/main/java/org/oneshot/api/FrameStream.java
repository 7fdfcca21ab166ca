package org.oneshot.api;

import java.io.IOException;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/** An open stream of frames. Not thread-safe; close it to release the device or file. */
@ConsumerType
public interface FrameStream extends AutoCloseable {
  /** The id that every frame of this stream carries, e.g. {@code camera:0} or the file path. */
  String sourceId();

  /** The next frame, or empty at the end of a file or folder. */
  Optional<Frame> next() throws IOException;

  @Override
  void close() throws IOException;
}
