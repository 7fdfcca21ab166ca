package org.oneshot.pipeline.internal.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oneshot.api.DatasetSplit;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairScheme;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.WorkspaceLayout;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class DefaultPairSamplerTest {
  private static LabelledDataset att;
  private final DefaultPairSampler sampler = new DefaultPairSampler();

  @BeforeAll
  static void readAtt() throws IOException {
    att = new DatasetReader(new ImageDecoder(), 2).open(TestData.path("att_faces"));
  }

  @Test
  void identityPairsAreBalancedAndLabelledByIdentity() {
    List<LabelledPair> pairs = sampler.sample(att, new PairRequest(PairScheme.IDENTITY, 1000, 7));
    assertEquals(1000, pairs.size());
    assertEquals(500, pairs.stream().filter(LabelledPair::same).count());
    for (LabelledPair p : pairs) {
      assertEquals(p.same(), p.first().identity().equals(p.second().identity()), p.toString());
      assertNotEquals(p.first(), p.second());
    }
    // Labels are shuffled together, not 500 positives then 500 negatives.
    long positivesInFirstHalf = pairs.subList(0, 500).stream().filter(LabelledPair::same).count();
    assertTrue(positivesInFirstHalf > 200 && positivesInFirstHalf < 300, "" + positivesInFirstHalf);
  }

  @Test
  void theSameSeedGivesTheSamePairsAndAnotherSeedOthers() {
    PairRequest request = new PairRequest(PairScheme.IDENTITY, 400, 11);
    assertEquals(sampler.sample(att, request), sampler.sample(att, request));
    assertNotEquals(
        sampler.sample(att, request),
        sampler.sample(att, new PairRequest(PairScheme.IDENTITY, 400, 12)));
  }

  @Test
  void noUnorderedPairRepeatsEvenWhenAllAreTaken() {
    // AT&T has 40 × C(10,2) = 1800 positive pairs: ask for every one of them.
    List<LabelledPair> pairs = sampler.sample(att, new PairRequest(PairScheme.IDENTITY, 3600, 3));
    assertEquals(pairs.size(), unordered(pairs).size());
    assertEquals(1800, pairs.stream().filter(LabelledPair::same).count());
  }

  @Test
  void askingForMorePairsThanExistIsAClearError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> sampler.sample(att, new PairRequest(PairScheme.IDENTITY, 3603, 3)));
    assertTrue(e.getMessage().contains("only 1800 distinct positive pairs"), e.getMessage());
    assertTrue(e.getMessage().contains("at most 3601"), e.getMessage());
  }

  @Test
  void pairSpacesEnumerateEveryPairExactlyOnce() {
    List<List<Sample>> groups = new ArrayList<>();
    int n = 0;
    for (int size : new int[] {3, 1, 0, 4, 2}) {
      List<Sample> group = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        group.add(new Sample("id" + groups.size(), "f" + n++, Role.NONE));
      }
      groups.add(group);
    }
    PairSpace within = PairSpace.withinGroups(groups);
    PairSpace across = PairSpace.acrossGroups(groups);
    assertEquals(3 + 0 + 0 + 6 + 1, within.size());
    assertEquals((10 * 10 - (9 + 1 + 16 + 4)) / 2, across.size());
    Set<Set<String>> seen = new HashSet<>();
    for (long i = 0; i < within.size(); i++) {
      Sample[] p = within.pair(i);
      assertEquals(p[0].identity(), p[1].identity());
      assertTrue(seen.add(Set.of(p[0].location(), p[1].location())));
    }
    for (long i = 0; i < across.size(); i++) {
      Sample[] p = across.pair(i);
      assertNotEquals(p[0].identity(), p[1].identity());
      assertTrue(seen.add(Set.of(p[0].location(), p[1].location())));
    }
    assertEquals(45, seen.size()); // C(10, 2): every pair of the 10 samples, once
  }

  @Test
  void floydDrawsDistinctIndicesUniformly() {
    int[] hits = new int[10];
    java.util.Random random = new java.util.Random(1);
    for (int round = 0; round < 20_000; round++) {
      long[] drawn = DefaultPairSampler.distinctIndices(10, 3, random);
      assertEquals(3, java.util.Arrays.stream(drawn).distinct().count());
      for (long d : drawn) {
        hits[(int) d]++;
      }
    }
    for (int h : hits) {
      assertEquals(6000, h, 300); // each index in 3/10 of rounds
    }
  }

  @Test
  void anchorSchemePairsAnchorsWithPositivesAndNegatives() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      samples.add(new Sample(WorkspaceLayout.USER, "anchor" + i, Role.ANCHOR));
      samples.add(new Sample(WorkspaceLayout.USER, "positive" + i, Role.POSITIVE));
      samples.add(new Sample("negative:" + i, "negative" + i, Role.NEGATIVE));
    }
    LabelledDataset ws = new LabelledDataset("ws", samples, List.of(), s -> null);
    List<LabelledPair> pairs = sampler.sample(ws, new PairRequest(PairScheme.ANCHOR, 50, 1));
    assertEquals(50, pairs.size());
    for (LabelledPair p : pairs) {
      assertEquals(Role.ANCHOR, p.first().role());
      assertEquals(p.same() ? Role.POSITIVE : Role.NEGATIVE, p.second().role());
    }
    assertEquals(50, unordered(pairs).size());
  }

  @Test
  void splitByIdentityKeepsEveryIdentityOnOneSide() {
    DatasetSplit split = sampler.splitByIdentity(att, 0.25, 5);
    Set<String> train = identities(split.train());
    Set<String> test = identities(split.test());
    assertEquals(30, train.size());
    assertEquals(10, test.size());
    assertTrue(train.stream().noneMatch(test::contains));
    assertEquals(400, split.train().samples().size() + split.test().samples().size());
    assertEquals(test, identities(sampler.splitByIdentity(att, 0.25, 5).test()));
    // Pairs sampled on each side stay on that side.
    for (LabelledPair p :
        sampler.sample(split.test(), new PairRequest(PairScheme.IDENTITY, 200, 1))) {
      assertTrue(test.contains(p.first().identity()) && test.contains(p.second().identity()));
    }
  }

  @Test
  void splitNeverMovesTheWorkspaceUser() {
    List<Sample> samples = new ArrayList<>();
    samples.add(new Sample(WorkspaceLayout.USER, "a", Role.ANCHOR));
    samples.add(new Sample(WorkspaceLayout.USER, "p", Role.POSITIVE));
    for (int i = 0; i < 9; i++) {
      samples.add(new Sample("negative:" + i, "n" + i, Role.NEGATIVE));
    }
    LabelledDataset ws = new LabelledDataset("ws", samples, List.of(), s -> null);
    for (long seed = 0; seed < 20; seed++) {
      DatasetSplit split = sampler.splitByIdentity(ws, 0.5, seed);
      assertTrue(identities(split.train()).contains(WorkspaceLayout.USER));
      assertEquals(5, identities(split.test()).size());
    }
  }

  private static Set<String> identities(LabelledDataset dataset) {
    return dataset.samples().stream().map(Sample::identity).collect(Collectors.toSet());
  }

  private static Set<Set<String>> unordered(List<LabelledPair> pairs) {
    return pairs.stream()
        .map(p -> Set.of(p.first().location(), p.second().location()))
        .collect(Collectors.toSet());
  }
}
