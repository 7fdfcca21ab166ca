package org.oneshot.pipeline.internal.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.evaluation.PixelNetwork;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.image.ImageEncoder;

/** Each person's own threshold on AT&T faces, scored by raw pixels, in a real gallery folder. */
class PersonThresholdsTest {
  @TempDir Path dir;

  private final ImageDecoder decoder = new ImageDecoder();
  private final PixelNetwork network = new PixelNetwork();

  @Test
  void fitsThePersonAgainstTheOtherEnrolledPeopleAndRefitsOnlyWhenImagesChange()
      throws IOException {
    Gallery gallery = new Gallery(dir.resolve("gallery"));
    enrol(gallery, "s31", 1, 5);
    enrol(gallery, "s32", 1, 4);
    PersonThresholds thresholds = new PersonThresholds();
    List<Embedding> own = gallery.enrolled("s31", network).embeddings();
    // Four cohort faces are too few: the model's threshold applies.
    assertEquals(Optional.empty(), thresholds.of("s31", own, gallery, network, 0.5));

    enrol(gallery, "s32", 5, 5);
    Optional<PersonThresholds.Fit> fit = thresholds.of("s31", own, gallery, network, 0.5);
    assertEquals(5, fit.orElseThrow().images());
    assertEquals(5, fit.get().cohort());
    assertEquals("person's own: 5 images rehearsed against 5 cohort faces", fit.get().source());
    // The very threshold PersonThreshold fits to these scores.
    List<Embedding> cohort = gallery.enrolled("s32", network).embeddings();
    double[][] ownScores = new double[5][];
    for (int i = 0; i < 5; i++) {
      ownScores[i] = network.score(own.get(i), own);
    }
    List<double[]> cohortScores = new ArrayList<>();
    for (Embedding face : cohort) {
      cohortScores.add(network.score(face, own));
    }
    assertEquals(
        PersonThreshold.fit(ownScores, cohortScores, 0.5).getAsDouble(),
        fit.get().threshold(),
        1e-12);
    // Nothing changed: the fit is kept, also when the caller gathered the other people itself
    // (face:identify, once for every candidate); another verification threshold or cohort refits.
    assertSame(fit, thresholds.of("s31", own, gallery, network, 0.5));
    assertSame(fit, thresholds.of("s31", own, List.of(cohort), network, 0.5));
    assertEquals(List.of(cohort), PersonThresholds.others(gallery, "s31", network));
    assertNotSame(fit, thresholds.of("s31", own, gallery, network, 0.7));
    Optional<PersonThresholds.Fit> kept = thresholds.of("s31", own, gallery, network, 0.5);
    enrol(gallery, "s33", 1, 3);
    assertEquals(8, thresholds.of("s31", own, gallery, network, 0.5).orElseThrow().cohort());
    assertNotSame(kept, thresholds.of("s31", own, gallery, network, 0.7));
  }

  @Test
  void addsTheCohortFolderAndNamesItWhenItIsMissing() throws IOException {
    Gallery gallery = new Gallery(dir.resolve("gallery"));
    enrol(gallery, "s31", 1, 5);
    Path folder = dir.resolve("workspace/negative_grayed");
    Files.createDirectories(folder);
    for (int i = 1; i <= 6; i++) {
      Files.write(folder.resolve("lfw" + i + ".png"), ImageEncoder.png(image("s34", i)));
    }
    PersonThresholds thresholds = new PersonThresholds();
    thresholds.cohortFolder(folder.toString());
    List<Embedding> own = gallery.enrolled("s31", network).embeddings();
    PersonThresholds.Fit fit = thresholds.of("s31", own, gallery, network, 0.5).orElseThrow();
    assertEquals(6, fit.cohort()); // nobody else is enrolled: the folder alone
    // A person's own threshold separates their rehearsed attempts from the cohort's on AT&T.
    assertTrue(fit.threshold() > 0 && fit.threshold() < 1, "threshold " + fit.threshold());

    thresholds.cohortFolder(dir.resolve("nowhere").toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> thresholds.of("s31", own, gallery, network, 0.5));
    assertTrue(
        e.getMessage().contains(dir.resolve("nowhere").toString())
            && e.getMessage().contains("cohort.dir"),
        e.getMessage());
    thresholds.cohortFolder("");
    assertEquals(Optional.empty(), thresholds.of("s31", own, gallery, network, 0.5));
  }

  @Test
  void leavesSomeoneWithADamagedImageOutOfTheCohortAndGoesOn() throws IOException {
    Gallery gallery = new Gallery(dir.resolve("gallery"));
    enrol(gallery, "s31", 1, 5);
    enrol(gallery, "s32", 1, 5);
    enrol(gallery, "s33", 1, 5);
    Files.write(gallery.images("s33").get(0), new byte[] {1, 2, 3}); // not an image any more
    PersonThresholds thresholds = new PersonThresholds();
    List<Embedding> own = gallery.enrolled("s31", network).embeddings();
    assertEquals(5, thresholds.of("s31", own, gallery, network, 0.5).orElseThrow().cohort());
  }

  private void enrol(Gallery gallery, String person, int from, int to) throws IOException {
    for (int i = from; i <= to; i++) {
      gallery.add(person, image(person, i));
    }
  }

  private Image image(String person, int i) throws IOException {
    return decoder.decode(TestData.path("att_faces/" + person + "/" + i + ".pgm"));
  }
}
