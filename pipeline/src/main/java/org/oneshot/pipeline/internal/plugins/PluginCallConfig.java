package org.oneshot.pipeline.internal.plugins;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** ConfigAdmin settings for calls into plugins (PID {@code org.oneshot.plugins}). */
@ObjectClassDefinition(
    name = "oneshot plugin calls",
    description = "How long the pipeline waits for a third-party plugin before giving up on it")
public @interface PluginCallConfig {
  @AttributeDefinition(
      name = "Detector timeout (ms)",
      min = "1",
      description =
          "A face detector that has not answered within this time fails the call with an error"
              + " naming it; the pipeline goes on")
  long detector_timeout_ms() default 10_000;

  @AttributeDefinition(
      name = "Model timeout (ms)",
      min = "1",
      description =
          "A siamese backend that has not loaded a model, embedded images or scored them within"
              + " this time fails the verification with an error naming it")
  long model_timeout_ms() default 60_000;
}
