package org.oneshot.distribution.plugins;

import java.util.List;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;

/** A third party's detector: one "face", the middle half of every image. */
public final class CentreDetector implements FaceDetector {
  @Override
  public List<FaceBox> detect(Image image) {
    return List.of(
        new FaceBox(
            image.width() / 4, image.height() / 4, image.width() / 2, image.height() / 2, 1));
  }
}
