package org.oneshot.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    // The rest of the main job, in a third process: enrol one unseen person, verify two probes.
    String s35 = att + "/s35/";
    App.Result verified =
        App.command(
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
                + "5.pgm"
                + " ; face:verify --cropped --json "
                + temp.resolve("same.json")
                + " s35 "
                + s35
                + "10.pgm"
                + " ; face:verify --cropped --json "
                + temp.resolve("other.json")
                + " s35 "
                + att
                + "/s36/10.pgm ; face:backends");
    assertEquals(0, verified.exitCode(), verified.err());
    assertTrue(
        verified.out().contains("enrolled 5 faces of s35 (5 verification images in all)"),
        verified.out());
    JsonObject same = json(temp.resolve("same.json"));
    JsonObject other = json(temp.resolve("other.json"));
    assertEquals(5, same.getAsJsonArray("scores").size());
    assertEquals("model's validation pairs", same.get("detectionThresholdSource").getAsString());
    assertTrue(
        same.get("verified").isJsonPrimitive()
            && same.get("verified").getAsJsonPrimitive().isBoolean());
    // The same person scores higher against their own images than someone else does.
    assertTrue(
        same.get("meanScore").getAsDouble() > other.get("meanScore").getAsDouble(),
        same + " vs " + other);
    assertTrue(verified.out().contains("* djl"), verified.out());

    App.Result missing =
        App.command("face:eval --model " + temp.resolve("none.model") + " --data " + att);
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("none.model"), missing.err());
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
