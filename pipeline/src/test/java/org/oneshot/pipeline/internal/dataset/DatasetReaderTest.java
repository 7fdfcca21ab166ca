package org.oneshot.pipeline.internal.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;
import org.oneshot.api.UnreadableFile;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class DatasetReaderTest {
  private final DatasetReader reader = new DatasetReader(new ImageDecoder(), 2);

  @TempDir Path temp;

  @Test
  void readsAttAsFortyPeopleOfTenImages() throws IOException {
    LabelledDataset att = reader.open(TestData.path("att_faces"));
    assertEquals(DatasetFormat.IDENTITY_TREE, DatasetReader.detect(TestData.path("att_faces")));
    assertEquals(400, att.samples().size());
    assertEquals(40, att.identityCount());
    assertTrue(att.byIdentity().values().stream().allMatch(images -> images.size() == 10));
    assertEquals(List.of(), att.unreadable());
    // Natural order: s1, s2, … s10; 1.pgm … 10.pgm.
    assertEquals("s1", att.samples().get(0).identity());
    assertTrue(att.samples().get(9).location().endsWith("s1/10.pgm"));
    assertEquals("s2", att.samples().get(10).identity());
    Image first = att.load(att.samples().get(0));
    assertEquals(92, first.width());
  }

  @Test
  void readsTheOmniglotBackgroundZipInPlace() throws IOException {
    Path zip = TestData.path("omniglot/images_background.zip");
    LabelledDataset omniglot = reader.open(zip);
    assertEquals(964, omniglot.identityCount());
    assertEquals(19280, omniglot.samples().size());
    assertTrue(omniglot.byIdentity().values().stream().allMatch(images -> images.size() == 20));
    Sample sample = omniglot.samples().get(0);
    assertEquals("Alphabet_of_the_Magi/character01", sample.identity());
    Image image = omniglot.load(sample);
    assertEquals(105, image.width());
    assertEquals(105, image.height());
    assertEquals(1, image.channels());
  }

  @Test
  void readsThePartialLfwTree() throws IOException {
    LabelledDataset lfw = reader.open(TestData.path("lfw/images"));
    assertEquals(336, lfw.identityCount());
    assertEquals(803, lfw.samples().size());
    long withTwoOrMore = lfw.byIdentity().values().stream().filter(s -> s.size() >= 2).count();
    assertEquals(101, withTwoOrMore);
  }

  @Test
  void skipsUnreadableFilesWithTheirNameAndReason() throws IOException {
    Path root = temp.resolve("tree");
    writePng(root.resolve("alice/1.png"), 8, 8);
    writePng(root.resolve("alice/2.png"), 8, 8);
    Files.writeString(root.resolve("alice/notes.txt"), "ignored: not an image name");
    Files.createDirectories(root.resolve("bob"));
    Files.writeString(root.resolve("bob/1.jpg"), "a text file named .jpg");
    Files.createFile(root.resolve("bob/2.png"));

    LabelledDataset dataset = reader.open(root);
    assertEquals(2, dataset.samples().size());
    assertEquals(1, dataset.identityCount());
    Map<String, String> reasons =
        dataset.unreadable().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    u -> Path.of(u.file()).getFileName().toString(), UnreadableFile::reason));
    assertEquals(
        Map.of("1.jpg", "not a JPEG, PNG, BMP or PGM image", "2.png", "empty file"), reasons);
  }

  @Test
  void looseImagesWithoutIdentityFoldersAreAClearError() throws IOException {
    writePng(temp.resolve("flat/a.png"), 4, 4);
    IOException e = assertThrows(IOException.class, () -> reader.open(temp.resolve("flat")));
    assertTrue(e.getMessage().contains("no identity folders"), e.getMessage());
  }

  @Test
  void missingDatasetIsAClearError() {
    IOException e = assertThrows(IOException.class, () -> reader.open(temp.resolve("nowhere")));
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
  }

  @Test
  void readsTheSeedWorkspaceWithRolesAndVariants() throws IOException {
    Path ws = temp.resolve("ws");
    for (String variant : List.of("real", "grayed")) {
      writePng(ws.resolve("anchor_" + variant + "/a1.png"), 8, 8);
      writePng(ws.resolve("anchor_" + variant + "/a2.png"), 8, 8);
      writePng(ws.resolve("positive_" + variant + "/p1.png"), 8, 8);
      writePng(ws.resolve("negative_" + variant + "/George_Bush_0001.png"), 8, 8);
      writePng(ws.resolve("negative_" + variant + "/George_Bush_0002.png"), 8, 8);
      writePng(ws.resolve("negative_" + variant + "/0b9c3f.png"), 8, 8);
    }
    assertEquals(DatasetFormat.WORKSPACE, DatasetReader.detect(ws));
    LabelledDataset real = reader.open(ws, WorkspaceVariant.REAL);
    assertEquals(6, real.samples().size());
    assertTrue(real.samples().stream().allMatch(s -> s.location().contains("_real")));
    assertEquals(2, real.samples().stream().filter(s -> s.role() == Role.ANCHOR).count());
    assertEquals(1, real.samples().stream().filter(s -> s.role() == Role.POSITIVE).count());
    assertEquals(
        List.of("negative:0b9c3f", "negative:George_Bush", WorkspaceLayout.USER),
        real.byIdentity().keySet().stream().sorted().toList());

    LabelledDataset grey = reader.open(ws, WorkspaceVariant.GRAYED);
    assertTrue(grey.samples().stream().allMatch(s -> s.location().contains("_grayed")));
  }

  @Test
  void aWorkspaceWithOnlyOneVariantFallsBackToIt() throws IOException {
    Path ws = temp.resolve("ws");
    writePng(ws.resolve("anchor_grayed/a1.png"), 8, 8);
    Files.createDirectories(ws.resolve("anchor_real"));
    LabelledDataset dataset = reader.open(ws, WorkspaceVariant.REAL);
    assertEquals(1, dataset.samples().size());
    assertTrue(dataset.name().endsWith("(grayed)"), dataset.name());
  }

  @Test
  void zipEntriesThatEscapeTheRootAreRefused() throws IOException {
    Path zip = temp.resolve("evil.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      putPng(out, "images_background/Alpha/character01/1.png");
      putPng(out, "images_background/Alpha/character01/2.png");
      putPng(out, "../../escape/Alpha/character01/3.png");
    }
    LabelledDataset dataset = reader.open(zip);
    assertEquals(2, dataset.samples().size());
    assertEquals(1, dataset.unreadable().size());
    assertEquals("entry escapes the archive root", dataset.unreadable().get(0).reason());
  }

  @Test
  void aFileThatIsNotAZipIsAClearError() throws IOException {
    Path zip = temp.resolve("fake.zip");
    Files.writeString(zip, "not a zip");
    IOException e = assertThrows(IOException.class, () -> reader.open(zip));
    assertTrue(e.getMessage().contains("fake.zip"), e.getMessage());
  }

  static void writePng(Path file, int width, int height) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 1, 0x336699);
    ImageIO.write(image, "png", file.toFile());
  }

  private static void putPng(ZipOutputStream out, String name) throws IOException {
    out.putNextEntry(new ZipEntry(name));
    BufferedImage image = new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_BINARY);
    ImageIO.write(image, "png", (OutputStream) out);
    out.closeEntry();
  }
}
