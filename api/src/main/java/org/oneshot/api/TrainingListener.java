package org.oneshot.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives training progress, on the training thread: return quickly. */
@ConsumerType
@FunctionalInterface
public interface TrainingListener {
  void onProgress(TrainingProgress progress);

  TrainingListener NONE = progress -> {};
}
