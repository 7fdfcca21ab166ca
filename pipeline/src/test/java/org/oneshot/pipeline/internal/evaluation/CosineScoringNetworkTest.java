package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Embedding;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class CosineScoringNetworkTest {
  private final PixelNetwork pixels = new PixelNetwork();

  @Test
  void scoresByTheAngleBetweenEmbeddingsAndLeavesTheHeadForHead() {
    assertSame(pixels, CosineScoringNetwork.of(pixels, "head"));
    SiameseNetwork cosine = CosineScoringNetwork.of(pixels, "cosine");
    Embedding a = new Embedding("pixels", new float[] {1, 0, 1});
    Embedding scaled = new Embedding("pixels", new float[] {3, 0, 3});
    Embedding apart = new Embedding("pixels", new float[] {0, 2, 0});
    Embedding between = new Embedding("pixels", new float[] {1, 1, 0});
    assertArrayEquals(
        new double[] {1, 0, 0.5}, cosine.score(a, List.of(scaled, apart, between)), 1e-12);
    // The head (here: the pixel network's own score) tells a from its scaled copy; cosine not.
    assertTrue(pixels.score(a, List.of(scaled))[0] < 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> cosine.score(a, List.of(new Embedding("other", new float[] {1, 0, 1}))));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CosineScoringNetwork.of(pixels, "l3"));
    assertTrue(e.getMessage().contains("head or cosine"), e.getMessage());
  }

  @Test
  void rankingAttPeopleByTheAngleOfTheirPixelsBeatsChance() throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset unseen =
        att.withIdentities(
            List.of("s31", "s32", "s33", "s34", "s35", "s36", "s37", "s38", "s39", "s40"));
    ProtocolResult r =
        OneShotEvaluation.run(
            CosineScoringNetwork.of(pixels, "cosine"), PixelNetwork.ARCH, unseen, 10, 42);
    // Chance is 0.1; the angle between raw images ranks much as their distance does.
    assertTrue(r.model().accuracy() > 0.6, "cosine of pixels " + r.model().accuracy());
  }
}
