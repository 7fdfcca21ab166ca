package org.oneshot.pipeline.internal.config;

import java.util.Locale;
import org.osgi.service.metatype.AttributeDefinition;

/** A setting typed in the shell, checked and converted as its metatype description says. */
public final class SettingValue {
  private SettingValue() {}

  /**
   * {@code text} as the type {@code definition} declares, within its bounds.
   *
   * @throws IllegalArgumentException naming the setting and what is wrong with the value
   */
  public static Object parse(AttributeDefinition definition, String text) {
    String id = definition.getID();
    if (definition.getCardinality() != 0) {
      throw new IllegalArgumentException(id + " holds a list, which face:config does not set");
    }
    Object value;
    try {
      value =
          switch (definition.getType()) {
            case AttributeDefinition.STRING -> text;
            case AttributeDefinition.INTEGER -> Integer.valueOf(text.trim());
            case AttributeDefinition.LONG -> Long.valueOf(text.trim());
            case AttributeDefinition.DOUBLE -> finite(Double.valueOf(text.trim()));
            case AttributeDefinition.FLOAT -> (float) finite(Double.valueOf(text.trim()));
            case AttributeDefinition.BOOLEAN -> bool(text.trim());
            default ->
                throw new IllegalArgumentException(
                    id + " has a type face:config does not set (" + definition.getType() + ")");
          };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          id + ": '" + text + "' is not " + typeName(definition.getType()));
    }
    // Bounds and options, as the metatype service checks them ("" when the value is fine).
    String problem = definition.validate(String.valueOf(value));
    if (problem != null && !problem.isEmpty()) {
      throw new IllegalArgumentException(id + ": '" + text + "' refused: " + problem);
    }
    return value;
  }

  /** Whether two setting values are the same value, however each was typed or stored. */
  public static boolean same(Object a, Object b) {
    return String.valueOf(a).equals(String.valueOf(b));
  }

  static String typeName(int type) {
    return switch (type) {
      case AttributeDefinition.INTEGER, AttributeDefinition.LONG -> "a whole number";
      case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "a number";
      case AttributeDefinition.BOOLEAN -> "true or false";
      default -> "text";
    };
  }

  private static double finite(double value) {
    if (!Double.isFinite(value)) {
      throw new NumberFormatException("not finite");
    }
    return value;
  }

  private static Boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new NumberFormatException("not a boolean");
    };
  }
}
