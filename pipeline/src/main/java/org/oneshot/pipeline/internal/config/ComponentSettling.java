package org.oneshot.pipeline.internal.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Waits until every enabled component reading a configuration PID runs with the expected values
 * (Declarative Services applies a ConfigAdmin change asynchronously, re-creating a component that
 * has no modified method), and reports the components that failed to start with them.
 */
public final class ComponentSettling {
  private static final long POLL_MS = 25;

  private final ServiceComponentRuntime runtime;
  private final String pid;
  private final Set<Long> servicesBefore = new HashSet<>();

  /** Notes the services the PID's components offer now: call it before changing anything. */
  public ComponentSettling(ServiceComponentRuntime runtime, String pid) {
    this.runtime = runtime;
    this.pid = pid;
    for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
      if (Arrays.asList(description.configurationPid).contains(pid)) {
        for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(description)) {
          if (c.service != null) {
            servicesBefore.add(c.service.id);
          }
        }
      }
    }
  }

  /**
   * Waits up to {@code timeoutMs}; returns one line per problem: a component that failed to
   * activate with the new values, or one that had not taken them when the time ran out.
   */
  public List<String> await(Map<String, Object> expected, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (true) {
      List<String> waiting = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
        if (!Arrays.asList(description.configurationPid).contains(pid)
            || !runtime.isComponentEnabled(description)) {
          continue;
        }
        Collection<ComponentConfigurationDTO> configurations =
            runtime.getComponentConfigurationDTOs(description);
        if (configurations.isEmpty()) {
          waiting.add(description.name);
        }
        boolean offersServices = description.serviceInterfaces.length > 0;
        // Without a modified method a component is re-created: its service registered anew.
        boolean recreated = description.modified == null;
        for (ComponentConfigurationDTO c : configurations) {
          if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION
              && takes(expected, c.properties)) {
            failed.add(
                "warning: "
                    + description.name
                    + " failed to start with these settings: "
                    + rootCause(c.failure));
          } else if (!takes(expected, c.properties)
              || (c.state != ComponentConfigurationDTO.ACTIVE
                  && c.state != ComponentConfigurationDTO.SATISFIED)
              || (offersServices
                  && (c.service == null || (recreated && servicesBefore.contains(c.service.id))))) {
            // Not re-created yet, or not yet offering its service to the commands.
            waiting.add(description.name);
          }
        }
      }
      if (waiting.isEmpty()) {
        return failed;
      }
      if (System.nanoTime() > deadline) {
        failed.add(
            "warning: "
                + String.join(", ", waiting)
                + " did not start with these settings within "
                + timeoutMs / 1000
                + " s (scr:info NAME tells why)");
        return failed;
      }
      Thread.sleep(POLL_MS);
    }
  }

  private static boolean takes(Map<String, Object> expected, Map<String, Object> properties) {
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      if (!String.valueOf(e.getValue()).equals(String.valueOf(properties.get(e.getKey())))) {
        return false;
      }
    }
    return true;
  }

  /** The innermost "Caused by" line of a stack trace as text, or its first line. */
  static String rootCause(String failure) {
    if (failure == null || failure.isBlank()) {
      return "(no reason given)";
    }
    List<String> lines = failure.lines().toList();
    String cause = lines.get(0);
    for (String line : lines) {
      if (line.startsWith("Caused by: ")) {
        cause = line.substring("Caused by: ".length());
      }
    }
    return cause;
  }
}
