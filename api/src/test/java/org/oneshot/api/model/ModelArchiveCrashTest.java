package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of saving a model: the file in place is always a whole model, the last one
 * completely saved or the one after it, never a mix or a torso.
 */
class ModelArchiveCrashTest {
  @TempDir Path temp;

  @Test
  void aProcessKilledWhileSavingLeavesAWholeModelInPlace() throws Exception {
    Path file = temp.resolve("crashing.model");
    Random random = new Random(7);
    for (int round = 0; round < 6; round++) {
      Process saver =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  SavingForever.class.getName(),
                  file.toString())
              .redirectErrorStream(true)
              .start();
      int lastSaved = 0;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(saver.getInputStream(), StandardCharsets.UTF_8))) {
        // Let it save a couple of versions, then kill it at a random point of the next ones.
        while (lastSaved < 2) {
          String line = out.readLine();
          assertTrue(line != null && line.startsWith("saved "), "the saver said: " + line);
          lastSaved = Integer.parseInt(line.substring(6));
        }
        Thread.sleep(random.nextInt(150));
      } finally {
        saver.destroyForcibly(); // SIGKILL: no finally blocks, no shutdown hooks
        assertTrue(saver.waitFor(30, TimeUnit.SECONDS));
      }
      ModelArchive.Contents contents = ModelArchive.read(file, "djl");
      int version = Integer.parseInt(contents.description().id().substring("version-".length()));
      // It may have saved more than it told us before dying; never less.
      assertTrue(
          version >= lastSaved,
          "round " + round + ": version " + version + " after " + lastSaved + " saved");
      byte[] weights = contents.weights();
      assertEquals(SavingForever.WEIGHT_BYTES, weights.length);
      for (byte b : weights) {
        assertEquals((byte) version, b, "weights of another version inside version " + version);
      }
    }
  }
}
