package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;

class IdentityBatchesTest {
  private static Sample image(String identity, int index) {
    return new Sample(identity, identity + "/" + index + ".png", Role.NONE);
  }

  /** Every positive pair of {@code identities}, each with {@code images} images. */
  private static List<LabelledPair> positives(List<String> identities, int images) {
    List<LabelledPair> pairs = new ArrayList<>();
    for (String id : identities) {
      for (int i = 0; i < images; i++) {
        for (int j = i + 1; j < images; j++) {
          pairs.add(new LabelledPair(image(id, i), image(id, j), 1));
        }
      }
    }
    return pairs;
  }

  @Test
  void everyPairAboveTheDiagonalCountsAndEachKindWeighsHalf() {
    IdentityBatches batches =
        new IdentityBatches(
            new AllPairsBatches(2, false), positives(List.of("a", "b"), 3), List.of());
    IdentityBatches.Batch batch =
        batches.pairsOf(List.of(image("a", 0), image("a", 1), image("b", 0), image("b", 2)));
    int n = 4;
    assertEquals(UpperTriangle.count(n), batch.weights().length, "the pairs i < j only");
    assertEquals(UpperTriangle.count(n), batch.labels().length);
    float positive = 0;
    float negative = 0;
    for (int k = 0; k < batch.weights().length; k++) {
      if (batch.labels()[k] == 1f) {
        positive += batch.weights()[k];
      } else {
        negative += batch.weights()[k];
      }
    }
    assertEquals(1f, batch.labels()[UpperTriangle.index(0, 1, n)], "a0-a1 is a positive");
    assertEquals(1f, batch.labels()[UpperTriangle.index(2, 3, n)], "b0-b2 is a positive");
    assertEquals(0f, batch.labels()[UpperTriangle.index(0, 2, n)], "a0-b0 is a negative");
    assertEquals(
        0.25f, batch.weights()[UpperTriangle.index(0, 1, n)], 1e-7f, "two positives: a quarter");
    assertEquals(
        0.125f, batch.weights()[UpperTriangle.index(0, 2, n)], 1e-7f, "four negatives: an eighth");
    assertEquals(0.5f, positive, 1e-6f);
    assertEquals(0.5f, negative, 1e-6f);
  }

  @Test
  void validationPairsAreNeverTrainedOn() {
    LabelledPair held = new LabelledPair(image("b", 2), image("a", 0), 0);
    IdentityBatches batches =
        new IdentityBatches(
            new AllPairsBatches(2, false), positives(List.of("a", "b"), 3), List.of(held));
    IdentityBatches.Batch batch =
        batches.pairsOf(List.of(image("a", 0), image("a", 1), image("b", 0), image("b", 2)));
    assertEquals(
        0f,
        batch.weights()[UpperTriangle.index(0, 3, 4)],
        "a0-b2 is a validation pair (in either order)");
    assertEquals(
        0.5f / 3,
        batch.weights()[UpperTriangle.index(0, 2, 4)],
        1e-7f,
        "the other three negatives share half");
  }

  @Test
  void stepsTakeTwoDifferentImagesOfEachIdentityAndSkipSingletons() {
    List<LabelledPair> training = new ArrayList<>(positives(List.of("a", "b", "c"), 4));
    training.add(new LabelledPair(image("a", 0), image("lonely", 0), 0));
    IdentityBatches batches =
        new IdentityBatches(new AllPairsBatches(5, false), training, List.of());
    assertEquals(3, batches.identitiesPerStep(), "only three identities have two images");
    Random random = new Random(3);
    for (int step = 0; step < 50; step++) {
      List<Sample> images = batches.next(random).images();
      assertEquals(6, images.size());
      Set<String> identities = new HashSet<>();
      for (int i = 0; i < images.size(); i += 2) {
        assertEquals(images.get(i).identity(), images.get(i + 1).identity());
        assertNotEquals(images.get(i), images.get(i + 1), "two different images");
        identities.add(images.get(i).identity());
      }
      assertEquals(Set.of("a", "b", "c"), identities);
    }
  }

