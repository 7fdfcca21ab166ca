package org.oneshot.model.dl4j.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.OpenNetworks;
import org.oneshot.api.model.Presets;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** The Deeplearning4j / SameDiff backend, on ND4J's oneDNN CPU build. */
@Component(
    service = SiameseModel.class,
    property = {SiameseModel.BACKEND + "=dl4j", "service.ranking:Integer=5"})
public final class Dl4jSiameseModel implements SiameseModel {
  private final OpenNetworks<SameDiffNetwork> networks = new OpenNetworks<>();

  @Override
  public String backend() {
    return SameDiffNetwork.BACKEND;
  }

  @Override
  public List<String> presets() {
    return Presets.names();
  }

  @Override
  public String device() {
    return "ND4J/SameDiff 1.0.0-M2.1, CPU (oneDNN)";
  }

  @Override
  public SiameseNetwork create(String preset, Map<String, String> overrides, long seed) {
    return networks.track(
        Nd4jRuntime.get(
            () -> SameDiffNetwork.create(Presets.get(preset, overrides), preset, seed)));
  }

  @Override
  public SiameseNetwork load(Path file) throws IOException {
    return networks.load(file, () -> Nd4jRuntime.call(() -> SameDiffNetwork.load(file)));
  }

  /** Frees the native memory of networks still open when the bundle stops. */
  @Deactivate
  void deactivate() {
    networks.closeAll();
    Nd4jRuntime.get(
        () -> {
          Nd4j.getMemoryManager().invokeGc();
          return null;
        });
  }

  static {
    // Reads nothing from the network; quiet ND4J's start-up banner about it.
    System.setProperty("org.nd4j.versioncheck", "false");
  }
}
