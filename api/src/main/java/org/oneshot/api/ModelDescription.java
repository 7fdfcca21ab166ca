package org.oneshot.api;

import java.util.Map;
import java.util.Objects;

/**
 * What a network is: which backend and preset built it, its architecture values, input format,
 * size, and free-form facts such as the training data summary and metrics.
 *
 * @param id unique id of this network's weights; changes whenever the weights do
 * @param backend the {@link SiameseModel#BACKEND} that runs it
 * @param preset the preset it was built from, e.g. {@code koch} or {@code small}
 * @param architecture every architecture value, by name (layers, filters, kernels, dense units)
 * @param inputWidth width the tower takes, in pixels
 * @param inputHeight height the tower takes, in pixels
 * @param inputChannels 1 for grey, 3 for colour
 * @param parameterCount trainable parameters (one tower plus the output layer)
 * @param properties everything else: preprocessing, training summary, metrics, version
 */
public record ModelDescription(
    String id,
    String backend,
    String preset,
    Map<String, String> architecture,
    int inputWidth,
    int inputHeight,
    int inputChannels,
    long parameterCount,
    Map<String, String> properties) {
  public ModelDescription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(preset, "preset");
    architecture = Map.copyOf(architecture);
    properties = Map.copyOf(properties);
  }
}
