package org.oneshot.pipeline.internal.faces;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;

/**
 * The seed's preparation of a face: the largest detected face, grown by a margin, cut out in colour
 * ({@code real}) and in grey ({@code grayed}).
 */
public record FaceCrop(FaceBox box, Image real, Image grayed) {

  /** The crop of the largest of {@code faces}, or empty when there is none. */
  public static Optional<FaceCrop> largest(Image image, List<FaceBox> faces, double margin) {
    if (margin < 0) {
      throw new IllegalArgumentException("margin must not be negative: " + margin);
    }
    return faces.stream()
        .max(Comparator.comparingLong(FaceBox::area))
        .map(
            face -> {
              FaceBox grown = face.expand(margin);
              Image real = image.crop(grown);
              return new FaceCrop(grown, real, real.toGray());
            });
  }
}
