package org.oneshot.api.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.oneshot.api.ModelDescription;

/**
 * A process that saves a 24 MB model to one file over and over, each version's weights filled with
 * its number, until it is killed: the victim of {@link ModelArchiveCrashTest}.
 */
public final class SavingForever {
  static final int WEIGHT_BYTES = 24 << 20;

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    byte[] weights = new byte[WEIGHT_BYTES];
    for (int version = 1; ; version++) {
      Arrays.fill(weights, (byte) version);
      ModelArchive.write(file, description(version), Presets.SMALL, out -> out.write(weights));
      System.out.println("saved " + version);
    }
  }

  static ModelDescription description(int version) {
    return new ModelDescription(
        "version-" + version,
        "djl",
        "small",
        Presets.SMALL.toMap(),
        64,
        64,
        1,
        Presets.SMALL.parameterCount(),
        Map.of());
  }
}
