package org.oneshot.api.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.oneshot.api.model.Architecture.Conv;

/** The named architectures every backend builds the same way. */
public final class Presets {
  /**
   * Koch et al. 2015: 105×105 grey; 64@10×10, pool, 128@7×7, pool, 128@4×4, pool, 256@4×4; dense
   * 4096 sigmoid; the paper's initialisation. 38,951,745 parameters.
   */
  public static final Architecture KOCH =
      new Architecture(
          105,
          105,
          1,
          List.of(
              new Conv(64, 10, true),
              new Conv(128, 7, true),
              new Conv(128, 4, true),
              new Conv(256, 4, false)),
          4096,
          "koch");

  /**
   * The same shape at 64×64 with a quarter of the width: 32@7×7, pool, 64@5×5, pool, 64@3×3, pool,
   * 128@3×3; dense 1024. About 1.3 M parameters; trains in minutes on two CPU cores.
   */
  public static final Architecture SMALL =
      new Architecture(
          64,
          64,
          1,
          List.of(
              new Conv(32, 7, true),
              new Conv(64, 5, true),
              new Conv(64, 3, true),
              new Conv(128, 3, false)),
          1024,
          "xavier");

  private static final Map<String, Architecture> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("koch", KOCH);
    BY_NAME.put("small", SMALL);
    // The recipes of the accuracy work: the small network with batch normalisation, trained longer
    // with distortions (the training side of a recipe lives with the commands that train). Faces
    // also drop half the dense layer's inputs in training: 30 people are few to learn from.
    Architecture normalised = SMALL.with(Map.of("norm", Architecture.BATCH_NORM));
    BY_NAME.put("faces", normalised.with(Map.of("dropout", "0.5")));
    BY_NAME.put("omniglot", normalised);
  }

  private Presets() {}

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /**
   * The preset called {@code name} with {@code overrides} applied.
   *
   * @throws IllegalArgumentException for an unknown preset or override
   */
  public static Architecture get(String name, Map<String, String> overrides) {
    Architecture preset = BY_NAME.get(name);
    if (preset == null) {
      throw new IllegalArgumentException(
          "unknown preset '" + name + "'; known: " + String.join(", ", names()));
    }
    return preset.with(overrides);
  }
}
