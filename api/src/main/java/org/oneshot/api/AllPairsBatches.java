package org.oneshot.api;

/**
 * Training on every pair within a batch instead of on listed pairs: each step embeds two images of
 * each of {@code identities} identities once and trains on all the pairs among them, one positive
 * per identity and the rest negatives, each kind weighing half of the loss. A step costs the tower
 * what {@code identities} listed pairs cost, but shows the head {@code identities × (2 × identities
 * − 1)} pairs.
 *
 * @param identities identities per step, at least 2
 * @param sameGroup whether the identities of a step come from one group (an identity's name up to
 *     its last '/': Omniglot's alphabet), so that its negatives are the hard, look-alike ones; a
 *     group with fewer identities is topped up from the others
 */
public record AllPairsBatches(int identities, boolean sameGroup) {
  public AllPairsBatches {
    if (identities < 2) {
      throw new IllegalArgumentException(
          "all-pairs batches need at least 2 identities per step: " + identities);
    }
  }

  /** The group of {@code identity}: its name up to the last '/', or "" when it has none. */
  public static String groupOf(String identity) {
    int slash = identity.lastIndexOf('/');
    return slash < 0 ? "" : identity.substring(0, slash);
  }
}
