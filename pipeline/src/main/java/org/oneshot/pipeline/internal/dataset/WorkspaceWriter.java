package org.oneshot.pipeline.internal.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.oneshot.api.Role;
import org.oneshot.pipeline.internal.faces.FaceCrop;
import org.oneshot.pipeline.internal.image.ImageEncoder;
import org.oneshot.pipeline.internal.io.PrivateFiles;

/**
 * Saves face crops into the seed's workspace: the colour crop to {@code <role>_real/NAME.png} and
 * the grey crop to {@code <role>_grayed/NAME.png}, owner-only and atomically, lossless.
 */
public final class WorkspaceWriter {
  private final Path workspace;

  public WorkspaceWriter(Path workspace) throws IOException {
    this.workspace = workspace;
    for (Role role : WorkspaceLayout.roles()) {
      for (WorkspaceVariant variant : WorkspaceVariant.values()) {
        PrivateFiles.createDirectories(WorkspaceLayout.folder(workspace, role, variant));
      }
    }
  }

  public Path workspace() {
    return workspace;
  }

  /** Whether a crop called {@code name} is already saved for {@code role}. */
  public boolean exists(Role role, String name) {
    return Files.exists(file(role, WorkspaceVariant.REAL, name));
  }

  /** Saves both crops; returns the colour crop's path. */
  public Path save(Role role, String name, FaceCrop crop) throws IOException {
    Path real = file(role, WorkspaceVariant.REAL, name);
    // Grey first: a crash between the two leaves no colour crop without its grey twin.
    PrivateFiles.write(file(role, WorkspaceVariant.GRAYED, name), ImageEncoder.png(crop.grayed()));
    PrivateFiles.write(real, ImageEncoder.png(crop.real()));
    return real;
  }

  /** How many crops {@code role} holds (colour crops). */
  public long count(Role role) throws IOException {
    try (var files = Files.list(WorkspaceLayout.folder(workspace, role, WorkspaceVariant.REAL))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".png")).count();
    }
  }

  private Path file(Role role, WorkspaceVariant variant, String name) {
    if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("not a plain file name: " + name);
    }
    return WorkspaceLayout.folder(workspace, role, variant).resolve(name + ".png");
  }
}
