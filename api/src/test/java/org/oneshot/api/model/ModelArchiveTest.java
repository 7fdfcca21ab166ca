package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.ModelDescription;

class ModelArchiveTest {
  @TempDir Path temp;

  private final ModelDescription description =
      new ModelDescription(
          "id-1",
          "djl",
          "small",
          Presets.SMALL.toMap(),
          64,
          64,
          1,
          Presets.SMALL.parameterCount(),
          Map.of("training.epochs", "3"));

  @Test
  void writesOwnerOnlyAndReadsBackEverything() throws IOException {
    Path file = temp.resolve("m.model");
    ModelArchive.write(file, description, Presets.SMALL, out -> out.write(new byte[] {1, 2, 3}));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    ModelArchive.Contents contents = ModelArchive.read(file, "djl");
    assertEquals(Presets.SMALL, contents.architecture());
    assertArrayEquals(new byte[] {1, 2, 3}, contents.weights());
    assertEquals("3", contents.description().properties().get("training.epochs"));
    assertEquals("id-1", contents.description().id());
    assertEquals("djl", ModelArchive.backendOf(file));
  }

  @Test
  void aFailedWriteLeavesTheOldFileWhole() throws IOException {
    Path file = temp.resolve("m.model");
    ModelArchive.write(file, description, Presets.SMALL, out -> out.write(new byte[] {1}));
    byte[] before = Files.readAllBytes(file);
    assertThrows(
        IOException.class,
        () ->
            ModelArchive.write(
                file,
                description,
                Presets.SMALL,
                out -> {
                  throw new IOException("disk full");
                }));
    assertArrayEquals(before, Files.readAllBytes(file));
    try (var files = Files.list(temp)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void refusesOtherBackendsTruncatedAndForeignFiles() throws IOException {
    Path file = temp.resolve("m.model");
    ModelArchive.write(file, description, Presets.SMALL, out -> out.write(new byte[5000]));
    IOException other = assertThrows(IOException.class, () -> ModelArchive.read(file, "dl4j"));
    assertEquals(
        file + ": saved by the djl backend, not dl4j; load it with --backend djl",
        other.getMessage());

    byte[] bytes = Files.readAllBytes(file);
    Path cut = temp.resolve("cut.model");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 200));
    IOException truncated = assertThrows(IOException.class, () -> ModelArchive.read(cut, "djl"));
    assertTrue(truncated.getMessage().startsWith(cut + ": truncated"), truncated.getMessage());

    Path text = temp.resolve("notes.model");
    Files.writeString(text, "not a model");
    IOException foreign = assertThrows(IOException.class, () -> ModelArchive.read(text, "djl"));
    assertTrue(
        foreign.getMessage().startsWith(text + ": not a oneshot model file"), foreign.getMessage());
  }
}
