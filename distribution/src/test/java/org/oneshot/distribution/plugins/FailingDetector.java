package org.oneshot.distribution.plugins;

import java.util.List;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;

/** A third party's detector with a bug: it throws on every call. */
public final class FailingDetector implements FaceDetector {
  @Override
  public List<FaceBox> detect(Image image) {
    throw new IllegalStateException("broken on purpose");
  }
}
