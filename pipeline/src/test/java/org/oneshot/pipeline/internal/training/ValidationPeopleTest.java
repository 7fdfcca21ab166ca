package org.oneshot.pipeline.internal.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;
import org.oneshot.pipeline.internal.sampling.DefaultPairSampler;

class ValidationPeopleTest {
  private final DefaultPairSampler sampler = new DefaultPairSampler();

  @Test
  void validatesOnEveryPairOfPeopleTheTrainingNeverSees() {
    LabelledDataset people = people(20, 4);

    ValidationPeople v = ValidationPeople.of(sampler, people, 0.1, 43);

    assertEquals(2, v.people().identityCount());
    assertEquals(18, v.train().identityCount());
    Set<String> held = v.people().byIdentity().keySet();
    for (String trained : v.train().byIdentity().keySet()) {
      assertFalse(held.contains(trained), trained + " both trains and validates");
    }
    // Every same-person pair of the two held-out people (2 × 6), and as many different-person ones.
    List<LabelledPair> pairs = v.pairs();
    assertEquals(24, pairs.size());
    assertEquals(12, pairs.stream().filter(p -> p.label() == 1).count());
    for (LabelledPair p : pairs) {
      assertTrue(
          held.contains(p.first().identity()) && held.contains(p.second().identity()), "" + p);
      assertEquals(p.label() == 1, p.first().identity().equals(p.second().identity()), "" + p);
    }
    // The model records the validation people as seen, so evaluation leaves them out too.
    LabelledDataset recorded = v.withPeople(v.train());
    assertEquals(20, recorded.identityCount());
    assertEquals(80, recorded.samples().size());
    assertEquals(new HashSet<>(people.samples()), new HashSet<>(recorded.samples()));
  }

  @Test
  void noneHoldsOutNobodyAndLeavesTheTrainingDataAsItIs() {
    LabelledDataset people = people(5, 3);
    ValidationPeople none = ValidationPeople.none(people);
    assertFalse(none.any());
    assertEquals(List.of(), none.pairs());
    assertEquals(people.samples(), none.train().samples());
    assertEquals(people.samples(), none.withPeople(people).samples());
    assertTrue(ValidationPeople.of(sampler, people(20, 4), 0.1, 43).any());
  }

  @Test
  void theSameSeedHoldsOutTheSamePeople() {
    LabelledDataset people = people(30, 10);
    assertEquals(
        ValidationPeople.of(sampler, people, 0.1, 7).people().byIdentity().keySet(),
        ValidationPeople.of(sampler, people, 0.1, 7).people().byIdentity().keySet());
  }

  @Test
  void tooFewPeopleToValidateOnAreRefusedWithTheCounts() {
    IllegalArgumentException one =
        assertThrows(
            IllegalArgumentException.class,
            () -> ValidationPeople.of(sampler, people(30, 10), 0.01, 1));
    assertEquals(
        "--validate-people 0.01 holds out 1 of 30 people, with 45 same-person pairs: validation"
            + " needs two people or more and one with two images",
        one.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ValidationPeople.of(sampler, people(30, 1), 0.2, 1),
        "no one with two images");
    assertThrows(
        IllegalArgumentException.class, () -> ValidationPeople.of(sampler, people(30, 10), 1, 1));
  }

  /** {@code count} people of {@code images} images each; their pixels are never read here. */
  private static LabelledDataset people(int count, int images) {
    List<Sample> samples = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      for (int i = 0; i < images; i++) {
        samples.add(new Sample("p" + p, "p" + p + "/" + i + ".png", Role.NONE));
      }
    }
    return new LabelledDataset(
        "people",
        samples,
        List.of(),
        s -> {
          throw new IOException("not read in this test: " + s.location());
        });
  }
}
