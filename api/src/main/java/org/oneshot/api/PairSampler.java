package org.oneshot.api;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Draws labelled pairs from a dataset for training and evaluation. Thread-safe. */
@ConsumerType
public interface PairSampler {
  /** Service property naming the sampler, e.g. {@code default}. */
  String NAME = "sampler.name";

  /**
   * {@code request.count()} distinct pairs, balanced between labels, the same list for the same
   * dataset and seed. No unordered pair appears twice and no image is paired with itself.
   *
   * @throws IllegalArgumentException when the dataset cannot give that many distinct pairs of a
   *     label under the scheme; the message says how many it can give
   */
  List<LabelledPair> sample(LabelledDataset dataset, PairRequest request);

  /**
   * Splits {@code dataset} by identity, about {@code testFraction} of the identities to the test
   * side, chosen reproducibly from {@code seed}; no identity appears on both sides. In the seed's
   * workspace layout the user's anchors and positives stay together on the training side.
   */
  DatasetSplit splitByIdentity(LabelledDataset dataset, double testFraction, long seed);
}
