package org.oneshot.pipeline.internal.plugins;

/** A plugin threw; the message names the plugin and what it was doing. */
public final class PluginFailureException extends RuntimeException {
  public PluginFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
