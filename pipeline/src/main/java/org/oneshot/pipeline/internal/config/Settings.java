package org.oneshot.pipeline.internal.config;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings components describe with metatype, read from and written to ConfigAdmin: every value
 * checked against its definition before anything is stored, and a change in force in the components
 * before {@link #change} returns.
 */
public final class Settings {
  private static final Logger LOG = LoggerFactory.getLogger(Settings.class);
  private static final long SETTLE_TIMEOUT_MS = 5_000;

  /** A PID's settings after a call: its description, the stored values, and any problems. */
  public record State(
      String pid,
      ObjectClassDefinition definition,
      List<AttributeDefinition> attributes,
      Map<String, Object> stored,
      List<String> problems) {}

  private final BundleContext context;
  private final ConfigurationAdmin configAdmin;
  private final MetaTypeService metaTypes;
  private final ServiceComponentRuntime components;

  public Settings(
      BundleContext context,
      ConfigurationAdmin configAdmin,
      MetaTypeService metaTypes,
      ServiceComponentRuntime components) {
    this.context = context;
    this.configAdmin = configAdmin;
    this.metaTypes = metaTypes;
    this.components = components;
  }

  /** Every PID some bundle describes with metatype, sorted. */
  public Map<String, ObjectClassDefinition> described() {
    Map<String, ObjectClassDefinition> pids = new TreeMap<>();
    for (Bundle bundle : context.getBundles()) {
      MetaTypeInformation information = metaTypes.getMetaTypeInformation(bundle);
      if (information != null) {
        for (String pid : information.getPids()) {
          pids.put(pid, information.getObjectClassDefinition(pid, null));
        }
      }
    }
    return pids;
  }

  /**
   * Resets {@code pid} to its defaults if asked, then applies {@code settings} ("key=value"), and
   * waits until the components reading the PID run with the result.
   *
   * @throws IllegalArgumentException for an unknown PID or key, or a value its definition refuses
   *     (nothing is changed then)
   */
  public State change(String pid, List<String> settings, boolean reset)
      throws IOException, InvalidSyntaxException, InterruptedException {
    ObjectClassDefinition definition = definition(pid);
    Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
    Map<String, Object> defaults = new LinkedHashMap<>();
    for (AttributeDefinition a : definition.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
      attributes.put(a.getID(), a);
      String[] values = a.getDefaultValue();
      if (values != null && values.length == 1) {
        defaults.put(a.getID(), SettingValue.parse(a, values[0]));
      }
    }
    Map<String, Object> changes = parse(pid, settings, attributes);
    Configuration existing = existing(pid);
    Map<String, Object> before = values(existing);
    // What the components must run with afterwards; a value already in force changes nothing
    // (ConfigAdmin would still re-create the components reading the PID).
    Map<String, Object> inForce = new LinkedHashMap<>(defaults);
    Map<String, Object> expected = new LinkedHashMap<>();
    if (reset) {
      before.keySet().stream()
          .filter(defaults::containsKey)
          .forEach(key -> expected.put(key, defaults.get(key)));
    } else {
      inForce.putAll(before);
    }
    changes.entrySet().removeIf(c -> SettingValue.same(c.getValue(), inForce.get(c.getKey())));
    expected.putAll(changes);

    ComponentSettling settling = new ComponentSettling(components, pid);
    if (reset && existing != null) {
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
    // ConfigAdmin hands a change to the components on its own thread; the next command must
    // already run with it, and a component the change broke must say so.
    List<String> problems =
        expected.isEmpty() ? List.of() : settling.await(expected, SETTLE_TIMEOUT_MS);
    return new State(
        pid, definition, List.copyOf(attributes.values()), values(existing(pid)), problems);
  }

  private ObjectClassDefinition definition(String pid) {
    Map<String, ObjectClassDefinition> described = described();
    ObjectClassDefinition definition = described.get(pid);
    if (definition == null) {
      throw new IllegalArgumentException(
          "no component describes settings under '"
              + pid
              + "'; these do: "
              + String.join(", ", described.keySet()));
    }
    return definition;
  }

  /** Every "key=value", typed: all are checked before anything changes. */
  private static Map<String, Object> parse(
      String pid, List<String> settings, Map<String, AttributeDefinition> attributes) {
    Map<String, Object> changes = new LinkedHashMap<>();
    for (String setting : settings) {
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
    return changes;
  }

  /** The configuration of {@code pid}, or null; looking never creates one. */
  private Configuration existing(String pid) throws IOException, InvalidSyntaxException {
    Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
    return found == null || found.length == 0 ? null : found[0];
  }

  private static Map<String, Object> values(Configuration configuration) {
    Map<String, Object> values = new LinkedHashMap<>();
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
