package org.oneshot.api;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Finds faces in an image. Registered as a service with the {@value #NAME} property; callers choose
 * by that name or take the highest {@code service.ranking}. Implementations must be thread-safe.
 */
@ConsumerType
public interface FaceDetector {
  /** Service property naming the detector, e.g. {@code haar}. */
  String NAME = "detector.name";

  /** The faces in {@code image}, in no particular order; empty when there is none. */
  List<FaceBox> detect(Image image);
}
