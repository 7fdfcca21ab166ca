package org.oneshot.api;

import java.util.Objects;

/**
 * One image from a {@link FrameSource}: its position in the stream ({@code index} from 0), when it
 * was taken ({@code timestampMillis}: wall clock for a camera, position for a video file, 0 where
 * unknown) and the id of the source it came from.
 */
public record Frame(Image image, long index, long timestampMillis, String sourceId) {
  public Frame {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(sourceId, "sourceId");
  }
}
