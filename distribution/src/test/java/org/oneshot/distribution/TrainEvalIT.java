package org.oneshot.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job: train from the shell, then evaluate after a restart of the application.
 */
class TrainEvalIT {
  @TempDir Path temp;

  @Test
  void trainThenEvaluateOnUnseenPeopleAfterARestart() throws Exception {
    String att = App.data("att_faces");
    Path model = temp.resolve("att.model");
    App.Result trained =
        App.command(
            "face:train --backend djl --data "
                + att
                + " --out "
                + model
                + " --preset small --epochs 2"
                + " --pairs 600 --holdout-match 's(3[1-9]|40)' --json "
                + temp.resolve("train.json"));
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(trained.out().contains("epoch 2/2"), trained.out());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(model)));
    JsonObject train = json(temp.resolve("train.json"));
    assertEquals(2, train.getAsJsonArray("epochs").size());
    assertEquals(30, train.get("identities").getAsInt());
    // Fisherfaces for fused scoring, fitted on the 300 images of the 30 people trained on.
    Path fisherfaces = temp.resolve("att.fisherfaces");
    assertEquals(fisherfaces.toString(), train.get("fisherfaces").getAsString());
    assertEquals(300, train.get("fisherfacesImages").getAsInt());
    // AT&T's whole frames: the face's middle tells its held-out people apart no better.
    assertEquals(
        "[\"PIXELS\",\"LOCAL_BINARY_PATTERNS\",\"LIGHT_NORMALISED_PATTERNS\"]",
        train.get("fisherfacesDescriptors").toString());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fisherfaces)));

    // A new process: the model comes back from the file alone.
    App.Result evaluated =
        App.command(
            "face:eval --model "
                + model
                + " --protocol pairs --data "
                + att
                + " --json "
                + temp.resolve("eval.json"));
    assertEquals(0, evaluated.exitCode(), evaluated.err());
    JsonObject eval = json(temp.resolve("eval.json"));
    assertEquals(10, eval.get("identities").getAsInt());
    assertEquals(30, eval.get("excludedIdentities").getAsInt());
    assertEquals(450, eval.get("positives").getAsInt());
    assertEquals(450, eval.get("negatives").getAsInt());
    double accuracy = eval.get("accuracy").getAsDouble();
    assertTrue(accuracy > 0 && accuracy <= 1, "accuracy " + accuracy);
    // The floor is independent of the model: nearest neighbour on raw pixels, about 0.86 here.
    double floor = eval.getAsJsonObject("baseline").get("accuracy").getAsDouble();
    assertTrue(floor > 0.8 && floor < 0.92, "pixel baseline " + floor);
    // What face:verify will do with these people: the model's own threshold, applied as it is.
    assertTrue(evaluated.out().contains("at its own threshold"), evaluated.out());
    // The head's figures, and a pointer to the scoring face:verify will use with this model.
    assertTrue(
        evaluated
            .out()
            .contains(
                "face:verify scores this model fused, with att.fisherfaces: --scoring fused"
                    + " measures that"),
        evaluated.out());
    JsonObject own = eval.getAsJsonObject("atModelThreshold");
    assertEquals(
        train.get("metrics.validationThreshold").getAsDouble(),
        own.get("threshold").getAsDouble(),
        1e-9);
    double falseAccepts = own.get("falseAcceptRate").getAsDouble();
    double falseRejects = own.get("falseRejectRate").getAsDouble();
    assertEquals(
        1 - (falseAccepts + falseRejects) / 2,
        own.get("accuracy").getAsDouble(),
        1e-9,
        "450 same and 450 different pairs");

    // The rest of the main job, in a third process: enrol one unseen person, verify two probes.
    String s35 = att + "/s35/";
    StringBuilder line =
        new StringBuilder(
            "face:enrol --replace --cropped s35 "
                + s35
                + "1.pgm "
                + s35
                + "2.pgm "
                + s35
                + "3.pgm "
                + s35
                + "4.pgm "
                + s35
                + "5.pgm");
    // Five held-back images of s35 and one image each of five other unseen people.
    for (int i = 6; i <= 10; i++) {
      line.append(" ; face:verify --cropped --json ")
          .append(temp.resolve("same" + i + ".json"))
          .append(" s35 ")
          .append(s35)
          .append(i)
          .append(".pgm");
      line.append(" ; face:verify --cropped --json ")
          .append(temp.resolve("other" + i + ".json"))
          .append(" s35 ")
          .append(att)
          .append("/s")
          .append(30 + i)
          .append("/10.pgm");
    }
    App.Result verified = App.command(line + " ; face:backends");
    assertEquals(0, verified.exitCode(), verified.err());
    // libtorch asks NNPACK for single-image convolutions outside oneDNN, and on CPUs NNPACK does
    // not know (AMD Zen 5) that printed a warning per layer per probe (DjlNetwork.twice).
    assertFalse(verified.err().contains("NNPACK"), verified.err());
    assertTrue(
        verified.out().contains("enrolled 5 faces of s35 (5 verification images in all)"),
        verified.out());
    double same = 0;
    double other = 0;
    for (int i = 6; i <= 10; i++) {
      JsonObject genuine = json(temp.resolve("same" + i + ".json"));
      assertEquals(5, genuine.getAsJsonArray("scores").size());
      // Scored fused by default, face:train having written the Fisherfaces beside the model: the
      // fused threshold, chosen on pairs whose people the Fisherfaces were not fitted on, their
      // scores normalised against cohorts of the other folds' images.
      assertEquals("fused", genuine.get("scoring").getAsString());
      assertTrue(
          genuine.get("model").getAsString().matches(".*\\+fisherfaces\\+lbp\\+tt@[0-9a-f]{12}"),
          genuine.toString());
      assertEquals(
          "fused scores of the training people's pairs in 5 folds, each fold's by Fisherfaces"
              + " fitted without its people, normalised (S-norm)",
          genuine.get("detectionThresholdSource").getAsString());
      assertTrue(genuine.getAsJsonPrimitive("verified").isBoolean());
      same += genuine.get("meanScore").getAsDouble();
      other += json(temp.resolve("other" + i + ".json")).get("meanScore").getAsDouble();
    }
    // Over 25 pairs each, s35 scores higher against their own images than others do.
    assertTrue(same > other, "genuine " + same / 5 + " vs impostor " + other / 5);
    assertTrue(verified.out().contains("* djl"), verified.out());

    // Verification scored by the network's head when asked: the enrolled images embedded again
    // under the network's own id, and the threshold its validation pairs chose.
    App.Result headVerified =
        App.command(
            "face:config org.oneshot.verification scoring=head ; face:verify --cropped --json "
                + temp.resolve("head-same.json")
                + " s35 "
                + s35
                + "6.pgm ; face:verify --cropped --json "
                + temp.resolve("head-other.json")
                + " s35 "
                + att
                + "/s40/10.pgm ; face:config --reset org.oneshot.verification");
    assertEquals(0, headVerified.exitCode(), headVerified.err());
    JsonObject headSame = json(temp.resolve("head-same.json"));
    JsonObject headOther = json(temp.resolve("head-other.json"));
    assertEquals("head", headSame.get("scoring").getAsString());
    assertFalse(headSame.get("model").getAsString().contains("+fisherfaces"), headSame.toString());
    assertEquals(
        "model's validation pairs", headSame.get("detectionThresholdSource").getAsString());
    assertTrue(
        headSame.get("meanScore").getAsDouble() > headOther.get("meanScore").getAsDouble(),
        headSame + " against " + headOther);
    // A model without its Fisherfaces is refused by name, and verification goes on by the head.
    Files.move(fisherfaces, temp.resolve("att.fisherfaces.away"));
    App.Result refusedFused =
        App.command(
            "face:config org.oneshot.verification scoring=fused ; face:verify --cropped s35 "
                + s35
                + "6.pgm");
    assertEquals(1, refusedFused.exitCode());
    assertTrue(refusedFused.err().contains(fisherfaces.toString()), refusedFused.err());
    // The default, auto, scores such a model by its head and says so.
    App.Result byHead =
        App.command(
            "face:config --reset org.oneshot.verification ; face:verify --cropped s35 "
                + s35
                + "6.pgm");
    assertEquals(0, byHead.exitCode(), byHead.err());
    assertTrue(byHead.out().contains("head scores"), byHead.out());
    assertTrue(byHead.out().contains("(model's validation pairs)"), byHead.out());
    Files.move(temp.resolve("att.fisherfaces.away"), fisherfaces);

    // Live verification over a folder of frames, with the annotated video; then other protocols.
    Path video = temp.resolve("live.avi");
    App.Result live =
        App.command(
            "face:live --source folder:"
                + att
                + "/s35 --person s35 --out "
                + video
                + " --json "
                + temp.resolve("live.json")
                + " ; face:eval --model "
                + model
                + " --protocol omniglot-runs --runs "
                + App.data("omniglot/all_runs.zip")
                + " --views 3 --json "
                + temp.resolve("omniglot.json")
                + " ; face:eval --model "
                + model
                + " --protocol verification --enrol 4 --data "
                + att
                + " --json "
                + temp.resolve("verification.json")
                + " ; face:eval --model "
                + model
                + " --ensemble "
                + model
                + " --data "
                + att
                + " --json "
                + temp.resolve("ensemble.json")
                + " ; face:eval --model "
                + model
                + " --protocol one-shot --ways 10 --scoring fused --data "
                + att
                + " --json "
                + temp.resolve("fused.json")
                + " ; face:eval --model "
                + model
                + " --protocol one-shot --ways 10 --scoring fisherfaces --data "
                + att
                + " --json "
                + temp.resolve("fisherfaces.json"));
    assertEquals(0, live.exitCode(), live.err());
    // Fisherfaces fitted on the 30 trained-on people's 300 images, never on s31–s40.
    JsonObject fused = json(temp.resolve("fused.json"));
    assertEquals("fused", fused.get("scoring").getAsString());
    assertEquals(300, fused.get("fisherfacesImages").getAsInt());
    assertEquals(30, fused.get("fisherfacesIdentities").getAsInt());
    assertEquals(10, fused.get("identities").getAsInt());
    // Raw pixels alone reach 0.82 on these trials; Fisherfaces fused with even this small,
    // briefly trained network rank far above chance (0.1).
    assertTrue(fused.get("accuracy").getAsDouble() > 0.6, fused.toString());
    // The fusion's classical half alone, on the same trials: the network's part weighed zero.
    JsonObject alone = json(temp.resolve("fisherfaces.json"));
    assertEquals("fisherfaces", alone.get("scoring").getAsString());
    assertEquals(
        fused.getAsJsonObject("baseline").get("accuracy").getAsDouble(),
        alone.getAsJsonObject("baseline").get("accuracy").getAsDouble(),
        1e-12);
    assertTrue(alone.get("accuracy").getAsDouble() > 0.6, alone.toString());
    assertNotEquals(fused.get("accuracy").getAsDouble(), alone.get("accuracy").getAsDouble());
    // face:eval scores with the Fisherfaces face:train saved, as verification does.
    assertTrue(
        live.out()
            .contains(
                "scoring fused with Fisherfaces of pixels, of local binary patterns and of local"
                    + " binary patterns after Tan-Triggs light normalisation fitted on 300 images of"
                    + " 30 trained-on people, read from "
                    + fisherfaces
                    + ", each face described with its mirror image and turned 0.1 radian either way,"
                    + " scores normalised against 300 fitted images (S-norm)"),
        live.out());
    App.Result unfused =
        App.command(
            "face:eval --model "
                + model
                + " --protocol omniglot-runs --scoring fused --runs "
                + App.data("omniglot/all_runs.zip"));
    assertEquals(1, unfused.exitCode());
    assertTrue(
        unfused.err().contains("protocols pairs, one-shot and verification only"), unfused.err());
    // Without the saved fit, the data must hold the training people to fit on.
    Files.move(fisherfaces, temp.resolve("att.fisherfaces.away"));
    unfused =
        App.command(
            "face:eval --model "
                + model
                + " --protocol one-shot --scoring fused --data "
                + App.data("omniglot/images_evaluation.zip"));
    assertEquals(1, unfused.exitCode());
    assertTrue(unfused.err().contains("this data holds 0 of them"), unfused.err());
    // face:refit fits them again on the people the model trained on, without training: from the
    // same data and seed, the very file face:train wrote.
    byte[] written = Files.readAllBytes(temp.resolve("att.fisherfaces.away"));
    App.Result refit = App.command("face:refit --model " + model + " --data " + att);
    assertEquals(0, refit.exitCode(), refit.err());
    assertTrue(refit.out().contains("refitted " + fisherfaces), refit.out());
    assertTrue(
        refit
            .out()
            .contains(
                "fitted on 300 images of 30 trained-on people, each face described with its mirror"
                    + " image and turned 0.1 radian either way, scores normalised against 300"
                    + " fitted images (S-norm)"),
        refit.out());
    assertTrue(refit.out().contains("before: none usable"), refit.out());
    assertArrayEquals(written, Files.readAllBytes(fisherfaces));
    assertEquals(
        PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(fisherfaces));
    // Data without those people: refused, naming the data, and the file left as it was.
    App.Result elsewhere =
        App.command(
            "face:refit --model "
                + model
                + " --data "
                + App.data("omniglot/images_evaluation.zip"));
    assertEquals(1, elsewhere.exitCode());
    assertTrue(elsewhere.err().contains("this data holds 0 of them"), elsewhere.err());
    assertArrayEquals(written, Files.readAllBytes(fisherfaces));
    // face:enrol and face:verify rehearsed on the ten unseen people: 4 images enrolled each, 6
    // genuine attempts each, and every other person's 10 images as impostor attempts.
    JsonObject verification = json(temp.resolve("verification.json"));
    assertEquals(60, verification.get("genuineAttempts").getAsInt());
    assertEquals(900, verification.get("impostorAttempts").getAsInt());
    JsonObject modelRule = verification.getAsJsonArray("rules").get(1).getAsJsonObject();
    assertEquals("model's own threshold", modelRule.get("rule").getAsString());
    assertEquals(
        train.get("metrics.validationThreshold").getAsDouble(),
        modelRule.get("threshold").getAsDouble(),
        1e-9);
    // Raw pixels with each person's own threshold: well above chance (0.5) on AT&T.
    double pixelFloor = verification.getAsJsonObject("baseline").get("accuracy").getAsDouble();
    assertTrue(pixelFloor > 0.8, "pixel floor " + pixelFloor);
    assertTrue(live.out().contains("person's own threshold     accuracy"), live.out());
    // A model in an ensemble with itself: the mean of equal probabilities, the same pairs.
    JsonObject ensemble = json(temp.resolve("ensemble.json"));
    assertEquals("small ×2", ensemble.get("preset").getAsString());
    assertEquals(accuracy, ensemble.get("accuracy").getAsDouble(), 1e-9);
    assertFalse(ensemble.has("atModelThreshold"), "no member's threshold is the ensemble's");
    // Writing the video prints nothing into the terminal (OpenCV probing its backends did).
    assertFalse(live.err().contains("OpenCV exception"), live.err());
    JsonObject frames = json(temp.resolve("live.json"));
    assertEquals(10, frames.get("frames").getAsInt());
    assertTrue(frames.get("framesWithFace").getAsInt() >= 5, frames.toString());
    assertTrue(frames.get("fps").getAsDouble() > 0);
    // AT&T's photos of one person, as frames: each frame after one with a face is searched around
    // that face first (Haar finds a face in 6 of the 10: frames 1, 7 and 8 follow one), and the
    // others whole.
    assertEquals(
        10,
        frames.get("wholeFrameSearches").getAsInt() + frames.get("regionSearches").getAsInt(),
        frames.toString());
    assertTrue(frames.get("regionSearches").getAsInt() >= 2, frames.toString());
    assertTrue(Files.size(video) > 10_000);
    JsonObject omniglot = json(temp.resolve("omniglot.json"));
    assertEquals(20, omniglot.getAsJsonArray("runs").size());
    assertEquals(3, omniglot.get("views").getAsInt()); // test-time views: image + 2 distorted
    assertTrue(live.out().contains("the mean of the image and 2 distorted copies"), live.out());
    assertTrue(Files.size(Path.of(omniglot.get("rocPng").getAsString())) > 1000);

    // The benchmark command runs end to end (figures are reported, never asserted: no timing
    // tests).
    App.Result bench =
        App.command(
            "face:bench --backend djl --steps 5 --warmup 1 --warmup-limit 3 --data "
                + att
                + " --frame "
                + App.data("fixtures/debian-facedetect/grace_hopper_512x512.jpg")
                + " --json "
                + temp.resolve("bench.json"));
    assertEquals(0, bench.exitCode(), bench.err());
    assertTrue(bench.out().contains("fp32 peak: "), bench.out());
    // The peak's clock is measured too (a virtual machine's cpuinfo gives a nominal one).
    assertTrue(json(temp.resolve("bench.json")).get("clockMeasuredGhz").getAsDouble() > 0);
    assertTrue(bench.out().contains("warm-up (at least 1 s"), bench.out());
    assertEquals(1, json(temp.resolve("bench.json")).get("warmupSeconds").getAsInt());
    assertEquals(3, json(temp.resolve("bench.json")).get("warmupLimitSeconds").getAsInt());
    // bin/oneshot keeps freed native memory for reuse, large blocks included (no GLIBC_TUNABLES of
    // the test's own).
    String allocator = json(temp.resolve("bench.json")).get("nativeAllocator").getAsString();
    assertTrue(allocator.contains("glibc.malloc.trim_threshold=1073741824"), allocator);
    assertTrue(allocator.contains("glibc.malloc.mmap_max=0"), allocator);
    assertTrue(allocator.contains("glibc.malloc.arena_max=1"), allocator);
    JsonObject b =
        json(temp.resolve("bench.json")).getAsJsonArray("backends").get(0).getAsJsonObject();
    assertEquals(3, b.getAsJsonArray("verify").size());
    // Verify under fused scoring, verification's default for a model with its Fisherfaces.
    JsonObject fusedVerify = b.getAsJsonObject("verifyFused");
    assertEquals(50, fusedVerify.get("enrolled").getAsInt(), fusedVerify.toString());
    assertEquals(400, fusedVerify.get("fittedImages").getAsInt(), fusedVerify.toString());
    assertTrue(fusedVerify.get("p50Ms").getAsDouble() > 0, fusedVerify.toString());
    assertTrue(fusedVerify.get("videoFramesPerSecond").getAsDouble() > 0, fusedVerify.toString());
    assertTrue(bench.out().contains("djl verify 50 fused"), bench.out());
    // The panning video: tracked as face:live does, the face is found in every frame, and it is
    // one that searching the whole frame (shrunk to 400 pixels, or at full size) finds too.
    assertEquals("60/60", b.get("videoFramesWithFace").getAsString());
    assertTrue(b.get("videoRegionSearches").getAsInt() >= 45, b.toString());
    assertTrue(b.get("videoTrackedAgreement").getAsDouble() >= 0.9, b.toString());
    assertEquals(400, b.get("videoDetectionWidth").getAsInt());
    assertEquals("60/60", b.get("videoWholeFramesWithFace").getAsString());
    assertEquals("60/60", b.get("videoFullSizeFramesWithFace").getAsString());
    assertTrue(json(temp.resolve("bench.json")).get("startToShellMs").getAsLong() > 0, bench.out());
    assertTrue(b.get("trainingPairsPerSecond").getAsDouble() > 0);
    assertTrue(b.get("allPairsTrainingPairsPerSecond").getAsDouble() > 0, b.toString());
    // The warm-up trained its minimum and stopped by its limit, not the default 180 s (the
    // margin: setting up the run and its last step; one DJL step of 32 pairs takes under a second).
    double warmed = b.get("warmupSeconds").getAsDouble();
    assertTrue(warmed >= 1 && warmed < 3 + 7, b.toString());
    assertFalse(b.getAsJsonArray("warmupWindowPairsPerSecond").isEmpty(), b.toString());
    assertFalse(b.getAsJsonArray("allPairsWarmupWindowPairsPerSecond").isEmpty(), b.toString());

    App.Result missing =
        App.command("face:eval --model " + temp.resolve("none.model") + " --data " + att);
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("none.model"), missing.err());
  }

  @Test
  void trainingGoesOnFromASavedModel() throws Exception {
    String att = App.data("att_faces");
    Path base = temp.resolve("base.model");
    Path tuned = temp.resolve("tuned.model");
    String people = " --pairs 1000 --holdout-match 's(3[1-9]|40)' --json ";
    App.Result trained =
        App.command(
            "face:train --backend djl --data "
                + att
                + " --out "
                + base
                + " --epochs 2"
                + people
                + temp.resolve("base.json")
                + " ; face:train --data "
                + att
                + " --out "
                + tuned
                + " --from "
                + base
                + " --epochs 1"
                + people
                + temp.resolve("tuned.json"));
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(trained.out().contains("training djl/small from " + base), trained.out());
    JsonObject first = json(temp.resolve("base.json"));
    JsonObject then = json(temp.resolve("tuned.json"));
    assertEquals(base.toString(), then.get("from").getAsString());
    assertEquals("djl", then.get("backend").getAsString()); // the file's backend, not asked for
    assertEquals("small", then.get("preset").getAsString());
    // The same seed, pairs and order: new weights would repeat the base's first epoch exactly.
    // Going on from the saved ones, the first epoch starts where the base ended.
    double fresh =
        first.getAsJsonArray("epochs").get(0).getAsJsonObject().get("trainLoss").getAsDouble();
    double goingOn =
        then.getAsJsonArray("epochs").get(0).getAsJsonObject().get("trainLoss").getAsDouble();
    assertTrue(goingOn < fresh - 0.05, "from the saved weights " + goingOn + ", new " + fresh);
    byte[] saved = Files.readAllBytes(base);

    App.Result refused =
        App.command(
            "face:train --data " + att + " --out " + tuned + " --from " + base + " --preset faces");
    assertEquals(1, refused.exitCode());
    assertTrue(
        refused.err().contains("--preset faces differs from " + base + "'s preset small"),
        refused.err());
    refused =
        App.command(
            "face:train --data " + att + " --out " + tuned + " --from " + base + " --set input=32");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("--set changes the architecture"), refused.err());
    Path missing = temp.resolve("missing.model");
    refused = App.command("face:train --data " + att + " --out " + tuned + " --from " + missing);
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains(missing + ": no such model file"), refused.err());
    assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(base)), "the base is untouched");

    // Going on with other people (s20–s30): the model has seen s1–s30 in all, and evaluation
    // leaves every one of them out, not only the last run's.
    Path again = temp.resolve("again.model");
    App.Result more =
        App.command(
            "face:train --data "
                + att
                + " --out "
                + again
                + " --from "
                + tuned
                + " --epochs 1 --pairs 300 --holdout-match 's(1?[1-9]|10|3[1-9]|40)'"
                + " ; face:eval --model "
                + again
                + " --protocol pairs --data "
                + att
                + " --json "
                + temp.resolve("again.json"));
    assertEquals(0, more.exitCode(), more.err());
    assertTrue(more.out().contains("11 people (29 held out)"), more.out());
    JsonObject unseen = json(temp.resolve("again.json"));
    assertEquals(30, unseen.get("excludedIdentities").getAsInt(), unseen.toString());
    assertEquals(10, unseen.get("identities").getAsInt());
    // Each earlier training stays on record, oldest first.
    assertEquals(stage(first) + "; " + stage(then), unseen.get("trainedEarlierOn").getAsString());
    assertTrue(more.out().contains(", after " + stage(first) + "; " + stage(then)), more.out());

    // DL4J goes on from its own saved weights too.
    Path dl4j = temp.resolve("dl4j.model");
    App.Result other =
        App.command(
            "face:train --backend dl4j --data "
                + att
                + " --out "
                + dl4j
                + " --epochs 1 --pairs 300 --holdout 0.25 ; face:train --data "
                + att
                + " --out "
                + temp.resolve("dl4j-tuned.model")
                + " --from "
                + dl4j
                + " --epochs 1 --pairs 300 --holdout 0.25 --json "
                + temp.resolve("dl4j.json"));
    assertEquals(0, other.exitCode(), other.err());
    assertTrue(other.out().contains("training dl4j/small from " + dl4j), other.out());
    JsonObject d = json(temp.resolve("dl4j.json"));
    assertEquals("dl4j", d.get("backend").getAsString());
    assertEquals(1, d.getAsJsonArray("epochs").size());
  }

  /** A training as the model file's {@code training.earlier} records it. */
  private static String stage(JsonObject trained) {
    return trained.get("training.data").getAsString()
        + " ("
        + trained.get("training.identities").getAsString()
        + " identities, "
        + trained.get("training.steps").getAsString()
        + " steps)";
  }

  @Test
  void pretrainingOnManyIdentitiesComesFirst() throws Exception {
    String att = App.data("att_faces");
    String omniglot = App.data("omniglot/images_background.zip");
    Path model = temp.resolve("pretrained.model");
    String then = " --epochs 1 --pairs 300 --holdout-match 's(3[1-9]|40)' --json ";
    App.Result trained =
        App.command(
            "face:train --data "
                + att
                + " --out "
                + model
                + " --pretrain "
                + omniglot
                + " --pretrain-pairs 1500"
                + then
                + temp.resolve("pretrained.json")
                + " ; face:train --data "
                + att
                + " --out "
                + temp.resolve("plain.model")
                + then
                + temp.resolve("plain.json")
                + " ; face:eval --model "
                + model
                + " --protocol pairs --data "
                + att
                + " --json "
                + temp.resolve("pretrained-eval.json"));
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(
        trained.out().contains("pretraining on " + omniglot + " first: 3856 identities"),
        trained.out());
    JsonObject pretrained = json(temp.resolve("pretrained.json"));
    JsonObject stage = pretrained.getAsJsonObject("pretrain");
    assertEquals(3856, stage.get("identities").getAsInt());
    assertTrue(stage.get("steps").getAsInt() > 0, stage.toString());
    // 43 steps of Omniglot already tell characters apart better than chance.
    assertTrue(stage.get("validationAccuracy").getAsDouble() > 0.6, stage.toString());
    // The model file keeps what the weights learnt from before AT&T.
    String earlier = omniglot + " (3856 identities, " + stage.get("steps").getAsInt() + " steps)";
    assertEquals(earlier, pretrained.get("training.earlier").getAsString());
    JsonObject plain = json(temp.resolve("plain.json"));
    assertTrue(
        plain.get("pretrain") == null || plain.get("pretrain").isJsonNull(), plain.toString());
    assertTrue(
        plain.get("training.earlier") == null || plain.get("training.earlier").isJsonNull(),
        plain.toString());
    // Same seed, pairs and order: only the starting weights differ, so the first epoch does too.
    double from =
        pretrained.getAsJsonArray("epochs").get(0).getAsJsonObject().get("trainLoss").getAsDouble();
    double fresh =
        plain.getAsJsonArray("epochs").get(0).getAsJsonObject().get("trainLoss").getAsDouble();
    assertTrue(Math.abs(from - fresh) > 1e-3, "pretrained " + from + ", new " + fresh);
    // The characters join the model's trained identities; AT&T's unseen people stay unseen.
    JsonObject unseen = json(temp.resolve("pretrained-eval.json"));
    assertEquals(10, unseen.get("identities").getAsInt(), unseen.toString());
    assertEquals(30, unseen.get("excludedIdentities").getAsInt(), unseen.toString());
    assertEquals(earlier, unseen.get("trainedEarlierOn").getAsString(), unseen.toString());
    assertTrue(trained.out().contains(", after " + earlier), trained.out());

    App.Result refused =
        App.command(
            "face:train --data "
                + att
                + " --out "
                + temp.resolve("x.model")
                + " --from "
                + model
                + " --pretrain "
                + omniglot);
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("give one of the two"), refused.err());
    Path empty = Files.createDirectories(temp.resolve("no-images"));
    refused =
        App.command(
            "face:train --data "
                + att
                + " --out "
                + temp.resolve("x.model")
                + " --pretrain "
                + empty);
    assertEquals(1, refused.exitCode());
    assertTrue(
        refused.err().contains(empty + ": no readable images to pretrain on"), refused.err());
    assertFalse(Files.exists(temp.resolve("x.model")), "nothing trained, nothing saved");
  }

  @Test
  void validationOnPeopleNeverTrainedOnChoosesTheThreshold() throws Exception {
    String att = App.data("att_faces");
    Path model = temp.resolve("people.model");
    App.Result trained =
        App.command(
            "face:train --backend djl --data "
                + att
                + " --out "
                + model
                + " --epochs 2 --pairs 600 --validate-people 0.1"
                + " --holdout-match 's(3[1-9]|40)' --json "
                + temp.resolve("train.json")
                + " ; face:eval --model "
                + model
                + " --data "
                + att
                + " --json "
                + temp.resolve("eval.json"));
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(
        trained.out().contains("validating on 3 people never trained on (270 pairs)"),
        trained.out());
    JsonObject train = json(temp.resolve("train.json"));
    assertEquals(27, train.get("identities").getAsInt());
    assertEquals(3, train.get("validationIdentities").getAsInt());
    // Every same-person pair of the three (3 × 45) and as many different-person pairs.
    assertEquals(270, train.get("training.validationPairs").getAsInt());
    // They chose the best epoch and the threshold: the model counts them as seen.
    assertEquals(30, train.get("training.identities").getAsInt());
    JsonObject eval = json(temp.resolve("eval.json"));
    assertEquals(10, eval.get("identities").getAsInt());
    assertEquals(30, eval.get("excludedIdentities").getAsInt());
    assertEquals(
        train.get("metrics.validationThreshold").getAsDouble(),
        eval.getAsJsonObject("atModelThreshold").get("threshold").getAsDouble(),
        1e-9);

    Path none = temp.resolve("none.model");
    App.Result refused =
        App.command(
            "face:train --data "
                + att
                + " --out "
                + none
                + " --validate-people 0.01 --holdout-match 's(3[1-9]|40)'");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("holds out 1 of 30 people"), refused.err());
    assertFalse(Files.exists(none));
  }

  @Test
  void stepsStopAtTheTimeLimitAndTheModelIsSaved() throws Exception {
    String att = App.data("att_faces");
    Path model = temp.resolve("limited.model");
    // 40 epochs of 1,800 pairs would take minutes; the limit stops the steps after 3 seconds.
    App.Result trained =
        App.command(
            "face:train --backend djl --data "
                + att
                + " --out "
                + model
                + " --epochs 40 --pairs 2000 --schedule cosine --time-limit 0.05"
                + " --holdout-match 's(3[1-9]|40)' --json "
                + temp.resolve("train.json"));
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(trained.out().contains("steps stop after 3 s (time limit)"), trained.out());
    assertTrue(
        trained.out().contains("or by the time limit, whichever comes first"), trained.out());
    assertTrue(trained.out().contains("(stopped at the time limit)"), trained.out());
    JsonObject train = json(temp.resolve("train.json"));
    assertTrue(train.get("training.timeLimitReached").getAsBoolean(), train.toString());
    assertEquals(3, train.get("training.timeLimitSeconds").getAsInt());
    long steps = train.get("training.steps").getAsLong();
    assertTrue(steps > 0 && steps < 40 * 1_800 / 32, train.toString());
    assertTrue(train.get("training.epochs").getAsInt() < 40, train.toString());
    assertTrue(Files.size(model) > 0);
  }

  @Test
  void trainsOnEveryPairWithinBatchesFromTheShell() throws Exception {
    String att = App.data("att_faces");
    Path model = temp.resolve("all-pairs.model");
    App.Result trained =
        App.command(
            "face:train --backend dl4j --data "
                + att
                + " --out "
                + model
                + " --epochs 1 --pairs 400 --all-pairs 12 --schedule cosine --turns on"
                + " --mirrors on"
                + " --holdout-match 's(3[1-9]|40)'"
                + " --json "
                + temp.resolve("train.json"));
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(
        trained.out().contains("every pair within batches of 12 people, two images each"),
        trained.out());
    JsonObject train = json(temp.resolve("train.json"));
    assertEquals(12, train.get("training.allPairs.identities").getAsInt());
    // --turns and --mirrors: the 30 training people in eight orientations (upright, turned three
    // ways, and the mirror image of each); the 10 held out stay as they are.
    assertTrue(train.get("turns").getAsBoolean());
    assertTrue(train.get("mirrors").getAsBoolean());
    assertEquals(240, train.get("identities").getAsInt());
    assertEquals(10, train.get("heldOutIdentities").getAsInt());
    assertTrue(trained.out().contains("240 people (10 held out)"), trained.out());
    assertEquals("cosine", train.get("training.schedule").getAsString());
    assertTrue(trained.out().contains("falling along half a cosine"), trained.out());
    assertTrue(Files.size(model) > 0);

    // More images of fewer people per step: four each, so six positives per person.
    App.Result fours =
        App.command(
            "face:train --data "
                + att
                + " --out "
                + model
                + " --epochs 1 --pairs 200 --all-pairs 6 --images-each 4"
                + " --holdout-match 's(3[1-9]|40)' --json "
                + temp.resolve("fours.json"));
    assertEquals(0, fours.exitCode(), fours.err());
    assertTrue(
        fours.out().contains("every pair within batches of 6 people, 4 images each"), fours.out());
    JsonObject foursJson = json(temp.resolve("fours.json"));
    assertEquals(6, foursJson.get("training.allPairs.identities").getAsInt());
    assertEquals(4, foursJson.get("training.allPairs.imagesEach").getAsInt());
    assertTrue(foursJson.get("training.steps").getAsInt() > 0, foursJson.toString());

    // The omniglot recipe's batches are 16 people x 4 images; batches the user sizes take two.
    App.Result recipe =
        App.command(
            "face:train --data "
                + att
                + " --out "
                + model
                + " --preset omniglot --turns off --epochs 1 --pairs 200"
                + " --holdout-match 's(3[1-9]|40)' --json "
                + temp.resolve("recipe.json"));
    assertEquals(0, recipe.exitCode(), recipe.err());
    assertTrue(
        recipe.out().contains("every pair within batches of 16 people of one group, 4 images each"),
        recipe.out());
    assertEquals(
        4, json(temp.resolve("recipe.json")).get("training.allPairs.imagesEach").getAsInt());
    App.Result sized =
        App.command(
            "face:train --data "
                + att
                + " --out "
                + model
                + " --preset omniglot --turns off --epochs 1 --pairs 200 --all-pairs 8"
                + " --holdout-match 's(3[1-9]|40)'");
    assertEquals(0, sized.exitCode(), sized.err());
    assertTrue(
        sized.out().contains("every pair within batches of 8 people, two images each"),
        sized.out());

    App.Result refused =
        App.command("face:train --data " + att + " --out " + model + " --images-each 4");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("--images-each needs all-pairs batches"), refused.err());
    refused =
        App.command(
            "face:train --data " + att + " --out " + model + " --all-pairs 6 --images-each 1");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("at least 2 images of each identity"), refused.err());
    // A negative count is refused too, not taken for "left out".
    refused =
        App.command(
            "face:train --data " + att + " --out " + model + " --all-pairs 6 --images-each -1");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("at least 2 images of each identity"), refused.err());
    refused = App.command("face:train --data " + att + " --out " + model + " --same-group");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("--same-group needs --all-pairs N"), refused.err());
    refused = App.command("face:train --data " + att + " --out " + model + " --schedule step");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("--schedule must be constant or cosine"), refused.err());
    refused = App.command("face:train --data " + att + " --out " + model + " --turns 90");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("--turns must be on or off"), refused.err());
    refused = App.command("face:train --data " + att + " --out " + model + " --mirrors yes");
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("--mirrors must be on or off"), refused.err());
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
