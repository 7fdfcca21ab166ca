package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.pipeline.internal.config.ComponentSettling;
import org.oneshot.pipeline.internal.config.SettingValue;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code face:config}: the settings of every component that describes them (OSGi metatype) —
 * thresholds, detector, camera, timeouts — shown with their defaults and changed by name, each
 * value checked against its type and bounds before ConfigAdmin keeps it (across restarts) and the
 * component picks it up.
 */
@Component(
    service = ConfigCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=config"})
public final class ConfigCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigCommand.class);
  private static final long SETTLE_TIMEOUT_MS = 5_000;

  @Reference private ConfigurationAdmin configAdmin;
  @Reference private MetaTypeService metaTypes;
  @Reference private ServiceComponentRuntime components;
  private final BundleContext context;

  @Activate
  public ConfigCommand(BundleContext context) {
    this.context = context;
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
    Map<String, ObjectClassDefinition> described = describedPids();
    if (arguments.length == 0) {
      if (reset) {
        throw new IllegalArgumentException("--reset needs the PID to reset");
      }
      return list(described);
    }
    String pid = arguments[0];
    ObjectClassDefinition definition = described.get(pid);
    if (definition == null) {
      throw new IllegalArgumentException(
          "no component describes settings under '"
              + pid
              + "'; these do: "
              + String.join(", ", described.keySet()));
    }
    Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
    for (AttributeDefinition a : definition.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
      attributes.put(a.getID(), a);
    }
    // Check every value before changing anything: a bad one leaves the settings as they were.
    Map<String, Object> changes = new LinkedHashMap<>();
    for (String setting : Arrays.copyOfRange(arguments, 1, arguments.length)) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + setting + "' is not key=value");
      }
      String key = setting.substring(0, eq).trim();
      AttributeDefinition attribute = attributes.get(key);
      if (attribute == null) {
        throw new IllegalArgumentException(
            pid
                + " has no setting '"
                + key
                + "'; its settings: "
                + String.join(", ", attributes.keySet()));
      }
      changes.put(key, SettingValue.parse(attribute, setting.substring(eq + 1)));
    }
    // What the components must run with afterwards. A value already in force changes nothing:
    // ConfigAdmin would still re-create the components reading the PID.
    Map<String, Object> before = existingValues(pid);
    Configuration existing = reset ? existing(pid) : null;
    Map<String, Object> expected = new LinkedHashMap<>();
    for (AttributeDefinition a : attributes.values()) {
      String[] defaults = a.getDefaultValue();
      Object fallback =
          defaults == null || defaults.length != 1 ? null : SettingValue.parse(a, defaults[0]);
      Object current = reset || !before.containsKey(a.getID()) ? fallback : before.get(a.getID());
      if (reset && before.containsKey(a.getID()) && fallback != null) {
        expected.put(a.getID(), fallback);
      }
      Object wanted = changes.get(a.getID());
      if (wanted != null && !String.valueOf(wanted).equals(String.valueOf(current))) {
        expected.put(a.getID(), wanted);
      } else if (wanted != null) {
        changes.remove(a.getID());
      }
    }
    ComponentSettling settling = new ComponentSettling(components, pid);
    if (existing != null) {
      existing.delete();
      LOG.info("reset the settings of {} to their defaults", pid);
    }
    if (!changes.isEmpty()) {
      // "?": a location any bundle may bind, as the component that reads the PID lives elsewhere.
      Configuration configuration = configAdmin.getConfiguration(pid, "?");
      Dictionary<String, Object> properties = configuration.getProperties();
      if (properties == null) {
        properties = new Hashtable<>();
      }
      for (Map.Entry<String, Object> change : changes.entrySet()) {
        properties.put(change.getKey(), change.getValue());
      }
      configuration.update(properties);
      LOG.info("changed the settings of {}: {}", pid, changes);
    }
    StringBuilder text =
        new StringBuilder(show(pid, definition, attributes.values(), existingValues(pid)));
    if (!expected.isEmpty()) {
      // ConfigAdmin hands the change to the components on its own thread; the next command on
      // the line must already run with it, and a component the change broke must say so.
      settling
          .await(expected, SETTLE_TIMEOUT_MS)
          .forEach(problem -> text.append(System.lineSeparator()).append(problem));
    }
    return text.toString();
  }

  private static String list(Map<String, ObjectClassDefinition> described) {
    StringBuilder text =
        new StringBuilder("settings (face:config PID shows them, PID key=value changes them)");
    for (Map.Entry<String, ObjectClassDefinition> e : described.entrySet()) {
      text.append(String.format(Locale.ROOT, "%n  %-30s %s", e.getKey(), e.getValue().getName()));
    }
    return text.toString();
  }

  private static String show(
      String pid,
      ObjectClassDefinition definition,
      Iterable<AttributeDefinition> attributes,
      Map<String, Object> values) {
    StringBuilder text = new StringBuilder(pid + " — " + definition.getName());
    for (AttributeDefinition a : attributes) {
      String defaults = a.getDefaultValue() == null ? "" : String.join(",", a.getDefaultValue());
      Object value = values.get(a.getID());
      String shown =
          value == null ? defaults + " (default)" : value + " (default " + defaults + ")";
      text.append(String.format(Locale.ROOT, "%n  %-24s %s", a.getID(), shown));
      if (a.getDescription() != null && !a.getDescription().isEmpty()) {
        text.append(String.format(Locale.ROOT, "%n  %-24s   %s", "", a.getDescription()));
      }
    }
    return text.toString();
  }

  /** Every PID some bundle describes with metatype, sorted, with its description. */
  private Map<String, ObjectClassDefinition> describedPids() {
    Map<String, ObjectClassDefinition> pids = new TreeMap<>();
    for (Bundle bundle : context.getBundles()) {
      MetaTypeInformation information = metaTypes.getMetaTypeInformation(bundle);
      if (information == null) {
        continue;
      }
      for (String pid : information.getPids()) {
        pids.put(pid, information.getObjectClassDefinition(pid, null));
      }
    }
    return pids;
  }

  /** The configuration of {@code pid}, or null; looking never creates one. */
  private Configuration existing(String pid) throws IOException, InvalidSyntaxException {
    Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
    return found == null || found.length == 0 ? null : found[0];
  }

  private Map<String, Object> existingValues(String pid)
      throws IOException, InvalidSyntaxException {
    Map<String, Object> values = new LinkedHashMap<>();
    Configuration configuration = existing(pid);
    Dictionary<String, Object> properties =
        configuration == null ? null : configuration.getProperties();
    if (properties != null) {
      for (String key : Collections.list(properties.keys())) {
        values.put(key, properties.get(key));
      }
    }
    return values;
  }
}
