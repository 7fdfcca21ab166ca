package org.oneshot.pipeline.internal.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.oneshot.api.Role;

/**
 * The seed's workspace: one folder per role and variant, {@code anchor_real, anchor_grayed,
 * positive_real, positive_grayed, negative_real, negative_grayed}.
 */
public final class WorkspaceLayout {
  /** The identity of the user's own images (anchors and positives) in a workspace dataset. */
  public static final String USER = "user";

  private static final List<Role> ROLES = List.of(Role.ANCHOR, Role.POSITIVE, Role.NEGATIVE);

  private WorkspaceLayout() {}

  public static List<Role> roles() {
    return ROLES;
  }

  /** The folder of {@code role} crops in {@code variant}, e.g. {@code anchor_real}. */
  public static Path folder(Path workspace, Role role, WorkspaceVariant variant) {
    if (role == Role.NONE) {
      throw new IllegalArgumentException("a workspace has no folder for role NONE");
    }
    return workspace.resolve(role.name().toLowerCase(java.util.Locale.ROOT) + variant.suffix());
  }

  /** Whether {@code dir} has at least one of the six workspace folders. */
  public static boolean isWorkspace(Path dir) {
    for (Role role : ROLES) {
      for (WorkspaceVariant variant : WorkspaceVariant.values()) {
        if (Files.isDirectory(folder(dir, role, variant))) {
          return true;
        }
      }
    }
    return false;
  }
}
