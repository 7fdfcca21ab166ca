package org.oneshot.distribution.plugins;

import java.util.List;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;

/** A third party's detector that answers nonsense: boxes of negative size, then no list at all. */
public final class NonsenseDetector implements FaceDetector {
  private int calls;

  @Override
  public synchronized List<FaceBox> detect(Image image) {
    if (calls++ % 2 == 0) {
      return List.of(new FaceBox(-10, -10, -5, -5, Double.NaN));
    }
    return null;
  }
}
