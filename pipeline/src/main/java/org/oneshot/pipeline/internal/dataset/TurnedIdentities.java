package org.oneshot.pipeline.internal.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Sample;

/**
 * More identities from the same images: each identity turned by 90°, 180° and 270° becomes three
 * new identities, four times as many in all. A character of an alphabet turned on its side is
 * another character to tell apart (the class augmentation of the Omniglot one-shot literature since
 * Santoro et al. 2016); the turned identities of a group form a new group ({@code
 * Alphabet@90/character03}), so batches drawn from one group keep one orientation. The pixels are
 * turned when loaded; nothing is written.
 */
public final class TurnedIdentities {
  /** Marks a turned sample's group and location, followed by the angle in degrees. */
  static final String MARK = "@";

  private TurnedIdentities() {}

  /** {@code dataset} with three turned copies of every identity, in new groups. */
  public static LabelledDataset of(LabelledDataset dataset) {
    Map<Sample, Turned> sources = new ConcurrentHashMap<>();
    List<Sample> samples = new ArrayList<>(dataset.samples());
    for (int quarters = 1; quarters <= 3; quarters++) {
      for (Sample s : dataset.samples()) {
        Sample turned =
            new Sample(
                turnedIdentity(s.identity(), quarters),
                s.location() + MARK + quarters * 90,
                s.role());
        sources.put(turned, new Turned(s, quarters));
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
              : turn(dataset.load(source.sample()), source.quarters());
        });
  }

  /**
   * {@code Alphabet/char} turned a quarter: {@code Alphabet@90/char}; no group: {@code @90/char}.
   */
  static String turnedIdentity(String identity, int quarters) {
    int slash = identity.lastIndexOf('/');
    String group = slash < 0 ? "" : identity.substring(0, slash);
    String name = identity.substring(slash + 1);
    return group + MARK + quarters * 90 + "/" + name;
  }

  /** {@code image} turned clockwise by {@code quarters} right angles. */
  static Image turn(Image image, int quarters) {
    Image turned = image;
    for (int i = 0; i < Math.floorMod(quarters, 4); i++) {
      turned = quarterClockwise(turned);
    }
    return turned;
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

  private record Turned(Sample sample, int quarters) {}
}
