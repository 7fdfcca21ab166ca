package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;
import org.oneshot.api.model.Metrics;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.image.ImageDecoder;

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
    assertEquals(Fisherfaces.PCA_DIMENSIONS, Fisherfaces.principalAxes(30, 300));
    assertEquals(2 * 326, Fisherfaces.principalAxes(326, 2000));
    assertEquals(934 / 2, Fisherfaces.principalAxes(326, 934)); // half the images at most
    assertEquals(Fisherfaces.PCA_DIMENSIONS, Fisherfaces.principalAxes(326, 150));
    assertTrue(Fisherfaces.regularisation(467) > Fisherfaces.regularisation(100));
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
   * The point of the wider fit, on real faces: LFW's people with two images or more, every second
   * one held out, the others and every one-image person fitted (286 people), each face the middle
   * 110×110 of its photo, described by its local binary patterns. Held-out pairs are told apart
   * better by the wide fit than by the same descriptors in 100 axes with the old shrinkage: AUC
   * 0.813 against 0.799. Not so for the pixels of these crops, which are not aligned as the
   * detector's are: 0.738 against 0.744 at 64×64 (0.729 without the cap at half the images); on the
   * detector's crops the pixels gained too (numpy, 0.681 → 0.695).
   */
  @Test
  void aWideFitOfManyPeopleTellsNewPeopleApartBetter() throws IOException {
    Path lfw = TestData.path("lfw/images");
    List<float[]> fitted = new ArrayList<>();
    List<float[]> mirrors = new ArrayList<>();
    List<String> fittedIds = new ArrayList<>();
    List<float[]> heldOut = new ArrayList<>();
    List<String> heldOutIds = new ArrayList<>();
    List<Path> people;
    try (Stream<Path> dirs = Files.list(lfw)) {
      people = dirs.filter(Files::isDirectory).sorted().toList();
    }
    int withTwo = 0;
    ImageDecoder decoder = new ImageDecoder();
    for (Path person : people) {
      List<Path> files;
      try (Stream<Path> images = Files.list(person)) {
        files = images.sorted().toList();
      }
      boolean held = files.size() >= 2 && withTwo++ % 2 == 1;
      for (Path file : files) {
        Image face = decoder.decode(file).crop(new FaceBox(70, 70, 110, 110, 1));
        float[] grey = LocalBinaryPatterns.grey(face);
        float[] x = LocalBinaryPatterns.histograms(grey);
        float[] mirror =
            LocalBinaryPatterns.histograms(Vectors.flippedRows(grey, LocalBinaryPatterns.SIZE));
        String id = person.getFileName().toString();
        if (held) {
          heldOut.add(x);
          heldOutIds.add(id);
        } else {
          fitted.add(x);
          mirrors.add(mirror);
          fittedIds.add(id);
        }
      }
    }
    long fittedPeople = fittedIds.stream().distinct().count();
    assertTrue(fittedPeople > 50, fittedPeople + " people fitted");
    Fisherfaces wide = Fisherfaces.fit(fitted, fittedIds, mirrors, fittedIds);
    Fisherfaces narrow =
        Fisherfaces.fit(fitted, fittedIds, mirrors, fittedIds, Fisherfaces.PCA_DIMENSIONS, 1e-3);
    double wideAuc = heldOutAuc(wide, heldOut, heldOutIds);
    double narrowAuc = heldOutAuc(narrow, heldOut, heldOutIds);
    assertTrue(wideAuc > narrowAuc + 0.01, "wide " + wideAuc + ", narrow " + narrowAuc);
  }

  /** The AUC of the cosines of every pair of {@code faces}, same person against not. */
  private static double heldOutAuc(Fisherfaces fit, List<float[]> faces, List<String> ids) {
    List<float[]> projected = new ArrayList<>();
    for (float[] face : faces) {
      float[] p = fit.project(face);
      double norm = Math.sqrt(Vectors.dot(p, p));
      for (int i = 0; i < p.length; i++) {
        p[i] /= (float) norm;
      }
      projected.add(p);
    }
    int n = faces.size();
    double[] scores = new double[n * (n - 1) / 2];
    int[] labels = new int[scores.length];
    int at = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        scores[at] = Vectors.dot(projected.get(i), projected.get(j));
        labels[at++] = ids.get(i).equals(ids.get(j)) ? 1 : 0;
      }
    }
    return Metrics.rocAuc(scores, labels);
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
