package org.oneshot.pipeline.internal.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.Role;
import org.oneshot.pipeline.internal.dataset.WorkspaceLayout;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.dataset.WorkspaceWriter;
import org.oneshot.pipeline.internal.image.ImageDecoder;

/**
 * kill -9 in the middle of a capture: every crop in place decodes, every colour crop has its grey
 * twin, and the next capture carries on beside what was saved.
 */
class WorkspaceCrashTest {
  @TempDir Path temp;

  @Test
  void aProcessKilledWhileCapturingLeavesOnlyWholeCropPairs() throws Exception {
    Path workspace = temp.resolve("workspace");
    Random random = new Random(5);
    // The victim's own temp folder: a face must never pass through a temp file, which a kill
    // would leave behind (ImageIO's disk cache did).
    Path jvmTemp = Files.createDirectories(temp.resolve("jvm-tmp"));
    ImageDecoder decoder = new ImageDecoder();
    // A kill lands between the two halves of a crop about one time in four: twelve rounds.
    for (int round = 0; round < 12; round++) {
      Process capturer =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Djava.io.tmpdir=" + jvmTemp,
                  "-cp",
                  System.getProperty("java.class.path"),
                  CapturingForever.class.getName(),
                  workspace.toString(),
                  "round" + round)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      int saved = 0;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(capturer.getInputStream(), StandardCharsets.UTF_8))) {
        while (saved < 2) {
          String line = out.readLine();
          assertTrue(line != null && line.startsWith("saved "), "the capturer said: " + line);
          saved = Integer.parseInt(line.substring(6));
        }
        Thread.sleep(random.nextInt(60));
      } finally {
        capturer.destroyForcibly(); // SIGKILL
        assertTrue(capturer.waitFor(30, TimeUnit.SECONDS));
      }
      try (var left = Files.list(jvmTemp)) {
        List<Path> files = left.toList();
        assertTrue(files.isEmpty(), "round " + round + ": the killed process left " + files);
      }
      List<String> real =
          pngs(WorkspaceLayout.folder(workspace, Role.ANCHOR, WorkspaceVariant.REAL));
      List<String> grey =
          pngs(WorkspaceLayout.folder(workspace, Role.ANCHOR, WorkspaceVariant.GRAYED));
      assertTrue(real.size() >= saved, "round " + round + ": " + real.size() + " < " + saved);
      assertTrue(grey.size() >= real.size());
      assertTrue(grey.containsAll(real), "a colour crop without its grey twin: " + real);
      // Only a crop being written when a round died can have its grey half alone.
      assertTrue(
          grey.size() - real.size() <= round + 1,
          grey.size() + " grey, " + real.size() + " colour");
      for (String name : grey) {
        decoder.decode(
            WorkspaceLayout.folder(workspace, Role.ANCHOR, WorkspaceVariant.GRAYED).resolve(name));
      }
      for (String name : real) {
        decoder.decode(
            WorkspaceLayout.folder(workspace, Role.ANCHOR, WorkspaceVariant.REAL).resolve(name));
      }
      assertEquals(real.size(), new WorkspaceWriter(workspace).count(Role.ANCHOR));
    }
  }

  private static List<String> pngs(Path folder) throws Exception {
    try (var files = Files.list(folder)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".png"))
          .sorted()
          .toList();
    }
  }
}
