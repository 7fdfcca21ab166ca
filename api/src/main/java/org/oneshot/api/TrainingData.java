package org.oneshot.api;

import java.util.List;
import java.util.Objects;

/**
 * The pairs to train on and the dataset that loads their images. {@code validation} may be empty,
 * in which case the backend holds out {@link TrainingSettings#validationFraction()} of {@code
 * training}.
 */
public record TrainingData(
    LabelledDataset dataset, List<LabelledPair> training, List<LabelledPair> validation) {
  public TrainingData {
    Objects.requireNonNull(dataset, "dataset");
    training = List.copyOf(training);
    validation = List.copyOf(validation);
    if (training.isEmpty()) {
      throw new IllegalArgumentException("no training pairs");
    }
  }
}
