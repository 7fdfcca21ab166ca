package org.oneshot.pipeline.internal.plugins;

import java.util.List;
import java.util.Map;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Every face detector present, ours or a third party's, chosen by {@code detector.name} or by
 * ranking. A detector that throws fails that call with an error naming it; the others go on.
 */
@Component(service = FaceDetectors.class)
public final class FaceDetectors {
  private final PluginSet<FaceDetector> detectors =
      new PluginSet<>("face detector", FaceDetector.NAME);

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addDetector(FaceDetector detector, Map<String, Object> properties) {
    detectors.add(detector, properties);
  }

  void removeDetector(FaceDetector detector) {
    detectors.remove(detector);
  }

  /** The detector named {@code name}, or the preferred one when {@code name} is empty. */
  public Plugin<FaceDetector> select(String name) {
    return detectors.select(name);
  }

  /**
   * Runs {@code detector} on {@code image}; what {@code image} is called goes into any error.
   *
   * @throws PluginFailureException when the plugin throws
   */
  public static List<FaceBox> detect(Plugin<FaceDetector> detector, Image image, String what) {
    try {
      return List.copyOf(detector.service().detect(image));
    } catch (RuntimeException | LinkageError e) {
      throw new PluginFailureException(
          "face detector '" + detector.name() + "' failed on " + what + ": " + e, e);
    }
  }
}
