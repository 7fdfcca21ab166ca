package org.oneshot.pipeline.internal.plugins;

import java.util.Comparator;

/** A plugin service as the pipeline sees it: its name property, ranking and service id. */
public record Plugin<T>(String name, int ranking, long serviceId, T service) {
  /** Highest ranking first, then the oldest registration, as the framework picks a default. */
  public static final Comparator<Plugin<?>> PREFERRED_FIRST =
      Comparator.<Plugin<?>>comparingInt(Plugin::ranking)
          .reversed()
          .thenComparingLong(Plugin::serviceId);
}
