package org.oneshot.api;

/**
 * The part an image plays in the seed's workspace: the user's anchors and positives, and negatives
 * of other people. Images of an identity tree (LFW, AT&T, Omniglot) have no role.
 */
public enum Role {
  ANCHOR,
  POSITIVE,
  NEGATIVE,
  NONE
}
