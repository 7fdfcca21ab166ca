package org.oneshot.pipeline.internal.plugins;

import java.io.IOException;
import java.util.Map;
import org.oneshot.api.FrameSource;
import org.oneshot.api.FrameStream;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Every frame source present, by {@code source.type}; opens specs like {@code video:FILE}. */
@Component(service = FrameSources.class)
public final class FrameSources {
  private final PluginSet<FrameSource> sources = new PluginSet<>("frame source", FrameSource.TYPE);

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addSource(FrameSource source, Map<String, Object> properties) {
    sources.add(source, properties);
  }

  void removeSource(FrameSource source) {
    sources.remove(source);
  }

  /**
   * Opens {@code spec}, written {@code TYPE:LOCATION} ({@code camera:0}, {@code video:clip.avi},
   * {@code folder:photos/}).
   */
  public FrameStream open(String spec) throws IOException {
    int colon = spec.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "source '" + spec + "' must be TYPE:LOCATION, e.g. camera:0, video:FILE, folder:DIR");
    }
    String type = spec.substring(0, colon);
    String location = spec.substring(colon + 1);
    Plugin<FrameSource> source;
    try {
      source = sources.select(type);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "no frame source available for '" + spec + "' (is the capture-opencv bundle running?)");
    }
    try {
      return source.service().open(location);
    } catch (RuntimeException | LinkageError e) {
      throw PluginFailureException.of("frame source", type, "to open " + location, e);
    }
  }
}
