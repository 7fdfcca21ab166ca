package org.oneshot.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/** face:detect, face:capture and face:import-negatives from bin/oneshot on the shared data. */
class VisionIT {
  @TempDir Path temp;

  @BeforeAll
  static void loadOpenCv() {
    // Only to write a test video; this JVM runs no Felix (failsafe forks one JVM per class).
    System.load(Path.of(System.getProperty("oneshot.opencv.native")).toAbsolutePath().toString());
  }

  @Test
  void detectFindsExactlyOneFaceInEachOneFacePhoto() throws Exception {
    String[] photos = {
      "fixtures/debian-facedetect/grace_hopper_512x512.jpg",
      "fixtures/debian-opencv-doc/messi5.jpg",
      "fixtures/debian-python3-skimage/astronaut.png"
    };
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < photos.length; i++) {
      line.append("face:detect ")
          .append(App.data(photos[i]))
          .append(" --json ")
          .append(temp.resolve(i + ".json"));
      line.append(i == 0 ? " --out " + temp.resolve("annotated.png") + " ; " : " ; ");
    }
    App.Result r = App.command(line.toString());
    assertEquals(0, r.exitCode(), r.err());
    for (int i = 0; i < photos.length; i++) {
      JsonObject result = json(temp.resolve(i + ".json"));
      assertEquals(1, result.getAsJsonArray("faces").size(), photos[i] + ": " + result);
      assertEquals("haar", result.get("detector").getAsString());
    }
    assertTrue(Files.size(temp.resolve("annotated.png")) > 10_000);
  }

  @Test
  void haarFindsAFaceInAtLeast95PercentOfLfw() throws Exception {
    Path json = temp.resolve("lfw.json");
    App.Result r = App.command("face:detect " + App.data("lfw/images") + " --json " + json);
    assertEquals(0, r.exitCode(), r.err());
    JsonObject result = json(json);
    assertEquals(803, result.get("images").getAsInt());
    double rate = result.get("rate").getAsDouble();
    assertTrue(rate >= 0.95, "LFW detection rate " + rate);
    System.out.printf(
        "LFW detection: %d/803 = %.1f%%, %.1f ms/image%n",
        result.get("withFace").getAsInt(), 100 * rate, result.get("msPerImage").getAsDouble());
  }

  @Test
  void captureFromVideoAndImportNegativesFillTheSixFolders() throws Exception {
    Path video =
        writeVideo(Path.of(App.data("lfw/images/Ariel_Sharon")), temp.resolve("sharon.avi"));
    Path ws = temp.resolve("workspace");
    App.Result r =
        App.command(
            "face:capture --source video:"
                + video
                + " --as anchor --count 20 --workspace "
                + ws
                + " --json "
                + temp.resolve("anchor.json")
                + " ; face:capture --source video:"
                + video
                + " --as positive --count 20 --every 2"
                + " --workspace "
                + ws
                + " --json "
                + temp.resolve("positive.json")
                + " ; face:import-negatives "
                + App.data("lfw/images")
                + " --workspace "
                + ws
                + " --json "
                + temp.resolve("negative.json"));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("(anchor, haar)") && r.out().contains("(negative, haar)"), r.out());

    JsonObject anchor = json(temp.resolve("anchor.json"));
    assertEquals(20, anchor.get("saved").getAsInt());
    assertEquals(anchor.get("examined").getAsInt(), 20 + anchor.get("noFace").getAsInt());
    JsonObject positive = json(temp.resolve("positive.json"));
    assertEquals(20, positive.get("saved").getAsInt());
    JsonObject negative = json(temp.resolve("negative.json"));
    assertEquals(803, negative.get("images").getAsInt());
    assertEquals(803, negative.get("saved").getAsInt() + negative.get("noFace").getAsInt());
    assertTrue(negative.get("saved").getAsInt() >= 0.95 * 803, negative.toString());

    assertEquals(20, count(ws.resolve("anchor_real")));
    assertEquals(20, count(ws.resolve("anchor_grayed")));
    assertEquals(20, count(ws.resolve("positive_real")));
    assertEquals(20, count(ws.resolve("positive_grayed")));
    assertEquals(negative.get("saved").getAsInt(), count(ws.resolve("negative_real")));
    assertEquals(negative.get("saved").getAsInt(), count(ws.resolve("negative_grayed")));
    assertTrue(Files.exists(ws.resolve("negative_real/Ariel_Sharon_0001.png")));

    // The workspace is a dataset: the seed's anchor pairs sample from it.
    Path pairs = temp.resolve("pairs.json");
    App.Result sampled = App.command("face:pairs --data " + ws + " --count 200 --json " + pairs);
    assertEquals(0, sampled.exitCode(), sampled.err());
    assertEquals("anchor", json(pairs).get("scheme").getAsString());
    assertEquals(100, json(pairs).get("positives").getAsInt());

    // One user is no set of people to hold some out of: refused before any training.
    Path model = temp.resolve("ws.model");
    App.Result people =
        App.command("face:train --data " + ws + " --out " + model + " --validate-people 0.1");
    assertEquals(1, people.exitCode());
    assertTrue(people.err().contains(ws + " is a workspace of one user"), people.err());
    assertFalse(Files.exists(model));
  }

  @Test
  void badInputGetsAClearErrorNamingTheFile() throws Exception {
    Path fake = temp.resolve("fake.jpg");
    Files.writeString(fake, "not a picture");
    App.Result r = App.command("face:detect " + fake);
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains(fake + ": not a JPEG, PNG, BMP or PGM image"), r.err());

    App.Result missing =
        App.command(
            "face:capture --source video:"
                + temp.resolve("none.avi")
                + " --as anchor --workspace "
                + temp.resolve("ws"));
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("none.avi"), missing.err());

    App.Result camera =
        App.command("face:capture --source camera:9 --as anchor --workspace " + temp.resolve("ws"));
    assertEquals(1, camera.exitCode());
    assertTrue(camera.err().contains("camera:9: no camera"), camera.err());
  }

  private static Path writeVideo(Path folder, Path file) {
    File[] frames = folder.toFile().listFiles();
    Arrays.sort(frames);
    VideoWriter writer =
        new VideoWriter(
            file.toString(),
            Videoio.CAP_OPENCV_MJPEG,
            VideoWriter.fourcc('M', 'J', 'P', 'G'),
            10,
            new Size(250, 250),
            true);
    assertTrue(writer.isOpened());
    for (File frame : frames) {
      Mat image = Imgcodecs.imread(frame.getPath());
      writer.write(image);
      image.release();
    }
    writer.release();
    return file;
  }

  private static long count(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.toString().endsWith(".png")).count();
    }
  }

  private static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
