package org.oneshot.api;

import java.util.Objects;

/**
 * One readable image of a dataset: who it shows ({@code identity}: a person, or an Omniglot
 * character), where it is ({@code location}: a path, or a zip entry as {@code zip!/entry}) and its
 * {@link Role}.
 */
public record Sample(String identity, String location, Role role) {
  public Sample {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(role, "role");
  }
}
