package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.pipeline.internal.config.Settings;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * {@code face:config}: the settings of every component that describes them (OSGi metatype) —
 * thresholds, detector, camera, timeouts — shown with their defaults and changed by name through
 * {@link Settings}.
 */
@Component(
    service = ConfigCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=config"})
public final class ConfigCommand {
  private final Settings settings;

  @Activate
  public ConfigCommand(
      BundleContext context,
      @Reference ConfigurationAdmin configAdmin,
      @Reference MetaTypeService metaTypes,
      @Reference ServiceComponentRuntime components) {
    this.settings = new Settings(context, configAdmin, metaTypes, components);
  }

  @Descriptor(
      "show or change settings: with no PID, what can be configured; with a PID, its settings"
          + " (current value, default, description); with key=value, change them (kept across"
          + " restarts)")
  public String config(
      @Descriptor("set every setting of the PID back to its default")
          @Parameter(names = "--reset", presentValue = "true", absentValue = "false")
          boolean reset,
      @Descriptor(
              "a PID, then key=value settings, e.g. org.oneshot.verification"
                  + " verification.threshold=0.6")
          String... arguments)
      throws IOException, InvalidSyntaxException, InterruptedException {
    if (arguments.length == 0) {
      if (reset) {
        throw new IllegalArgumentException("--reset needs the PID to reset");
      }
      return list(settings.described());
    }
    return show(
        settings.change(
            arguments[0], Arrays.asList(arguments).subList(1, arguments.length), reset));
  }

  private static String list(Map<String, ObjectClassDefinition> described) {
    StringBuilder text =
        new StringBuilder("settings (face:config PID shows them, PID key=value changes them)");
    for (Map.Entry<String, ObjectClassDefinition> e : described.entrySet()) {
      text.append(String.format(Locale.ROOT, "%n  %-30s %s", e.getKey(), e.getValue().getName()));
    }
    return text.toString();
  }

  private static String show(Settings.State state) {
    StringBuilder text = new StringBuilder(state.pid() + " — " + state.definition().getName());
    for (AttributeDefinition a : state.attributes()) {
      String defaults = a.getDefaultValue() == null ? "" : String.join(",", a.getDefaultValue());
      Object value = state.stored().get(a.getID());
      String shown =
          value == null ? defaults + " (default)" : value + " (default " + defaults + ")";
      text.append(String.format(Locale.ROOT, "%n  %-24s %s", a.getID(), shown));
      if (a.getDescription() != null && !a.getDescription().isEmpty()) {
        text.append(String.format(Locale.ROOT, "%n  %-24s   %s", "", a.getDescription()));
      }
    }
    state.problems().forEach(problem -> text.append(System.lineSeparator()).append(problem));
    return text.toString();
  }
}
