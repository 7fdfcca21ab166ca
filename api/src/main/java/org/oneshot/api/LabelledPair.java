package org.oneshot.api;

import java.util.Objects;

/** Two samples and whether they show the same identity ({@code label} 1) or not (0). */
public record LabelledPair(Sample first, Sample second, int label) {
  public LabelledPair {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException("label must be 0 or 1: " + label);
    }
  }

  public boolean same() {
    return label == 1;
  }
}
