package org.oneshot.pipeline.internal.plugins;

/**
 * A plugin threw, hung or answered nonsense; the message names the plugin and what it was doing:
 * {@code KIND 'NAME' failed WHAT: REASON}.
 */
public final class PluginFailureException extends RuntimeException {
  public PluginFailureException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The failure of plugin {@code name} of {@code kind} (e.g. {@code face detector}) while doing
   * {@code what} (e.g. {@code on photo.jpg}); a timeout's reason is its message, anything else's
   * the exception itself.
   */
  public static PluginFailureException of(String kind, String name, String what, Throwable cause) {
    String reason =
        cause instanceof TimedCalls.PluginTimeoutException ? cause.getMessage() : cause.toString();
    return new PluginFailureException(
        kind + " '" + name + "' failed " + what + ": " + reason, cause);
  }
}
