package org.oneshot.api;

import java.util.Objects;

/**
 * What to sample: {@code count} pairs in all, half positive and half negative (the odd one
 * negative), by {@code scheme}, reproducibly from {@code seed}.
 */
public record PairRequest(PairScheme scheme, int count, long seed) {
  public PairRequest {
    Objects.requireNonNull(scheme, "scheme");
    if (count <= 0) {
      throw new IllegalArgumentException("pair count must be positive: " + count);
    }
  }

  public int positives() {
    return count / 2;
  }

  public int negatives() {
    return count - count / 2;
  }
}
