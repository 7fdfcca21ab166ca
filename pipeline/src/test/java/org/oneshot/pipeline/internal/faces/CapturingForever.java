package org.oneshot.pipeline.internal.faces;

import java.nio.file.Path;
import java.util.Random;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;
import org.oneshot.api.Role;
import org.oneshot.pipeline.internal.dataset.WorkspaceWriter;

/**
 * A process that saves face crops into a capture workspace, as {@code face:capture} does, until it
 * is killed: the victim of {@link WorkspaceCrashTest}. Noisy 200×200 crops make each write long
 * enough to be cut.
 */
public final class CapturingForever {
  public static void main(String[] args) throws Exception {
    WorkspaceWriter writer = new WorkspaceWriter(Path.of(args[0]));
    Random random = new Random(1);
    byte[] pixels = new byte[200 * 200 * 3];
    for (int i = 1; ; i++) {
      random.nextBytes(pixels);
      Image face = Image.of(200, 200, 3, pixels);
      writer.save(
          Role.ANCHOR,
          String.format("%s-%06d", args[1], i),
          new FaceCrop(new FaceBox(0, 0, 200, 200, 1), face, face.toGray()));
      System.out.println("saved " + i);
    }
  }
}
