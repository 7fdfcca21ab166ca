package org.oneshot.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged application as a user does: {@code bin/oneshot -c '…'} in a new process. */
class LauncherIT {
  private static final Path APP = App.HOME;

  @TempDir Path temp;

  @Test
  void servicesRunsAndExitsZero() throws Exception {
    App.Result r = oneshot("-c", "face:services");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("PairSampler (sampler.name)"), r.out());
    assertTrue(r.out().contains("* default"), r.out());
  }

  @Test
  void aStartKeepsTheLogOfTheRunBeforeIt() throws Exception {
    String att = data("att_faces");
    App.Result first = oneshot("-c", "face:pairs --data " + att + " --count 10");
    assertEquals(0, first.exitCode(), first.err());
    App.Result second = oneshot("-c", "face:services");
    assertEquals(0, second.exitCode(), second.err());
    Path logs = APP.resolve("var/log");
    String before = Files.readString(logs.resolve("oneshot.log.1"));
    assertTrue(before.contains("read " + att), before);
    assertFalse(Files.readString(logs.resolve("oneshot.log")).contains("read " + att));
  }

  @Test
  void pairsOverAttWritesTheJsonTheIssueAsksFor() throws Exception {
    Path json = temp.resolve("p.json");
    App.Result r =
        oneshot(
            "-c",
            "face:pairs --data " + data("att_faces") + " --count 1000 --seed 7 --json " + json);
    assertEquals(0, r.exitCode(), r.err());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(40, o.get("identities").getAsInt());
    assertEquals(400, o.get("images").getAsInt());
    assertEquals(500, o.get("positives").getAsInt());
    assertEquals(500, o.get("negatives").getAsInt());
    assertEquals(0, o.getAsJsonArray("unreadable").size());
    assertEquals(1000, o.getAsJsonArray("pairs").size());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(json)));
  }

  @Test
  void pairsOverOmniglotZipAndLfwTreeWork() throws Exception {
    Path omniglot = temp.resolve("o.json");
    App.Result r =
        oneshot(
            "-c",
            "face:pairs --data "
                + data("omniglot/images_background.zip")
                + " --count 1000 --json "
                + omniglot
                + " ; face:pairs --data "
                + data("lfw/images")
                + " --count 1000");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject o = JsonParser.parseString(Files.readString(omniglot)).getAsJsonObject();
    assertEquals(964, o.get("identities").getAsInt());
    assertEquals(19280, o.get("images").getAsInt());
    assertTrue(r.out().contains("identities  336"), r.out());
    assertTrue(r.out().contains("images      803"), r.out());
  }

  @Test
  void aFolderOfBrokenFilesExitsNonZeroNamingThem() throws Exception {
    Path broken = temp.resolve("broken/person");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("a.jpg"), "not a picture");
    Files.createFile(broken.resolve("b.png"));
    App.Result r = oneshot("-c", "face:pairs --data " + broken.getParent());
    assertEquals(1, r.exitCode(), r.out());
    assertTrue(r.err().contains("a.jpg: not a JPEG, PNG, BMP or PGM image"), r.err());
    assertTrue(r.err().contains("b.png: empty file"), r.err());
  }

  @Test
  void gogoBuiltinsAndPipesWorkInACommandLine() throws Exception {
    App.Result r = oneshot("-c", "echo ready ; face:services | grep sampler.name");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("ready"), r.out());
    assertTrue(r.out().contains("PairSampler (sampler.name)"), r.out());
  }

  @Test
  void unknownCommandsAndBadArgumentsExitNonZero() throws Exception {
    assertEquals(1, oneshot("-c", "face:nonsense").exitCode());
    assertEquals(1, oneshot("-c", "face:pairs").exitCode());
    assertEquals(2, oneshot("--bogus").exitCode());
  }

  @Test
  void twoInstancesAtOnceBothSucceed() throws Exception {
    // The second finds the shared cache locked and runs on a private one.
    CompletableFuture<App.Result> first =
        CompletableFuture.supplyAsync(() -> quietly("face:services"));
    CompletableFuture<App.Result> second =
        CompletableFuture.supplyAsync(() -> quietly("face:services"));
    assertEquals(0, first.get().exitCode(), first.get().err());
    assertEquals(0, second.get().exitCode(), second.get().err());
  }

  @Test
  void theApiBundleImportsNoEngineOrVisionPackage() throws IOException {
    try (JarFile jar = new JarFile(APP.resolve("bundle/oneshot-api.jar").toFile())) {
      String imports = jar.getManifest().getMainAttributes().getValue("Import-Package");
      String exports = jar.getManifest().getMainAttributes().getValue("Export-Package");
      // 1.1.0: FrameSink/FrameWriter; model: DistanceHead, ROC, FLOP counts (minor: additions only)
      // 1.2.0: TrainingSettings.freshNegatives (a record component; the old constructor stays)
      // 1.3.0: Image.resizedByArea; model 1.2.0: Architecture.resize (bilinear or area)
      // 1.4.0: TrainingSettings.allPairs (AllPairsBatches); model 1.3.0: a network may train on
      // every pair within a batch (TrainingLoop.Network.trainStepAllPairs, a default method)
      // model 1.4.0: UpperTriangle; trainStepAllPairs' labels and weights hold the pairs i < j
      // only (they were n×n in 1.3.0, which no release carried)
      // 1.5.0: TrainingSettings.schedule (LearningRateSchedule; the 1.4 constructor stays)
      // 1.6.0: TrainingSettings.timeLimit (a Duration; the 1.5 constructor stays)
      // 1.7.0: AllPairsBatches.imagesEach (a record component; the 2-argument constructor stays)
      assertTrue(exports.startsWith("org.oneshot.api;version=\"1.7.0\""), exports);
      // model 1.5.0: Network.embedInputs and currentHead, so validation embeds each image once
      // model 1.6.0: Architecture.dropout (a record component; the 1.5 constructor stays)
      // model 1.7.0: TrainingLoop stops at the settings' time limit (Result.timeLimitReached)
      // model 2.0.0: TrainingLoop.recordSummary is gone (recordTraining keeps earlier trainings)
      // model 2.1.0: Metrics.bestProbabilityThreshold (the validation threshold on the logit scale)
      // model 2.2.0: Metrics.balanced(Probability)Threshold (each person's own threshold)
      assertTrue(exports.contains("org.oneshot.api.model;version=\"2.2.0\""), exports);
      for (String forbidden : List.of("org.opencv", "ai.djl", "org.nd4j", "org.deeplearning4j")) {
        assertFalse(imports.contains(forbidden), forbidden + " in " + imports);
      }
    }
  }

  private static App.Result quietly(String line) {
    try {
      return App.command(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static App.Result oneshot(String... args) throws Exception {
    return App.run(args);
  }

  private static String data(String relative) {
    return App.data(relative);
  }
}
