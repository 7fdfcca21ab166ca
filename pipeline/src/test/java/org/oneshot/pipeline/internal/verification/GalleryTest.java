package org.oneshot.pipeline.internal.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingListener;
import org.oneshot.api.TrainingSettings;

class GalleryTest {
  @TempDir Path dir;

  @Test
  void enrolsListsAndForgetsWithOwnerOnlyFiles() throws Exception {
    Gallery gallery = new Gallery(dir.resolve("gallery"));
    Path first = gallery.add("ada", face(10));
    gallery.add("ada", face(20));
    gallery.add("bob", face(30));
    assertEquals(List.of("ada", "bob"), gallery.people());
    assertEquals(2, gallery.images("ada").size());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent())));

    gallery.enrolled("ada", new PixelMean("m1")).embeddings();
    Gallery.Forgotten forgotten = gallery.forget("ada");
    assertEquals(2, forgotten.images());
    assertEquals(1, forgotten.embeddingCaches());
    assertEquals(List.of("bob"), gallery.people());
    assertFalse(Files.exists(dir.resolve("gallery/ada")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> gallery.images("ada"));
    assertTrue(e.getMessage().contains("enrolled: bob"), e.getMessage());
  }

  @Test
  void refusesNamesThatAreNotPlainFolderNames() {
    Gallery gallery = new Gallery(dir);
    for (String bad : List.of("..", "../x", "a/b", "", ".hidden", "-rf")) {
      assertThrows(IllegalArgumentException.class, () -> gallery.add(bad, face(1)), bad);
    }
  }

  @Test
  void embeddingsAreCachedPerModelAndRecomputedWhenTheModelOrTheImagesChange() throws Exception {
    Path root = dir.resolve("g");
    Gallery gallery = new Gallery(root);
    gallery.add("ada", face(10));
    gallery.add("ada", face(20));
    PixelMean m1 = new PixelMean("m1");
    List<Embedding> once = gallery.enrolled("ada", m1).embeddings();
    assertEquals(once, gallery.enrolled("ada", m1).embeddings());
    assertEquals(1, m1.calls.get(), "second call from memory");
    Gallery.Enrolled enrolled = gallery.enrolled("ada", m1);
    assertEquals(gallery.images("ada"), enrolled.images());
    assertEquals(20f, enrolled.embeddings().get(1).get(0), "0002.png, grey 20, is second");

    // A new application (a new Gallery) reads the cache file instead of embedding again.
    PixelMean m1Again = new PixelMean("m1");
    assertEquals(once, new Gallery(root).enrolled("ada", m1Again).embeddings());
    assertEquals(0, m1Again.calls.get());

    // Another model: recomputed, and the first model's cache file is gone.
    PixelMean m2 = new PixelMean("m2");
    assertEquals("m2", gallery.enrolled("ada", m2).embeddings().get(0).networkId());
    assertEquals(1, m2.calls.get());
    try (Stream<Path> files = Files.list(root.resolve("ada"))) {
      assertEquals(
          List.of(".embeddings-m2"),
          files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList());
    }

    // A new image: recomputed with three.
    gallery.add("ada", face(30));
    assertEquals(3, gallery.enrolled("ada", m2).embeddings().size());
    assertEquals(2, m2.calls.get());
  }

  @Test
  void aDamagedCacheIsRecomputedNotFatal() throws Exception {
    Gallery gallery = new Gallery(dir);
    gallery.add("ada", face(10));
    gallery.enrolled("ada", new PixelMean("m1")).embeddings();
    Files.write(dir.resolve("ada/.embeddings-m1"), new byte[] {1, 2, 3});
    PixelMean fresh = new PixelMean("m1");
    assertEquals(1, new Gallery(dir).enrolled("ada", fresh).embeddings().size());
    assertEquals(1, fresh.calls.get());
  }

  private static Image face(int grey) {
    byte[] pixels = new byte[16 * 16];
    java.util.Arrays.fill(pixels, (byte) grey);
    return Image.of(16, 16, 1, pixels);
  }

  /** A stand-in network whose embedding is the mean pixel, counting how often it embeds. */
  private static final class PixelMean implements SiameseNetwork {
    final String id;
    final AtomicInteger calls = new AtomicInteger();

    PixelMean(String id) {
      this.id = id;
    }

    @Override
    public ModelDescription describe() {
      return new ModelDescription(id, "test", "test", Map.of(), 16, 16, 1, 0, Map.of());
    }

    @Override
    public List<Embedding> embed(List<Image> images) {
      calls.incrementAndGet();
      List<Embedding> out = new ArrayList<>();
      for (Image image : images) {
        out.add(new Embedding(id, new float[] {image.get(0, 0, 0)}));
      }
      return out;
    }

    @Override
    public double[] score(Embedding probe, List<Embedding> references) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<ModelDescription> train(
        TrainingData data, TrainingSettings settings, TrainingListener listener) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void save(Path file) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
