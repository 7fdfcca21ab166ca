package org.oneshot.api;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of frame source (a camera, a video file, a folder of images), registered as a service with
 * the {@value #TYPE} property. Callers pick one by type and open it on a location.
 */
@ConsumerType
public interface FrameSource {
  /**
   * Service property naming the kind of source, e.g. {@code camera}, {@code video}, {@code folder}.
   */
  String TYPE = "source.type";

  /**
   * Opens a stream on {@code location} (a device index for a camera, a path for a file or folder).
   *
   * @throws IOException when the location cannot be opened; the message names it and says why
   */
  FrameStream open(String location) throws IOException;
}
