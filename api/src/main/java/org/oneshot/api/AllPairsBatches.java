package org.oneshot.api;

/**
 * Training on every pair within a batch instead of on listed pairs: each step embeds {@code
 * imagesEach} images (two unless asked) of each of {@code identities} identities once and trains on
 * all the pairs among them, positives within an identity and the rest negatives, each kind weighing
 * half of the loss. With two images each, a step costs the tower what {@code identities} listed
 * pairs cost, but shows the head {@code identities × (2 × identities − 1)} pairs.
 *
 * @param identities identities per step, at least 2
 * @param sameGroup whether the identities of a step come from one group (an identity's name up to
 *     its last '/': Omniglot's alphabet), so that its negatives are the hard, look-alike ones; a
 *     group with fewer identities is topped up from the others
 * @param imagesEach images of each identity per step, at least 2 (an identity with fewer gives all
 *     it has): more positives per step for the same tower work, with fewer identities
 */
public record AllPairsBatches(int identities, boolean sameGroup, int imagesEach) {
  public AllPairsBatches {
    if (identities < 2) {
      throw new IllegalArgumentException(
          "all-pairs batches need at least 2 identities per step: " + identities);
    }
    if (imagesEach < 2) {
      throw new IllegalArgumentException(
          "all-pairs batches need at least 2 images of each identity: " + imagesEach);
    }
  }

  /** Two images of each identity per step. */
  public AllPairsBatches(int identities, boolean sameGroup) {
    this(identities, sameGroup, 2);
  }

  /** Images per step at most: {@code identities × imagesEach}. */
  public int images() {
    return identities * imagesEach;
  }

  /** The group of {@code identity}: its name up to the last '/', or "" when it has none. */
  public static String groupOf(String identity) {
    int slash = identity.lastIndexOf('/');
    return slash < 0 ? "" : identity.substring(0, slash);
  }
}
