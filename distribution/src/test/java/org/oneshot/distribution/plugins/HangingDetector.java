package org.oneshot.distribution.plugins;

import java.util.List;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;

/** A third party's detector that never answers (until interrupted). */
public final class HangingDetector implements FaceDetector {
  @Override
  public List<FaceBox> detect(Image image) {
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.of();
  }
}
