package org.oneshot.detector.haar.internal;

import java.io.IOException;
import java.util.List;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.osgi.framework.BundleContext;

/** What the Haar and LBP detectors share: a cascade file shipped in the bundle and its pool. */
abstract class CascadeFaceDetector implements FaceDetector {
  private final CascadeDetector cascade;

  CascadeFaceDetector(
      BundleContext context, String cascadeName, CascadeDetector.Parameters parameters)
      throws IOException {
    this.cascade =
        new CascadeDetector(
            CascadeDetector.extract(
                getClass(), "/cascades/" + cascadeName, context.getDataFile(cascadeName).toPath()),
            parameters,
            Runtime.getRuntime().availableProcessors());
  }

  @Override
  public List<FaceBox> detect(Image image) {
    return cascade.detect(image);
  }

  void close() {
    cascade.close();
  }
}
