package org.oneshot.api;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/** Loads the pixels of a {@link Sample}; thread-safe. */
@ConsumerType
@FunctionalInterface
public interface ImageLoader {
  /**
   * @throws IOException naming the sample's location and the reason it could not be read
   */
  Image load(Sample sample) throws IOException;
}
