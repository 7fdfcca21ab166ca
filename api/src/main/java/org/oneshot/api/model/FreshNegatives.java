package org.oneshot.api.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.Sample;

/**
 * Re-draws the partner of every negative training pair: the first image stays, the second becomes
 * another image, of a different identity, from those the negative pairs use as partners. Thirty
 * people with ten images each give 43,500 different-person pairs but a balanced pool holds only
 * about 1,350 of them; re-drawing each epoch shows the network far more of them. Positive pairs
 * stay as they are (the pool already holds all or most of them), and no validation pair is drawn.
 */
final class FreshNegatives {
  private static final int TRIES = 20;

  private final List<Sample> partners;
  private final Set<List<Sample>> validation = new HashSet<>();

  FreshNegatives(List<LabelledPair> training, List<LabelledPair> validation) {
    Set<Sample> seconds = new LinkedHashSet<>();
    for (LabelledPair p : training) {
      if (!p.same()) {
        seconds.add(p.second());
      }
    }
    this.partners = new ArrayList<>(seconds);
    for (LabelledPair p : validation) {
      this.validation.add(List.of(p.first(), p.second()));
      this.validation.add(List.of(p.second(), p.first()));
    }
  }

  /** {@code training} with every negative pair's partner drawn anew; positives unchanged. */
  List<LabelledPair> redraw(List<LabelledPair> training, Random random) {
    List<LabelledPair> out = new ArrayList<>(training.size());
    for (LabelledPair p : training) {
      out.add(p.same() ? p : redraw(p, random));
    }
    return out;
  }

  private LabelledPair redraw(LabelledPair negative, Random random) {
    Sample first = negative.first();
    for (int i = 0; i < TRIES; i++) {
      Sample partner = partners.get(random.nextInt(partners.size()));
      if (!partner.identity().equals(first.identity())
          && !validation.contains(List.of(first, partner))) {
        return new LabelledPair(first, partner, 0);
      }
    }
    return negative; // an identity that is nearly all of the partners: keep the pair drawn first
  }
}