  @Test
  void moreImagesEachGiveDistinctImagesAndMorePositivesWeighingHalf() {
    // c has only three images: it gives the three it has.
    List<LabelledPair> training = new ArrayList<>(positives(List.of("a", "b", "d"), 6));
    training.addAll(positives(List.of("c"), 3));
    IdentityBatches batches =
        new IdentityBatches(new AllPairsBatches(4, false, 4), training, List.of());
    assertEquals(16, batches.imagesPerStep());
    Random random = new Random(11);
    Set<Sample> seen = new HashSet<>();
    for (int step = 0; step < 50; step++) {
      IdentityBatches.Batch batch = batches.next(random);
      assertEquals(15, batch.size(), "four images of a, b and d, the three of c");
      Map<String, Set<Sample>> byIdentity = new HashMap<>();
      for (Sample s : batch.images()) {
        assertTrue(
            byIdentity.computeIfAbsent(s.identity(), k -> new HashSet<>()).add(s),
            "an image twice in one step: " + s);
      }
      assertEquals(Set.of("a", "b", "c", "d"), byIdentity.keySet());
      int positives = 0;
      float positiveWeight = 0;
      for (int k = 0; k < batch.labels().length; k++) {
        if (batch.labels()[k] == 1f) {
          positives++;
          positiveWeight += batch.weights()[k];
        }
      }
      assertEquals(3 * 6 + 3, positives, "six pairs in each four images, three in c's three");
      assertEquals(0.5f, positiveWeight, 1e-6f);
      seen.addAll(batch.images());
    }
    assertEquals(21, seen.size(), "every image of every identity is drawn in time");
    assertThrows(IllegalArgumentException.class, () -> new AllPairsBatches(4, false, 1));
  }

  @Test
  void twoImagesEachDrawAsTheyAlwaysDid() {
    // Seeded runs of the shipped recipes repeat those from before more images were possible: the
    // two-image draw is the old one, random number for random number.
    List<LabelledPair> training = positives(List.of("a", "b", "c", "d", "e"), 5);
    IdentityBatches batches =
        new IdentityBatches(new AllPairsBatches(3, false, 2), training, List.of());
    Random random = new Random(13);
    Random replay = new Random(13);
    for (int step = 0; step < 20; step++) {
      List<Sample> images = batches.next(random).images();
      List<String> order = new ArrayList<>(List.of("a", "b", "c", "d", "e"));
      java.util.Collections.shuffle(order, replay);
      for (int i = 0; i < 3; i++) {
        int a = replay.nextInt(5);
        int b = (a + 1 + replay.nextInt(4)) % 5;
        assertEquals(image(order.get(i), a), images.get(2 * i));
        assertEquals(image(order.get(i), b), images.get(2 * i + 1));
      }
    }
  }

  @Test
  void sameGroupStepsDrawTheirIdentitiesFromOneAlphabet() {
    List<String> ids = new ArrayList<>();
    for (String alphabet : List.of("Greek", "Latin", "Korean")) {
      for (int c = 0; c < 6; c++) {
        ids.add(alphabet + "/character" + c);
      }
    }
    List<LabelledPair> training = positives(ids, 3);
    IdentityBatches same = new IdentityBatches(new AllPairsBatches(4, true), training, List.of());
    IdentityBatches any = new IdentityBatches(new AllPairsBatches(4, false), training, List.of());
    Random random = new Random(5);
    int mixed = 0;
    for (int step = 0; step < 100; step++) {
      Set<String> groups = new HashSet<>();
      for (Sample s : same.next(random).images()) {
        groups.add(AllPairsBatches.groupOf(s.identity()));
      }
      assertEquals(1, groups.size(), "one alphabet per step: " + groups);
      Set<String> anyGroups = new HashSet<>();
      for (Sample s : any.next(random).images()) {
        anyGroups.add(AllPairsBatches.groupOf(s.identity()));
      }
      mixed += anyGroups.size() > 1 ? 1 : 0;
    }
    assertTrue(mixed > 80, "without sameGroup most steps mix alphabets: " + mixed);
  }

  @Test
  void aSmallGroupIsToppedUpFromTheOthers() {
    List<LabelledPair> training = positives(List.of("Tiny/x", "Big/a", "Big/b", "Big/c"), 2);
    IdentityBatches batches =
        new IdentityBatches(new AllPairsBatches(3, true), training, List.of());
    Random random = new Random(7);
    for (int step = 0; step < 20; step++) {
      assertEquals(6, batches.next(random).size(), "always three identities");
    }
  }

  @Test
  void fewerThanTwoUsableIdentitiesIsRefusedWithTheReason() {
    List<LabelledPair> training = positives(List.of("a"), 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new IdentityBatches(new AllPairsBatches(4, false), training, List.of()));
    assertTrue(e.getMessage().contains("two identities or more"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AllPairsBatches(1, false));
  }
}
