package org.oneshot.api;

/** How a {@link PairSampler} forms pairs. */
public enum PairScheme {
  /** The seed's scheme: anchor × positive → 1, anchor × negative → 0 (needs a workspace). */
  ANCHOR,
  /** By identity: two images of the same identity → 1, of two different identities → 0. */
  IDENTITY
}
