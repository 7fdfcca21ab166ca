package org.oneshot.api;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where frames go: a video file writer, registered as a service with the {@value #TYPE} property,
 * e.g. for {@code face:live --out ANNOTATED.avi}.
 */
@ConsumerType
public interface FrameSink {
  /** Service property naming the kind of sink, e.g. {@code video}. */
  String TYPE = "sink.type";

  /**
   * Starts a new file of frames of one size; the file is created owner-only.
   *
   * @throws IOException naming the file and the reason when it cannot be written
   */
  FrameWriter open(Path file, double framesPerSecond, int width, int height) throws IOException;
}
