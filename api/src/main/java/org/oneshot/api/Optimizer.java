package org.oneshot.api;

/** The training optimiser. */
public enum Optimizer {
  /** Adam, the default. */
  ADAM,
  /** Koch et al.'s SGD with momentum and a per-epoch learning-rate decay. */
  SGD
}
