package org.oneshot.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A siamese backend (Koch et al. 2015), registered with the {@value #BACKEND} property: it builds
 * networks from named presets and loads saved ones. The backend with the highest {@code
 * service.ranking} is the default.
 */
@ConsumerType
public interface SiameseModel {
  /** Service property naming the backend, e.g. {@code djl} or {@code dl4j}. */
  String BACKEND = "model.backend";

  /** The value of {@link #BACKEND}. */
  String backend();

  /** The preset names this backend builds, e.g. {@code koch}, {@code small}. */
  List<String> presets();

  /**
   * A human-readable line on where it runs (engine version, CPU or GPU device), for {@code
   * face:services}.
   */
  String device();

  /**
   * A new, untrained network from {@code preset}, with single architecture values replaced by
   * {@code overrides} (names as in {@link ModelDescription#architecture()}).
   *
   * @throws IllegalArgumentException for an unknown preset or override
   */
  SiameseNetwork create(String preset, Map<String, String> overrides, long seed);

  /**
   * Loads a saved network.
   *
   * @throws IOException naming the file and the reason: another backend's file, another
   *     architecture, truncated or corrupt
   */
  SiameseNetwork load(Path file) throws IOException;
}
