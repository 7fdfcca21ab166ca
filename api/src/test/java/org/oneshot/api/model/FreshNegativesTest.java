package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;

class FreshNegativesTest {
  private static Sample image(int person, int index) {
    return new Sample("p" + person, "p" + person + "/" + index + ".pgm", Role.ANCHOR);
  }

  /** Ten people with four images: every positive pair and as many fixed negatives. */
  private static List<LabelledPair> pool(Random random) {
    List<LabelledPair> pairs = new ArrayList<>();
    for (int p = 0; p < 10; p++) {
      for (int i = 0; i < 4; i++) {
        for (int j = i + 1; j < 4; j++) {
          pairs.add(new LabelledPair(image(p, i), image(p, j), 1));
          int other = (p + 1 + random.nextInt(9)) % 10;
          pairs.add(new LabelledPair(image(p, i), image(other, random.nextInt(4)), 0));
        }
      }
    }
    return pairs;
  }

  @Test
  void negativesGetNewPartnersOfAnotherIdentityAndPositivesStay() {
    Random random = new Random(1);
    List<LabelledPair> training = pool(random);
    FreshNegatives fresh = new FreshNegatives(training, List.of());
    Set<LabelledPair> seen = new HashSet<>(training);
    List<LabelledPair> current = training;
    for (int epoch = 0; epoch < 5; epoch++) {
      List<LabelledPair> next = fresh.redraw(current, random);
      assertEquals(current.size(), next.size());
      for (int k = 0; k < next.size(); k++) {
        LabelledPair before = current.get(k);
        LabelledPair after = next.get(k);
        assertEquals(before.label(), after.label());
        assertEquals(before.first(), after.first(), "the first image stays");
        if (after.same()) {
          assertEquals(before, after);
        } else {
          assertNotEquals(after.first().identity(), after.second().identity());
        }
      }
      seen.addAll(next);
      current = next;
    }
    // 60 positives, and far more than the 60 negatives one draw holds.
    long negatives = seen.stream().filter(p -> !p.same()).count();
    assertTrue(negatives > 200, "distinct negatives over 6 epochs: " + negatives);
  }

  @Test
  void neverDrawsAValidationPair() {
    Random random = new Random(2);
    List<LabelledPair> training = pool(random);
    // Every pair of person 0's first image with person 1 is held out for validation.
    List<LabelledPair> validation = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      validation.add(new LabelledPair(image(1, i), image(0, 0), 0));
    }
    FreshNegatives fresh = new FreshNegatives(training, validation);
    for (int epoch = 0; epoch < 50; epoch++) {
      for (LabelledPair p : fresh.redraw(training, random)) {
        assertTrue(
            !(p.first().equals(image(0, 0)) && p.second().identity().equals("p1")),
            "drew validation pair " + p);
      }
    }
  }
}
