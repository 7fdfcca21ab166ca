package org.oneshot.pipeline.internal.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.image.ImageDecoder;

/**
 * kill -9 in the middle of {@code face:enrol --replace}: the person always keeps a whole set of
 * verification images — the last one completely saved, perhaps with part of the next — and every
 * image file in place decodes.
 */
class GalleryCrashTest {
  @TempDir Path temp;

  @Test
  void aProcessKilledWhileReplacingImagesNeverLeavesThePersonWithout() throws Exception {
    Path root = temp.resolve("gallery");
    Random random = new Random(11);
    // The victim's own temp folder: a face must never pass through a temp file, which a kill
    // would leave behind (ImageIO's disk cache did).
    Path jvmTemp = Files.createDirectories(temp.resolve("jvm-tmp"));
    ImageDecoder decoder = new ImageDecoder();
    for (int round = 0; round < 6; round++) {
      Process replacer =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Djava.io.tmpdir=" + jvmTemp,
                  "-cp",
                  System.getProperty("java.class.path"),
                  ReplacingForever.class.getName(),
                  root.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD) // its log
              .start();
      int lastReplaced = 0;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(replacer.getInputStream(), StandardCharsets.UTF_8))) {
        while (lastReplaced < 2) {
          String line = out.readLine();
          assertTrue(line != null && line.startsWith("replaced "), "the replacer said: " + line);
          lastReplaced = Integer.parseInt(line.substring(9));
        }
        Thread.sleep(random.nextInt(40));
      } finally {
        replacer.destroyForcibly(); // SIGKILL: no finally blocks, no shutdown hooks
        assertTrue(replacer.waitFor(30, TimeUnit.SECONDS));
      }
      try (var left = Files.list(jvmTemp)) {
        List<Path> files = left.toList();
        assertTrue(files.isEmpty(), "round " + round + ": the killed process left " + files);
      }
      Gallery gallery = new Gallery(root);
      List<Path> images = gallery.images(ReplacingForever.PERSON);
      // Images by the version they hold; a version's images are all alike.
      Map<Integer, Integer> versions = new TreeMap<>();
      for (Path file : images) {
        Image image = decoder.decode(file); // throws if a file in place is cut short
        int value = image.get(0, 0, 0) & 0xff;
        versions.merge(value, 1, Integer::sum);
      }
      int newestWhole =
          versions.entrySet().stream()
              .filter(e -> e.getValue() == ReplacingForever.IMAGES)
              .mapToInt(Map.Entry::getKey)
              .max()
              .orElse(-1);
      assertTrue(
          newestWhole >= lastReplaced % 250,
          "round " + round + ": images by version " + versions + " after " + lastReplaced);
      assertTrue(versions.size() <= 2, "more than two versions left: " + versions);
      // The next replace tidies up: one version, nothing temporary left beside it.
      gallery.replace(ReplacingForever.PERSON, List.of(ReplacingForever.crop(249)));
      try (var left = Files.list(root.resolve(ReplacingForever.PERSON))) {
        List<String> names = names(left.toList());
        assertEquals(1, names.size(), "after tidying up: " + names);
        assertTrue(names.get(0).matches("\\d{4}\\.png"), "after tidying up: " + names);
      }
    }
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(p -> p.getFileName().toString()).sorted().toList();
  }
}
