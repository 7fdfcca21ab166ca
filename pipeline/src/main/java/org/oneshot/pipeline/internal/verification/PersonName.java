package org.oneshot.pipeline.internal.verification;

import java.util.regex.Pattern;

/** A gallery name: it becomes a folder name, so only letters, digits, '.', '_' and '-'. */
public final class PersonName {
  private static final Pattern VALID = Pattern.compile("[\\p{L}\\p{N}_][\\p{L}\\p{N}_.-]{0,63}");

  private PersonName() {}

  /** {@code name} when it is a valid person name. */
  public static String check(String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a usable name: 1 to 64 letters, digits, '_', '.' or '-', not starting"
              + " with '.' or '-'");
    }
    return name;
  }
}
