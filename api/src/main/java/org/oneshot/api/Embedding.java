package org.oneshot.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a siamese tower makes of one image: a feature vector, tagged with the id of the network that
 * made it so that embeddings of different networks are never compared. Immutable.
 */
public final class Embedding {
  private final String networkId;
  private final float[] vector;

  public Embedding(String networkId, float[] vector) {
    this.networkId = Objects.requireNonNull(networkId, "networkId");
    if (vector.length == 0) {
      throw new IllegalArgumentException("embedding is empty");
    }
    this.vector = vector.clone();
  }

  /** The id of the network that computed it ({@link ModelDescription#id()}). */
  public String networkId() {
    return networkId;
  }

  public int dimension() {
    return vector.length;
  }

  public float get(int i) {
    return vector[i];
  }

  public float[] toArray() {
    return vector.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e
        && networkId.equals(e.networkId)
        && Arrays.equals(vector, e.vector);
  }

  @Override
  public int hashCode() {
    return 31 * networkId.hashCode() + Arrays.hashCode(vector);
  }

  @Override
  public String toString() {
    return "Embedding[" + networkId + ", " + vector.length + "]";
  }
}
