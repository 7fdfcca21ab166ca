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
    for (ComponentDescriptionDTO description : readers()) {
      for (ComponentConfigurationDTO c : configurations(description)) {
        if (c.service != null) {
          servicesBefore.add(c.service.id);
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
      for (ComponentDescriptionDTO description : readers()) {
        check(description, expected, waiting, failed);
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

  /** The enabled components that read the PID. */
  private List<ComponentDescriptionDTO> readers() {
    return runtime.getComponentDescriptionDTOs().stream()
        .filter(d -> Arrays.asList(d.configurationPid).contains(pid))
        .filter(runtime::isComponentEnabled)
        .toList();
  }

  /** Adds {@code description}'s name to {@code waiting} or a line to {@code failed}, if need be. */
  private void check(
      ComponentDescriptionDTO description,
      Map<String, Object> expected,
      List<String> waiting,
      List<String> failed) {
    Collection<ComponentConfigurationDTO> configurations = configurations(description);
    if (configurations.isEmpty()) {
      waiting.add(description.name);
    }
    for (ComponentConfigurationDTO c : configurations) {
      if (!takes(expected, c.properties)) {
        waiting.add(description.name);
      } else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
        failed.add(
            "warning: "
                + description.name
                + " failed to start with these settings: "
                + rootCause(c.failure));
      } else if (!offering(description, c)) {
        waiting.add(description.name);
      }
    }
  }

  /**
   * {@code description}'s configurations as the runtime reports them, or none while it cannot say:
   * Felix SCR 2.2 builds its DTOs from the component's live state and throws (a
   * NullPointerException in {@code managerToConfiguration}) when asked while the component is being
   * re-created, which is exactly when this class asks. None counts as not settled yet, so the next
   * poll asks again.
   */
  private Collection<ComponentConfigurationDTO> configurations(
      ComponentDescriptionDTO description) {
    try {
      return runtime.getComponentConfigurationDTOs(description);
    } catch (RuntimeException midChange) {
      return List.of();
    }
  }

  /**
   * Whether the configuration runs and offers its service to the commands: registered anew when the
   * component has no modified method, as then it is re-created.
   */
  private boolean offering(ComponentDescriptionDTO description, ComponentConfigurationDTO c) {
    if (c.state != ComponentConfigurationDTO.ACTIVE
        && c.state != ComponentConfigurationDTO.SATISFIED) {
      return false;
    }
    if (description.serviceInterfaces.length == 0) {
      return true;
    }
    boolean recreated = description.modified == null;
    return c.service != null && !(recreated && servicesBefore.contains(c.service.id));
  }

  private static boolean takes(Map<String, Object> expected, Map<String, Object> properties) {
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      if (!SettingValue.same(e.getValue(), properties.get(e.getKey()))) {
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
