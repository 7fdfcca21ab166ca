package org.oneshot.api;

import java.util.Objects;

/** A dataset cut in two by identity: no identity has samples on both sides. */
public record DatasetSplit(LabelledDataset train, LabelledDataset test) {
  public DatasetSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
  }
}
