package org.oneshot.detector.haar.internal;

import java.io.IOException;
import org.oneshot.api.FaceDetector;
import org.opencv.core.Core;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Viola–Jones with OpenCV's haarcascade_frontalface_default: the seed's detector, the default. */
@Component(
    service = FaceDetector.class,
    property = {FaceDetector.NAME + "=haar", "service.ranking:Integer=10"},
    configurationPid = "org.oneshot.detector.haar")
@Designate(ocd = HaarFaceDetector.Config.class)
public final class HaarFaceDetector extends CascadeFaceDetector {
  static final String CASCADE = "haarcascade_frontalface_default.xml";

  @ObjectClassDefinition(
      name = "oneshot Haar face detector",
      description = "OpenCV's frontal-face Haar cascade (detector.name=haar).")
  public @interface Config {
    @AttributeDefinition(
        min = "1.01",
        description = "Image pyramid step; smaller finds more faces, slower")
    double scaleFactor() default 1.1;

    @AttributeDefinition(min = "0", description = "Overlapping detections needed to keep a face")
    int minNeighbors() default 5;

    @AttributeDefinition(min = "1", description = "Smallest face side in pixels")
    int minSize() default 30;
  }

  /**
   * @param opencv present only while capture-opencv has loaded OpenCV's native library; taking it
   *     here keeps this detector from running without it
   */
  @Activate
  public HaarFaceDetector(BundleContext context, Config config, @Reference Core opencv)
      throws IOException {
    super(
        context,
        CASCADE,
        new CascadeDetector.Parameters(
            config.scaleFactor(), config.minNeighbors(), config.minSize()));
  }

  @Deactivate
  void deactivate() {
    close();
  }
}
