package org.oneshot.pipeline.internal.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path temp;

  @Test
  void followsLinkedFoldersAsDataTreesDoAndEndsLinkLoops() throws Exception {
    // A person's folder kept on another disk, linked into the tree; a link back to the tree.
    Path elsewhere = Files.createDirectories(temp.resolve("other disk/carla"));
    Files.write(elsewhere.resolve("1.jpg"), new byte[] {1});
    Path tree = Files.createDirectories(temp.resolve("tree"));
    Path anna = Files.createDirectories(tree.resolve("anna"));
    Files.write(anna.resolve("2.png"), new byte[] {1});
    Files.write(anna.resolve("10.png"), new byte[] {1});
    Files.write(anna.resolve("notes.txt"), new byte[] {1});
    Files.createDirectories(anna.resolve("folder.jpg"));
    Files.createSymbolicLink(tree.resolve("carla"), elsewhere);
    Files.createSymbolicLink(anna.resolve("loop"), tree);
    Files.createSymbolicLink(anna.resolve("gone.jpg"), temp.resolve("nothing here.jpg"));

    assertEquals(
        List.of(anna.resolve("2.png"), anna.resolve("10.png"), tree.resolve("carla/1.jpg")),
        ImageFiles.under(tree, 2));
    // Depth counts folders below the root, linked or not.
    assertEquals(List.of(), ImageFiles.under(tree, 1));
    assertEquals(List.of(anna.resolve("2.png")), ImageFiles.under(anna.resolve("2.png"), 1));
  }
}
