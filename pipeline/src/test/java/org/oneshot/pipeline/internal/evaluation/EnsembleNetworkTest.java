package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class EnsembleNetworkTest {
  private final ImageDecoder decoder = new ImageDecoder();

  @Test
  void scoresThePairsAsTheMeanOfItsMembersProbabilities() throws IOException {
    PixelNetwork pixels = new PixelNetwork();
    SiameseNetwork cosine = CosineScoringNetwork.of(pixels, "cosine");
    assertSame(pixels, EnsembleNetwork.of(List.of(pixels)));
    SiameseNetwork ensemble = EnsembleNetwork.of(List.of(pixels, cosine));
    List<Image> faces = List.of(image("s31/1"), image("s31/2"), image("s32/1"));
    List<Embedding> joined = ensemble.embed(faces);
    List<Embedding> alone = pixels.embed(faces);
    // Each image: both members' embeddings one after the other.
    assertEquals(2 * alone.get(0).dimension(), joined.get(0).dimension());
    double[] expected = new double[2];
    double[] byPixels = pixels.score(alone.get(0), alone.subList(1, 3));
    double[] byCosine = cosine.score(alone.get(0), alone.subList(1, 3));
    for (int r = 0; r < 2; r++) {
      expected[r] = (byPixels[r] + byCosine[r]) / 2;
    }
    assertArrayEquals(expected, ensemble.score(joined.get(0), joined.subList(1, 3)), 1e-12);
    // Embeddings of one member alone are not the ensemble's.
    assertThrows(
        IllegalArgumentException.class, () -> ensemble.score(alone.get(0), alone.subList(1, 3)));
  }

  @Test
  void describesItselfWithoutAThresholdOfOneMember() {
    SiameseNetwork ensemble = EnsembleNetwork.of(List.of(new PixelNetwork(), new PixelNetwork()));
    assertFalse(ensemble.describe().properties().containsKey(TrainingLoop.THRESHOLD));
    assertEquals("small ×2", ensemble.describe().preset());
    assertThrows(
        IllegalStateException.class,
        () ->
            ensemble.score(
                new Embedding(ensemble.describe().id(), new float[4]),
                List.of(new Embedding(ensemble.describe().id(), new float[4]))));
  }

  private Image image(String name) throws IOException {
    return decoder.decode(TestData.path("att_faces/" + name + ".pgm"));
  }
}
