package org.oneshot.pipeline.internal.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Every face detector present, ours or a third party's, chosen by {@code detector.name} or by
 * ranking. Detectors are called through a guard: one that throws, answers nonsense (a null list, a
 * box of negative size or NaN confidence) or does not answer in time fails that call with an error
 * naming it; the others, and the pipeline, go on.
 */
@Component(service = FaceDetectors.class, configurationPid = "org.oneshot.plugins")
@Designate(ocd = PluginCallConfig.class)
public final class FaceDetectors {
  private final PluginSet<FaceDetector> detectors =
      new PluginSet<>("face detector", FaceDetector.NAME);
  // Calls run on these threads so that a hung plugin costs its caller the timeout, not forever.
  private final TimedCalls calls = new TimedCalls("oneshot-detector-call");
  private volatile long timeoutMillis = 10_000;

  @Activate
  @Modified
  void configure(PluginCallConfig config) {
    if (config.detector_timeout_ms() <= 0) {
      throw new IllegalArgumentException(
          "detector.timeout.ms must be positive: " + config.detector_timeout_ms());
    }
    timeoutMillis = config.detector_timeout_ms();
  }

  @Deactivate
  void deactivate() {
    calls.close();
  }

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

  /** The detector named {@code name}, or the preferred one when {@code name} is empty, guarded. */
  public Plugin<FaceDetector> select(String name) {
    Plugin<FaceDetector> chosen = detectors.select(name);
    return new Plugin<>(
        chosen.name(), chosen.ranking(), chosen.serviceId(), new TimedDetector(chosen.service()));
  }

  /**
   * Runs {@code detector} on {@code image}; what {@code image} is called goes into any error.
   *
   * @throws PluginFailureException when the plugin throws, answers nonsense or times out
   */
  public static List<FaceBox> detect(Plugin<FaceDetector> detector, Image image, String what) {
    try {
      List<FaceBox> boxes = detector.service().detect(image);
      if (boxes == null) {
        throw new IllegalStateException("answered null instead of a list of faces");
      }
      return List.copyOf(boxes);
    } catch (RuntimeException | LinkageError e) {
      throw PluginFailureException.of("face detector", detector.name(), "on " + what, e);
    }
  }

  /**
   * Like {@link #detect}, on a copy of {@code frame} shrunk to {@code width} pixels wide when it is
   * wider: detection cost grows with the pixels scanned, and a face in a webcam frame is far larger
   * than the detector's smallest window. The boxes are scaled back to {@code frame}, so crops keep
   * the full resolution. {@code width} 0 detects at full size.
   */
  public static List<FaceBox> detect(
      Plugin<FaceDetector> detector, Image frame, String what, int width) {
    if (width <= 0 || frame.width() <= width) {
      return detect(detector, frame, what);
    }
    int height = Math.max(1, (int) Math.round((double) frame.height() * width / frame.width()));
    Image small = frame.resized(width, height);
    double fx = (double) frame.width() / small.width();
    double fy = (double) frame.height() / small.height();
    List<FaceBox> boxes = new ArrayList<>();
    for (FaceBox b : detect(detector, small, what)) {
      int x = (int) Math.round(b.x() * fx);
      int y = (int) Math.round(b.y() * fy);
      int w = Math.max(1, (int) Math.round(b.width() * fx));
      int h = Math.max(1, (int) Math.round(b.height() * fy));
      boxes.add(new FaceBox(x, y, w, h, b.confidence()));
    }
    return List.copyOf(boxes);
  }

  /** A detector whose calls give up after the configured timeout. */
  private final class TimedDetector implements FaceDetector {
    private final FaceDetector plugin;

    TimedDetector(FaceDetector plugin) {
      this.plugin = plugin;
    }

    @Override
    public List<FaceBox> detect(Image image) {
      try {
        return calls.call(plugin, () -> plugin.detect(image), timeoutMillis);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e); // detect declares none
      }
    }
  }
}
