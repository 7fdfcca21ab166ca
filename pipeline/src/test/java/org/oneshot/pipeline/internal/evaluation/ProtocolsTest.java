package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.LabelledDataset;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.LfwPairs;
import org.oneshot.pipeline.internal.image.ImageDecoder;

/** The protocols on the shared data, scored by a network that is the pixel floor itself. */
class ProtocolsTest {
  @TempDir Path temp;

  @Test
  void omniglotRunsAreTwentyTwentyWayRunsAndThePixelNetworkMatchesTheFloor() throws IOException {
    ProtocolResult r =
        OmniglotRunsEvaluation.run(
            new PixelNetwork(),
            PixelNetwork.ARCH,
            TestData.path("omniglot/all_runs.zip"),
            new ImageDecoder());
    assertEquals(20, r.counts().get("runs"));
    assertEquals(400, r.counts().get("trials"));
    assertEquals(20, r.parts().size());
    assertEquals(20, r.parts().get(0).get("ways"));
    assertEquals(r.baseline().accuracy(), r.model().accuracy(), 1e-12);
    // Lake et al. report about 21.7% for pixel nearest neighbour; chance is 5%.
    assertTrue(
        r.baseline().accuracy() > 0.12 && r.baseline().accuracy() < 0.3,
        "pixel NN " + r.baseline().accuracy());
    assertTrue(r.baseline().standardError() > 0);
  }

  @Test
  void oneShotTrialsOnAttPeopleMatchTheFloorForThePixelNetworkAndBeatChance() throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset unseen =
        att.withIdentities(
            List.of("s31", "s32", "s33", "s34", "s35", "s36", "s37", "s38", "s39", "s40"));
    ProtocolResult r = OneShotEvaluation.run(new PixelNetwork(), PixelNetwork.ARCH, unseen, 0, 42);
    assertEquals(10, r.counts().get("ways")); // every person, as there are fewer than 20
    assertEquals(OneShotEvaluation.ROUNDS * 100, r.counts().get("trials"));
    assertEquals(r.baseline().accuracy(), r.model().accuracy(), 1e-12);
    assertEquals(r.baseline().auc(), r.model().auc(), 1e-12);
    // Chance is 0.1; raw pixels tell these ten people apart most of the time.
    assertTrue(r.baseline().accuracy() > 0.6, "pixel NN " + r.baseline().accuracy());
    // The same seed draws the same trials.
    assertEquals(
        r.model().accuracy(),
        OneShotEvaluation.run(new PixelNetwork(), PixelNetwork.ARCH, unseen, 0, 42)
            .model()
            .accuracy());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OneShotEvaluation.run(new PixelNetwork(), PixelNetwork.ARCH, unseen, 11, 42));
    assertTrue(e.getMessage().contains("11-way one-shot task needs 11 identities"), e.getMessage());
  }

  @Test
  void verificationEnrolsEachPersonAndDecidesEveryOtherImageWithTheirOwnThreshold()
      throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset unseen =
        att.withIdentities(
            List.of("s31", "s32", "s33", "s34", "s35", "s36", "s37", "s38", "s39", "s40"));
    // The pixel network's scores are probabilities of its own: a model threshold of 0.5.
    ProtocolResult r =
        VerificationEvaluation.run(
            new PixelNetwork(), PixelNetwork.ARCH, unseen, 5, 42, OptionalDouble.of(0.5));
    assertEquals(10, r.counts().get("identities"));
    assertEquals(50, r.counts().get("genuineAttempts")); // 5 of each person's 10 images
    assertEquals(900, r.counts().get("impostorAttempts")); // 10 people × 90 others' images
    assertEquals(3, r.parts().size()); // person's own, model's own, pixel floor
    // Raw pixels with a threshold fitted to each person tell them apart far above chance (0.5).
    assertTrue(r.baseline().accuracy() > 0.85, "pixel NN " + r.baseline().accuracy());
    assertTrue(r.model().accuracy() > 0.85, "pixel network " + r.model().accuracy());
    assertTrue(r.atModelThreshold() != null);
    assertEquals(0.5, r.atModelThreshold().threshold());
    // Rates are shares of their own kind of attempt; accuracy is their balanced mean.
    Map<String, Object> own = r.parts().get(0);
    assertEquals(
        1 - ((Double) own.get("falseAcceptRate") + (Double) own.get("falseRejectRate")) / 2,
        r.model().accuracy(),
        1e-12);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                VerificationEvaluation.run(
                    new PixelNetwork(), PixelNetwork.ARCH, unseen, 10, 42, OptionalDouble.empty()));
    assertTrue(e.getMessage().contains("more than 10 images"), e.getMessage());
  }

  @Test
  void lfwPairsCountsWhatThePartialSetCanScoreAndKeepsTheTenFolds() throws IOException {
    LfwPairs pairs = LfwPairs.read(TestData.path("lfw/protocol/pairs.txt"));
    Path images = TestData.path("lfw/images");
    ImageDecoder decoder = new ImageDecoder();
    ProtocolResult r =
        LfwPairsEvaluation.run(
            new PixelNetwork(),
            PixelNetwork.ARCH,
            pairs,
            images,
            decoder::decode,
            OptionalDouble.of(Double.NEGATIVE_INFINITY));
    int scored = (Integer) r.counts().get("pairsScored");
    // A threshold below every score accepts every pair: right exactly on the matched ones.
    assertEquals(1.0, r.atModelThreshold().falseAcceptRate());
    assertEquals(0.0, r.atModelThreshold().falseRejectRate());
    assertEquals(
        (Integer) r.counts().get("matched") / (double) scored,
        r.atModelThreshold().accuracy(),
        1e-12);
    assertEquals(6000, r.counts().get("pairsInProtocol"));
    assertEquals(6000 - scored, r.counts().get("pairsMissingImages"));
    assertTrue(scored > 100 && scored < 6000, "scored " + scored);
    assertEquals(10, r.parts().size());
    assertEquals(r.baseline().accuracy(), r.model().accuracy(), 1e-12);
    assertEquals(r.baseline().auc(), r.model().auc(), 1e-12);
  }

  @Test
  void aZipWithoutRunsIsRefusedByName() throws IOException {
    Path zip = temp.resolve("not-runs.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("readme.txt"));
      out.write("hello".getBytes());
    }
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                OmniglotRunsEvaluation.run(
                    new PixelNetwork(), PixelNetwork.ARCH, zip, new ImageDecoder()));
    assertTrue(e.getMessage().contains("not-runs.zip") && e.getMessage().contains("no runs"));
  }
}
