package org.oneshot.pipeline.internal.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Constants;

/**
 * The services of one plugin kind that are present right now, kept in preference order. Bound and
 * unbound by DS on any thread while commands read it on others.
 */
public final class PluginSet<T> {
  private final String kind;
  private final String nameProperty;
  // Replaced whole on every change, so a reader never sees a half-updated list.
  private volatile List<Plugin<T>> plugins = List.of();

  /**
   * @param kind what to call a plugin in messages, e.g. "face detector"
   * @param nameProperty the service property that names a plugin, e.g. {@code detector.name}
   */
  public PluginSet(String kind, String nameProperty) {
    this.kind = kind;
    this.nameProperty = nameProperty;
  }

  public synchronized void add(T service, Map<String, ?> properties) {
    Object name = properties.get(nameProperty);
    Object ranking = properties.get(Constants.SERVICE_RANKING);
    Object id = properties.get(Constants.SERVICE_ID);
    List<Plugin<T>> next = new ArrayList<>(plugins);
    next.add(
        new Plugin<>(
            name == null ? "(unnamed)" : String.valueOf(name),
            ranking instanceof Integer r ? r : 0,
            id instanceof Long l ? l : Long.MAX_VALUE,
            service));
    next.sort(Plugin.PREFERRED_FIRST);
    plugins = List.copyOf(next);
  }

  public synchronized void remove(T service) {
    plugins = plugins.stream().filter(p -> p.service() != service).toList();
  }

  /** The plugin called {@code name}, or when {@code name} is empty the preferred one. */
  public Plugin<T> select(String name) {
    List<Plugin<T>> present = plugins;
    if (present.isEmpty()) {
      throw new IllegalStateException("no " + kind + " available");
    }
    if (name == null || name.isEmpty()) {
      return present.get(0);
    }
    return present.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no "
                        + kind
                        + " named '"
                        + name
                        + "'; present: "
                        + String.join(", ", names())));
  }

  /** Every plugin present, preferred first. */
  public List<Plugin<T>> all() {
    return plugins;
  }

  /** Whether {@code service} is still present. */
  public boolean contains(T service) {
    return plugins.stream().anyMatch(p -> p.service() == service);
  }

  public List<String> names() {
    return plugins.stream().map(Plugin::name).toList();
  }
}
