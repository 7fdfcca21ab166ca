package org.oneshot.model.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.OpenNetworks;
import org.oneshot.api.model.Presets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The DJL / PyTorch backend. Offline by construction: DJL may not download anything and its usage
 * tracking is off; PyTorch's CPU libraries come from the jar inside this bundle.
 */
@Component(
    service = SiameseModel.class,
    property = {SiameseModel.BACKEND + "=djl", "service.ranking:Integer=10"})
public final class DjlSiameseModel implements SiameseModel {
  private final OpenNetworks<DjlNetwork> networks = new OpenNetworks<>();

  @Activate
  public DjlSiameseModel() {
    configureOffline();
  }

  /** Set before DJL's first use; the user never has to. */
  static void configureOffline() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    String home = System.getProperty("oneshot.home");
    if (home != null && System.getProperty("DJL_CACHE_DIR") == null) {
      // PyTorch's libraries are unpacked here once, from the jar in this bundle.
      System.setProperty("DJL_CACHE_DIR", Path.of(home, "var", "djl").toString());
    }
  }

  @Override
  public String backend() {
    return DjlNetwork.BACKEND;
  }

  @Override
  public List<String> presets() {
    return Presets.names();
  }

  @Override
  public String device() {
    // Engine's first use scans for engines through the context class loader, once per JVM: even
    // asking for the version must happen under this bundle's loader, or PyTorch is never found.
    return Tccl.get(
        () -> {
          int gpus = CudaUtils.getGpuCount();
          return "DJL "
              + Engine.getDjlVersion()
              + " + PyTorch, CPU"
              + (gpus > 0 ? "; " + gpus + " CUDA GPU(s) visible (this build uses the CPU)" : "");
        });
  }

  @Override
  public SiameseNetwork create(String preset, Map<String, String> overrides, long seed) {
    return networks.track(
        Tccl.get(() -> DjlNetwork.create(Presets.get(preset, overrides), preset, seed)));
  }

  @Override
  public SiameseNetwork load(Path file) throws IOException {
    return networks.load(file, () -> Tccl.call(() -> DjlNetwork.load(file)));
  }

  /** Frees the native memory of networks still open when the bundle stops. */
  @Deactivate
  void deactivate() {
    networks.closeAll();
  }
}
