package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Sample;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class FusedScoringNetworkTest {
  private static final List<String> UNSEEN =
      List.of("s31", "s32", "s33", "s34", "s35", "s36", "s37", "s38", "s39", "s40");

  @Test
  void fisherfacesFittedOnTrainingPeopleLiftThePixelsOnUnseenPeople() throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    FusedScoringNetwork fused =
        FusedScoringNetwork.of(
            new PixelNetwork(),
            PixelNetwork.ARCH,
            att.filter(s -> !UNSEEN.contains(s.identity())),
            42);
    assertEquals(300, fused.fittedImages());
    assertEquals(30, fused.fittedIdentities());
    ProtocolResult r =
        OneShotEvaluation.run(fused, PixelNetwork.ARCH, att.withIdentities(UNSEEN), 10, 42);
    // The pixel network's cosine alone ranks about as the floor does (0.82 here); Fisherfaces
    // learned on s1–s30 add what tells faces apart.
    double floor = r.baseline().accuracy();
    assertTrue(
        r.model().accuracy() > floor + 0.03,
        "fused " + r.model().accuracy() + " against the floor's " + floor);
  }

  @Test
  void scoresAnEmbeddingOneAgainstItselfAndRefusesAnotherNetworks() throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset three = att.withIdentities(List.of("s1", "s2", "s3"));
    FusedScoringNetwork fused =
        FusedScoringNetwork.of(new PixelNetwork(), PixelNetwork.ARCH, three, 1);
    List<Image> images = new ArrayList<>();
    for (Sample s : three.byIdentity().get("s1")) {
      images.add(three.load(s));
    }
    List<Embedding> e = fused.embed(images.subList(0, 2));
    assertEquals(
        PixelNetwork.ARCH.inputWidth() * PixelNetwork.ARCH.inputHeight() + 2,
        e.get(0).dimension()); // the pixels, then two discriminant components for three people
    double[] scores = fused.score(e.get(0), e);
    assertEquals(1, scores[0], 1e-6);
    assertTrue(scores[1] < 1 && scores[1] >= 0, "score " + scores[1]);
    assertThrows(
        IllegalArgumentException.class,
        () -> fused.score(e.get(0), List.of(new Embedding("pixels", e.get(1).toArray()))));
  }
}
