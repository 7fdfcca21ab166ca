package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.FrameSource;
import org.oneshot.api.PairSampler;
import org.oneshot.api.SiameseModel;
import org.oneshot.pipeline.internal.io.Json;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code face:services} — which plugins are present and which of each kind is in use. */
@Component(
    service = ServicesCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=services"})
public final class ServicesCommand {
  /** The service kinds oneshot wires, with the property that names each plugin. */
  private static final Map<Class<?>, String> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put(FrameSource.class, FrameSource.TYPE);
    KINDS.put(FaceDetector.class, FaceDetector.NAME);
    KINDS.put(PairSampler.class, PairSampler.NAME);
    KINDS.put(SiameseModel.class, SiameseModel.BACKEND);
  }

  private final BundleContext context;

  @Activate
  public ServicesCommand(BundleContext context) {
    this.context = context;
  }

  /** One registered plugin service, as listed. */
  record Entry(
      String kind,
      String name,
      int ranking,
      long serviceId,
      String bundle,
      boolean inUse,
      String device) {}

  @Descriptor(
      "list every FrameSource, FaceDetector, PairSampler and SiameseModel present, with its"
          + " identifying property and ranking; * marks the one in use (highest ranking)")
  public String services(
      @Descriptor("also write the list as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Class<?>, String> kind : KINDS.entrySet()) {
      String type = kind.getKey().getSimpleName();
      out.append(type).append(" (").append(kind.getValue()).append(")\n");
      List<Entry> ofKind = list(kind.getKey(), kind.getValue());
      if (ofKind.isEmpty()) {
        out.append("    none\n");
      }
      for (Entry e : ofKind) {
        out.append(
            String.format(
                "  %s %-12s ranking %-4d service %-4d %s%s%n",
                e.inUse() ? "*" : " ",
                e.name(),
                e.ranking(),
                e.serviceId(),
                e.bundle(),
                e.device() == null ? "" : "  [" + e.device() + "]"));
      }
      entries.addAll(ofKind);
    }
    if (!json.isEmpty()) {
      Json.write(Path.of(json), Map.of("services", entries));
    }
    return out.toString().stripTrailing();
  }

  private <T> List<Entry> list(Class<T> type, String nameProperty) {
    ServiceReference<T> inUse = context.getServiceReference(type);
    List<Entry> entries = new ArrayList<>();
    try {
      for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
        Object name = ref.getProperty(nameProperty);
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        entries.add(
            new Entry(
                type.getSimpleName(),
                name == null ? "(unnamed)" : String.valueOf(name),
                ranking instanceof Integer r ? r : 0,
                (Long) ref.getProperty(Constants.SERVICE_ID),
                ref.getBundle() == null ? "(unregistered)" : ref.getBundle().getSymbolicName(),
                ref.equals(inUse),
                deviceOf(type, ref)));
      }
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e); // a null filter is always valid
    }
    entries.sort(
        (a, b) ->
            a.ranking() != b.ranking()
                ? Integer.compare(b.ranking(), a.ranking())
                : Long.compare(a.serviceId(), b.serviceId()));
    return entries;
  }

  /** For a model backend, where it runs (CPU or GPU); null for other kinds. */
  private <T> String deviceOf(Class<T> type, ServiceReference<T> ref) {
    if (type != SiameseModel.class) {
      return null;
    }
    T service = context.getService(ref);
    try {
      return service == null ? null : ((SiameseModel) service).device();
    } finally {
      if (service != null) {
        context.ungetService(ref);
      }
    }
  }
}
