package org.oneshot.pipeline.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Promise;

class ComponentSettlingTest {
  private static final String PID = "org.oneshot.test";

  @Test
  void aRuntimeThatThrowsWhileTheComponentIsRecreatedIsAskedAgain() throws InterruptedException {
    // Felix SCR 2.2 threw a NullPointerException from getComponentConfigurationDTOs while a
    // component was being re-created (seen in DetectorPluginIT): face:config failed with it.
    RecreatingRuntime runtime = new RecreatingRuntime(3);
    ComponentSettling settling = new ComponentSettling(runtime, PID);

    List<String> problems = settling.await(Map.of("size", 7), 5_000);

    assertEquals(List.of(), problems);
    assertTrue(runtime.asked > 3, "asked again after the runtime threw: " + runtime.asked);
  }

  @Test
  void aComponentThatNeverSettlesIsNamedWhenTheTimeRunsOut() throws InterruptedException {
    RecreatingRuntime runtime = new RecreatingRuntime(Integer.MAX_VALUE);

    List<String> problems = new ComponentSettling(runtime, PID).await(Map.of("size", 7), 100);

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("test.component did not start"), problems.get(0));
  }

  /**
   * One component reading {@link #PID}; its configurations throw the first {@code throwing} asks.
   */
  private static final class RecreatingRuntime implements ServiceComponentRuntime {
    private final ComponentDescriptionDTO description = new ComponentDescriptionDTO();
    private final int throwing;
    int asked;

    RecreatingRuntime(int throwing) {
      this.throwing = throwing;
      description.name = "test.component";
      description.configurationPid = new String[] {PID};
      description.serviceInterfaces = new String[0];
      description.modified = "modified";
    }

    @Override
    public Collection<ComponentDescriptionDTO> getComponentDescriptionDTOs(Bundle... bundles) {
      return List.of(description);
    }

    @Override
    public ComponentDescriptionDTO getComponentDescriptionDTO(Bundle bundle, String name) {
      return description;
    }

    @Override
    public Collection<ComponentConfigurationDTO> getComponentConfigurationDTOs(
        ComponentDescriptionDTO d) {
      if (asked++ < throwing) {
        throw new NullPointerException(
            "Cannot invoke \"java.util.Map.size()\" because \"m\" is null");
      }
      ComponentConfigurationDTO c = new ComponentConfigurationDTO();
      c.description = d;
      c.state = ComponentConfigurationDTO.ACTIVE;
      c.properties = Map.of("size", 7);
      return List.of(c);
    }

    @Override
    public boolean isComponentEnabled(ComponentDescriptionDTO d) {
      return true;
    }

    @Override
    public Promise<Void> enableComponent(ComponentDescriptionDTO d) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Promise<Void> disableComponent(ComponentDescriptionDTO d) {
      throw new UnsupportedOperationException();
    }
  }
}
