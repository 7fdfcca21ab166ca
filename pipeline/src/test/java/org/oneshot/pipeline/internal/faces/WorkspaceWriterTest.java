package org.oneshot.pipeline.internal.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Role;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.WorkspaceLayout;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.dataset.WorkspaceWriter;
import org.oneshot.pipeline.internal.image.ImageDecoder;

class WorkspaceWriterTest {
  @TempDir Path temp;

  @Test
  void savesColourAndGreyCropsOwnerOnlyAndReadsThemBack() throws IOException {
    Path ws = temp.resolve("me/workspace");
    WorkspaceWriter writer = new WorkspaceWriter(ws);
    for (Role role : WorkspaceLayout.roles()) {
      for (WorkspaceVariant variant : WorkspaceVariant.values()) {
        Path folder = WorkspaceLayout.folder(ws, role, variant);
        assertTrue(Files.isDirectory(folder), folder.toString());
        assertEquals(
            "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
      }
    }
    Image face = Image.of(2, 2, 3, new byte[] {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120});
    FaceCrop crop = new FaceCrop(new FaceBox(0, 0, 2, 2, 1), face, face.toGray());
    Path saved = writer.save(Role.ANCHOR, "a1", crop);
    writer.save(Role.NEGATIVE, "Ariel_Sharon_0001", crop);
    assertEquals(ws.resolve("anchor_real/a1.png"), saved);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
    assertTrue(writer.exists(Role.ANCHOR, "a1"));
    assertEquals(1, writer.count(Role.ANCHOR));

    LabelledDataset real = new DatasetReader(new ImageDecoder(), 1).open(ws, WorkspaceVariant.REAL);
    assertEquals(face, real.load(real.samples().get(0)));
    assertEquals(
        List.of(WorkspaceLayout.USER, "negative:Ariel_Sharon"),
        real.byIdentity().keySet().stream().toList());
    LabelledDataset grey =
        new DatasetReader(new ImageDecoder(), 1).open(ws, WorkspaceVariant.GRAYED);
    assertEquals(face.toGray(), grey.load(grey.samples().get(0)));
  }

  @Test
  void namesCannotEscapeTheWorkspace() throws IOException {
    WorkspaceWriter writer = new WorkspaceWriter(temp);
    Image face = Image.of(1, 1, 1, new byte[] {1});
    FaceCrop crop = new FaceCrop(new FaceBox(0, 0, 1, 1, 1), face, face);
    assertThrows(IllegalArgumentException.class, () -> writer.save(Role.ANCHOR, "../x", crop));
    assertThrows(IllegalArgumentException.class, () -> writer.save(Role.ANCHOR, ".hidden", crop));
  }
}
