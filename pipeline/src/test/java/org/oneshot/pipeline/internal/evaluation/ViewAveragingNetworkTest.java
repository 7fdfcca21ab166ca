package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Preprocessor;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.image.ImageDecoder;

/**
 * Test-time views, with the pixel network: its embedding is the network input itself, so the
 * averaged embedding can be checked pixel by pixel.
 */
class ViewAveragingNetworkTest {
  private final ImageDecoder decoder = new ImageDecoder();

  private Image face(String file) throws IOException {
    return decoder.decode(TestData.path("att_faces/" + file));
  }

  @Test
  void oneViewIsTheNetworkItselfAndNoneIsRefused() {
    PixelNetwork pixels = new PixelNetwork();
    assertSame(pixels, ViewAveragingNetwork.of(pixels, 1, 42));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ViewAveragingNetwork.of(pixels, 0, 42));
    assertTrue(e.getMessage().contains("1 or more"), e.getMessage());
  }

  @Test
  void anEmbeddingIsTheMeanOfTheImageAndItsDistortedCopies() throws IOException {
    Image image = face("s31/1.pgm");
    long seed = 42;
    List<Embedding> averaged =
        ViewAveragingNetwork.of(new PixelNetwork(), 3, seed).embed(List.of(image));

    Random random = new Random(seed ^ image.hashCode());
    float[] expected = Preprocessor.toInput(image, PixelNetwork.ARCH);
    for (int v = 1; v < 3; v++) {
      float[] view =
          Preprocessor.toInput(
              ViewAveragingNetwork.distortedView(image, PixelNetwork.ARCH, random),
              PixelNetwork.ARCH);
      for (int k = 0; k < expected.length; k++) {
        expected[k] += view[k];
      }
    }
    float[] actual = averaged.get(0).toArray();
    float largestChange = 0;
    float[] original = Preprocessor.toInput(image, PixelNetwork.ARCH);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k] / 3, actual[k], 1e-6, "pixel " + k);
      largestChange = Math.max(largestChange, Math.abs(actual[k] - original[k]));
    }
    // The copies were distorted: some pixel moved by more than a tenth of the range.
    assertTrue(largestChange > 0.1, "largest change " + largestChange);
  }

  @Test
  void anImageGetsTheSameEmbeddingInAnyBatch() throws IOException {
    Image a = face("s31/1.pgm");
    Image b = face("s32/1.pgm");
    SiameseNetwork views = ViewAveragingNetwork.of(new PixelNetwork(), 4, 7);
    List<Embedding> ab = views.embed(List.of(a, b));
    List<Embedding> ba = views.embed(List.of(b, a));
    assertEquals(ab.get(0), ba.get(1));
    assertEquals(ab.get(1), ba.get(0));
    assertEquals(ab.get(0), views.embed(List.of(a)).get(0));
    assertNotEquals(
        ab.get(0), ViewAveragingNetwork.of(new PixelNetwork(), 4, 8).embed(List.of(a)).get(0));
  }

  @Test
  void aViewIsInputSizedAndResizingItAgainLeavesItAsItIs() throws IOException {
    Image face = face("s33/4.pgm");
    for (Architecture arch :
        List.of(
            PixelNetwork.ARCH,
            PixelNetwork.ARCH.with(Map.of("resize", "area")),
            PixelNetwork.ARCH.with(Map.of("input.channels", "3")))) {
      Image view = ViewAveragingNetwork.distortedView(face, arch, new Random(3));
      assertEquals(arch.inputWidth(), view.width());
      assertEquals(arch.inputHeight(), view.height());
      assertEquals(arch.channels(), view.channels());
      byte[] chw = Preprocessor.resize(view, arch);
      byte[] expected = new byte[chw.length];
      int plane = arch.inputWidth() * arch.inputHeight();
      byte[] hwc = view.toByteArray();
      for (int p = 0; p < plane; p++) {
        for (int ch = 0; ch < arch.channels(); ch++) {
          expected[ch * plane + p] = hwc[p * arch.channels() + ch];
        }
      }
      assertArrayEquals(expected, chw, arch.toMap().toString());
    }
  }

  @Test
  void thePixelFloorSeesTheImagesAsTheyAre() throws IOException {
    LabelledDataset unseen =
        new DatasetReader(decoder)
            .open(TestData.path("att_faces"))
            .withIdentities(List.of("s31", "s32", "s33", "s34", "s35", "s36"));
    ProtocolResult plain =
        OneShotEvaluation.run(new PixelNetwork(), PixelNetwork.ARCH, unseen, 0, 42);
    ProtocolResult viewed =
        OneShotEvaluation.run(
            ViewAveragingNetwork.of(new PixelNetwork(), 4, 42), PixelNetwork.ARCH, unseen, 0, 42);
    assertEquals(plain.baseline().accuracy(), viewed.baseline().accuracy(), 1e-12);
    assertEquals(plain.baseline().auc(), viewed.baseline().auc(), 1e-12);
    // The averaged embeddings are other scores: the model's AUC moves off the floor's.
    assertNotEquals(plain.model().auc(), viewed.model().auc());
  }
}
