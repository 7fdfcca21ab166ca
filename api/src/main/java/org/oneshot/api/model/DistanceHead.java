package org.oneshot.api.model;

import java.util.List;
import org.oneshot.api.Embedding;

/**
 * Koch's head, evaluated in Java: p = sigmoid(b + Σ wᵢ·|probeᵢ − refᵢ|). Once a backend has
 * embedded the enrolled images, scoring a probe against N of them is N dot products, no engine
 * call. Holds the id of the weights it belongs to, and refuses embeddings of any other network.
 */
public final class DistanceHead {
  private final String networkId;
  private final float[] weights;
  private final float bias;

  public DistanceHead(String networkId, float[] weights, float bias) {
    this.networkId = networkId;
    this.weights = weights.clone();
    this.bias = bias;
  }

  public String networkId() {
    return networkId;
  }

  /**
   * @throws IllegalArgumentException when an embedding comes from another network
   */
  public double[] score(Embedding probe, List<Embedding> references) {
    check(probe);
    double[] scores = new double[references.size()];
    for (int r = 0; r < scores.length; r++) {
      Embedding reference = references.get(r);
      check(reference);
      double z = bias;
      for (int i = 0; i < weights.length; i++) {
        z += weights[i] * Math.abs(probe.get(i) - reference.get(i));
      }
      scores[r] = 1 / (1 + Math.exp(-z));
    }
    return scores;
  }

  private void check(Embedding e) {
    if (!e.networkId().equals(networkId)) {
      throw new IllegalArgumentException(
          "embedding of network "
              + e.networkId()
              + " scored by network "
              + networkId
              + ": embed again with this network");
    }
    if (e.dimension() != weights.length) {
      throw new IllegalArgumentException(
          "embedding of size " + e.dimension() + " where the head takes " + weights.length);
    }
  }
}
