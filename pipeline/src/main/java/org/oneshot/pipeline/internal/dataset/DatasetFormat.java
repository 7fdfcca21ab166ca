package org.oneshot.pipeline.internal.dataset;

/** The on-disk layouts oneshot reads. */
public enum DatasetFormat {
  /**
   * {@code ROOT/<identity>/<image>}, as LFW ({@code Name/Name_0001.jpg}) and AT&T ({@code
   * s1/1.pgm}).
   */
  IDENTITY_TREE,
  /**
   * An Omniglot zip: {@code <set>/<alphabet>/<character>/<image>.png}; the character is the
   * identity.
   */
  OMNIGLOT_ZIP,
  /** The seed's workspace: {@code anchor_real, anchor_grayed, positive_…, negative_…}. */
  WORKSPACE
}
