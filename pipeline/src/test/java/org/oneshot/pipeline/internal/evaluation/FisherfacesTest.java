package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class FisherfacesTest {
  private static final int PIXELS = 30;

  /**
   * Ten people whose images differ by person in two pixels only, by little, and within a person in
   * every pixel by much more (light, pose): raw pixels tell them apart barely better than chance.
   */
  private static float[] image(int person, Random random) {
    float[] x = new float[PIXELS];
    for (int p = 0; p < PIXELS; p++) {
      x[p] = (float) (3 * random.nextGaussian());
    }
    x[4] = (float) (person + 0.1 * random.nextGaussian());
    x[9] = (float) ((person % 3) + 0.1 * random.nextGaussian());
    return x;
  }

  @Test
  void keepsWhatTellsPeopleApartAndDropsWhatVariesWithinOne() {
    Random random = new Random(3);
    List<float[]> pixels = new ArrayList<>();
    List<String> identities = new ArrayList<>();
    for (int person = 0; person < 10; person++) {
      for (int i = 0; i < 8; i++) {
        pixels.add(image(person, random));
        identities.add("p" + person);
      }
    }
    Fisherfaces fisherfaces = Fisherfaces.fit(pixels, identities);
    assertEquals(9, fisherfaces.dimension()); // one fewer than the people
    // Fresh images of the same people: nearest neighbour among one image per person.
    double projected = nearestNeighbour(200, random, p -> fisherfaces.project(image(p, random)));
    double raw = nearestNeighbour(200, random, p -> image(p, random));
    assertTrue(projected > 0.9, "Fisherfaces " + projected);
    assertTrue(raw < 0.4, "raw pixels " + raw);
  }

  /**
   * More people than {@link Fisherfaces#PCA_DIMENSIONS}, as LFW's 326 training people are: the
   * discriminant still finds a direction for each but one, where 100 principal axes allowed it only
   * 100.
   */
  @Test
  void keepsTwiceAsManyPrincipalAxesAsPeopleWhereThatIsMore() {
    assertEquals(Fisherfaces.PCA_DIMENSIONS, Fisherfaces.principalAxes(30));
    assertEquals(2 * 326, Fisherfaces.principalAxes(326));
    assertTrue(Fisherfaces.regularisation(326) > Fisherfaces.regularisation(50));
    Random random = new Random(5);
    int people = 130;
    int size = 400;
    List<float[]> pixels = new ArrayList<>();
    List<String> identities = new ArrayList<>();
    for (int person = 0; person < people; person++) {
      float[] centre = new float[size];
      for (int p = 0; p < size; p++) {
        centre[p] = (float) random.nextGaussian();
      }
      for (int i = 0; i < 3; i++) {
        float[] x = centre.clone();
        for (int p = 0; p < size; p++) {
          x[p] += (float) (0.5 * random.nextGaussian());
        }
        pixels.add(x);
        identities.add("p" + person);
      }
    }
    assertEquals(people - 1, Fisherfaces.fit(pixels, identities).dimension());
  }

  /**
   * Nearest neighbour's share right, over trials of one fresh image per person against a fresh
   * probe of one of them ({@code fresh} makes a person's image as the test views it).
   */
  private static double nearestNeighbour(int trials, Random random, IntFunction<float[]> fresh) {
    int right = 0;
    for (int t = 0; t < trials; t++) {
      List<float[]> gallery = new ArrayList<>();
      for (int person = 0; person < 10; person++) {
        gallery.add(fresh.apply(person));
      }
      int person = random.nextInt(10);
      float[] probe = fresh.apply(person);
      int best = -1;
      double bestDistance = Double.MAX_VALUE;
      for (int g = 0; g < gallery.size(); g++) {
        double d = 0;
        for (int k = 0; k < probe.length; k++) {
          double diff = probe[k] - gallery.get(g)[k];
          d += diff * diff;
        }
        if (d < bestDistance) {
          bestDistance = d;
          best = g;
        }
      }
      right += best == person ? 1 : 0;
    }
    return (double) right / trials;
  }

  @Test
  void imagesOnlyTheDiscriminantSeesTeachItWhatIsNotIdentity() {
    // In training each person is lit from one side (pixel 1's sign), which looks like identity;
    // fresh images come lit from either side. An image lit from the other side (as a mirror
    // image is) shows the discriminant that the side says nothing of the person.
    Random random = new Random(5);
    List<float[]> pixels = new ArrayList<>();
    List<String> identities = new ArrayList<>();
    for (int person = 0; person < 10; person++) {
      float side = person % 2 == 0 ? 1 : -1;
      for (int i = 0; i < 8; i++) {
        pixels.add(lit(person, side, random));
        identities.add("p" + person);
      }
    }
    List<float[]> otherSide = new ArrayList<>();
    for (float[] x : pixels) {
      float[] y = x.clone();
      y[1] = -y[1];
      otherSide.add(y);
    }
    Fisherfaces with = Fisherfaces.fit(pixels, identities, otherSide, identities);
    Fisherfaces without = Fisherfaces.fit(pixels, identities);
    // One image per person lit from one side, a probe from either.
    Random r1 = new Random(6);
    double withOtherSide =
        nearestNeighbour(300, r1, p -> with.project(lit(p, r1.nextBoolean() ? 1 : -1, r1)));
    Random r2 = new Random(6);
    double withoutOtherSide =
        nearestNeighbour(300, r2, p -> without.project(lit(p, r2.nextBoolean() ? 1 : -1, r2)));
    assertTrue(
        withOtherSide > withoutOtherSide + 0.2,
        "with the other side " + withOtherSide + ", without " + withoutOtherSide);
  }

  private static float[] lit(int person, float side, Random random) {
    float[] x = new float[PIXELS];
    for (int p = 0; p < PIXELS; p++) {
      x[p] = (float) random.nextGaussian();
    }
    x[0] = (float) (person + 0.1 * random.nextGaussian());
    x[1] = (float) (side * 5 + 0.1 * random.nextGaussian());
    return x;
  }

  @Test
  void refusesImagesThatAreAllAlike() {
    float[] face = {0.2f, 0.5f, 0.9f};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Fisherfaces.fit(
                    List.of(face, face.clone(), face.clone(), face.clone()),
                    List.of("a", "a", "b", "b")));
    assertTrue(e.getMessage().contains("do not vary"), e.getMessage());
    // Images that vary, but alike for both people (as mirror images of one face make them).
    float[] mirror = {0.9f, 0.5f, 0.2f};
    IllegalArgumentException same =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Fisherfaces.fit(
                    List.of(face, mirror, face.clone(), mirror.clone()),
                    List.of("a", "a", "b", "b")));
    assertTrue(same.getMessage().contains("do not differ"), same.getMessage());
  }

  @Test
  void refusesOnePersonAndImagesOfOtherSizes() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Fisherfaces.fit(List.of(new float[3], new float[3]), List.of("a", "a")));
    Fisherfaces f =
        Fisherfaces.fit(
            List.of(new float[] {0, 1}, new float[] {1, 0}, new float[] {0, 2}),
            List.of("a", "b", "a"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> f.project(new float[3]));
    assertTrue(e.getMessage().contains("3 values"), e.getMessage());
  }
}
