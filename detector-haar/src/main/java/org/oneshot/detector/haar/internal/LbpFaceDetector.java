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

/**
 * OpenCV's improved LBP frontal-face cascade: faster than Haar, a little less thorough. The
 * reference second detector, chosen with {@code --detector lbp}.
 */
@Component(
    service = FaceDetector.class,
    property = {FaceDetector.NAME + "=lbp", "service.ranking:Integer=0"},
    configurationPid = "org.oneshot.detector.lbp")
@Designate(ocd = LbpFaceDetector.Config.class)
public final class LbpFaceDetector extends CascadeFaceDetector {
  static final String CASCADE = "lbpcascade_frontalface_improved.xml";

  @ObjectClassDefinition(
      name = "oneshot LBP face detector",
      description = "OpenCV's improved frontal-face LBP cascade (detector.name=lbp).")
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
  public LbpFaceDetector(BundleContext context, Config config, @Reference Core opencv)
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
