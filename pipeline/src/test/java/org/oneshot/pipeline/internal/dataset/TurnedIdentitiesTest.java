package org.oneshot.pipeline.internal.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;

class TurnedIdentitiesTest {
  // 3 wide, 2 high:  1 2 3
  //                  4 5 6
  private static final Image WIDE = Image.of(3, 2, 1, new byte[] {1, 2, 3, 4, 5, 6});

  @Test
  void turnsClockwiseByQuarters() {
    Image quarter = TurnedIdentities.turn(WIDE, 1);
    assertEquals(2, quarter.width());
    assertEquals(3, quarter.height());
    // 4 1
    // 5 2
    // 6 3
    assertArrayEquals(new byte[] {4, 1, 5, 2, 6, 3}, quarter.toByteArray());
    assertArrayEquals(new byte[] {6, 5, 4, 3, 2, 1}, TurnedIdentities.turn(WIDE, 2).toByteArray());
    assertArrayEquals(new byte[] {3, 6, 2, 5, 1, 4}, TurnedIdentities.turn(WIDE, 3).toByteArray());
    assertArrayEquals(WIDE.toByteArray(), TurnedIdentities.turn(WIDE, 4).toByteArray());
  }

  @Test
  void keepsColourChannelsTogether() {
    Image rgb = Image.of(2, 1, 3, new byte[] {1, 2, 3, 4, 5, 6});
    // Turned a quarter, the left pixel goes on top.
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, TurnedIdentities.turn(rgb, 1).toByteArray());
    assertArrayEquals(new byte[] {4, 5, 6, 1, 2, 3}, TurnedIdentities.turn(rgb, 2).toByteArray());
  }

  @Test
  void addsThreeTurnedIdentitiesPerIdentityInNewGroups() throws IOException {
    LabelledDataset original = letters();

    LabelledDataset turned = TurnedIdentities.of(original, true, false);

    assertEquals(24, turned.samples().size());
    assertEquals(12, turned.identityCount());
    Map<String, List<Sample>> byIdentity = turned.byIdentity();
    assertEquals(2, byIdentity.get("Greek@90/character01").size());
    assertEquals(2, byIdentity.get("Latin@270/character01").size());
    Set<String> groups = new LinkedHashSet<>();
    byIdentity.keySet().forEach(id -> groups.add(AllPairsBatches.groupOf(id)));
    assertEquals(
        List.of(
            "Greek",
            "Latin",
            "Greek@90",
            "Latin@90",
            "Greek@180",
            "Latin@180",
            "Greek@270",
            "Latin@270"),
        List.copyOf(groups));

    // The originals load as they are, the turned copies turned.
    assertArrayEquals(WIDE.toByteArray(), turned.load(original.samples().get(0)).toByteArray());
    Sample half = byIdentity.get("Greek@180/character02").get(1);
    assertEquals("Greek/character02/b.png@180", half.location());
    assertArrayEquals(new byte[] {6, 5, 4, 3, 2, 1}, turned.load(half).toByteArray());
  }

  @Test
  void mirrorsLeftToRightKeepingColourChannelsTogether() {
    assertArrayEquals(new byte[] {3, 2, 1, 6, 5, 4}, TurnedIdentities.mirror(WIDE).toByteArray());
    Image rgb = Image.of(2, 1, 3, new byte[] {1, 2, 3, 4, 5, 6});
    assertArrayEquals(new byte[] {4, 5, 6, 1, 2, 3}, TurnedIdentities.mirror(rgb).toByteArray());
  }

  @Test
  void mirrorsEveryIdentityInEveryOrientationAsNewIdentities() throws IOException {
    LabelledDataset original = letters();

    LabelledDataset both = TurnedIdentities.of(original, true, true);

    // Eight orientations: upright, three turns, and the mirror image of each of the four.
    assertEquals(48, both.samples().size());
    assertEquals(24, both.identityCount());
    Map<String, List<Sample>> byIdentity = both.byIdentity();
    Set<String> groups = new LinkedHashSet<>();
    byIdentity.keySet().forEach(id -> groups.add(AllPairsBatches.groupOf(id)));
    assertEquals(16, groups.size());
    assertTrue(groups.containsAll(List.of("Greek@m0", "Latin@m90", "Greek@m270", "Latin@270")));
    // Mirrored first, then turned a quarter clockwise:  3 2 1  →  6 3
    //                                                   6 5 4     5 2
    //                                                             4 1
    Sample mirroredQuarter = byIdentity.get("Greek@m90/character01").get(0);
    assertEquals("Greek/character01/a.png@m90", mirroredQuarter.location());
    assertArrayEquals(new byte[] {6, 3, 5, 2, 4, 1}, both.load(mirroredQuarter).toByteArray());
    assertArrayEquals(
        new byte[] {3, 2, 1, 6, 5, 4},
        both.load(byIdentity.get("Latin@m0/character01").get(1)).toByteArray());

    // Mirrors alone: the upright mirror image only; neither: the dataset itself.
    LabelledDataset mirrored = TurnedIdentities.of(original, false, true);
    assertEquals(6, mirrored.identityCount());
    assertTrue(mirrored.byIdentity().containsKey("Greek@m0/character02"));
    assertSame(original, TurnedIdentities.of(original, false, false));
  }

  private static LabelledDataset letters() {
    List<Sample> samples = new ArrayList<>();
    for (String id : List.of("Greek/character01", "Greek/character02", "Latin/character01")) {
      samples.add(new Sample(id, id + "/a.png", Role.NEGATIVE));
      samples.add(new Sample(id, id + "/b.png", Role.NEGATIVE));
    }
    return new LabelledDataset("letters", samples, List.of(), sample -> WIDE);
  }

  @Test
  void namesIdentitiesWithoutAGroup() {
    assertEquals("@90/s1", TurnedIdentities.turnedIdentity("s1", "90"));
    assertEquals("a/b@m270/c", TurnedIdentities.turnedIdentity("a/b/c", "m270"));
  }
}
