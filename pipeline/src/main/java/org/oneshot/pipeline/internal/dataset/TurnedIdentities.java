package org.oneshot.pipeline.internal.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Sample;

/**
 * More identities from the same images: each identity turned by 90°, 180° and 270°, mirrored, or
 * both (the mirror image in each of the four orientations) becomes new identities — four times as
 * many with the turns, twice with the mirrors, eight times with both. A character of an alphabet
 * turned on its side or mirrored is another character to tell apart (the class augmentation of the
 * Omniglot one-shot literature since Santoro et al. 2016); the identities of a group in one new
 * orientation form a new group ({@code Alphabet@90/character03}, mirrored {@code
 * Alphabet@m90/character03}), so batches drawn from one group keep one orientation. The pixels are
 * turned when loaded; nothing is written.
 */
public final class TurnedIdentities {
  /** Marks a turned sample's group and location, followed by the orientation. */
  static final String MARK = "@";

  private TurnedIdentities() {}

  /**
   * {@code dataset} with every identity also in the new orientations {@code turns} and {@code
   * mirrors} give (none: the dataset as it is), each orientation in new groups.
   */
  public static LabelledDataset of(LabelledDataset dataset, boolean turns, boolean mirrors) {
    List<Orientation> orientations = new ArrayList<>();
    for (boolean mirrored : mirrors ? List.of(false, true) : List.of(false)) {
      for (int quarters = 0; quarters < (turns ? 4 : 1); quarters++) {
        if (quarters > 0 || mirrored) {
          orientations.add(new Orientation(quarters, mirrored));
        }
      }
    }
    if (orientations.isEmpty()) {
      return dataset;
    }
    Map<Sample, Turned> sources = new ConcurrentHashMap<>();
    List<Sample> samples = new ArrayList<>(dataset.samples());
    for (Orientation orientation : orientations) {
      for (Sample s : dataset.samples()) {
        Sample turned =
            new Sample(
                turnedIdentity(s.identity(), orientation.label()),
                s.location() + MARK + orientation.label(),
                s.role());
        sources.put(turned, new Turned(s, orientation));
        samples.add(turned);
      }
    }
    return new LabelledDataset(
        dataset.name(),
        samples,
        dataset.unreadable(),
        sample -> {
          Turned source = sources.get(sample);
          return source == null
              ? dataset.load(sample)
              : source.orientation().apply(dataset.load(source.sample()));
        });
  }

  /**
   * {@code Alphabet/char} in the orientation labelled {@code 90}: {@code Alphabet@90/char}; no
   * group: {@code @90/char}.
   */
  static String turnedIdentity(String identity, String orientation) {
    int slash = identity.lastIndexOf('/');
    String group = slash < 0 ? "" : identity.substring(0, slash);
    String name = identity.substring(slash + 1);
    return group + MARK + orientation + "/" + name;
  }

  /** {@code image} turned clockwise by {@code quarters} right angles. */
  static Image turn(Image image, int quarters) {
    Image turned = image;
    for (int i = 0; i < Math.floorMod(quarters, 4); i++) {
      turned = quarterClockwise(turned);
    }
    return turned;
  }

  /** {@code image} mirrored left to right. */
  static Image mirror(Image image) {
    int w = image.width();
    int h = image.height();
    int c = image.channels();
    byte[] source = image.toByteArray();
    byte[] target = new byte[source.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(source, (y * w + x) * c, target, (y * w + w - 1 - x) * c, c);
      }
    }
    return Image.wrap(w, h, c, target);
  }

  private static Image quarterClockwise(Image image) {
    int w = image.width();
    int h = image.height();
    int c = image.channels();
    byte[] source = image.toByteArray();
    byte[] target = new byte[source.length];
    // The turned image is h wide and w high; its pixel (x, y) is the source's (y, h − 1 − x).
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < h; x++) {
        System.arraycopy(source, ((h - 1 - x) * w + y) * c, target, (y * h + x) * c, c);
      }
    }
    return Image.wrap(h, w, c, target);
  }

  /** Mirrored left to right first if {@code mirrored}, then turned clockwise by quarters. */
  private record Orientation(int quarters, boolean mirrored) {
    /** {@code 90}, or {@code m90} mirrored. */
    String label() {
      return (mirrored ? "m" : "") + quarters * 90;
    }

    Image apply(Image image) {
      return turn(mirrored ? mirror(image) : image, quarters);
    }
  }

  private record Turned(Sample sample, Orientation orientation) {}
}
