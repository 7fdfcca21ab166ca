package org.oneshot.pipeline.internal.plugins;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.ModelArchive;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Every siamese backend present, by {@code model.backend}; the highest ranking is the default. */
@Component(service = SiameseModels.class)
public final class SiameseModels {
  private final PluginSet<SiameseModel> backends =
      new PluginSet<>("siamese backend", SiameseModel.BACKEND);

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addBackend(SiameseModel backend, Map<String, Object> properties) {
    backends.add(backend, properties);
  }

  void removeBackend(SiameseModel backend) {
    backends.remove(backend);
  }

  /** Every backend present, preferred first. */
  public java.util.List<Plugin<SiameseModel>> all() {
    return backends.all();
  }

  /** The backend called {@code name}, or the preferred one when {@code name} is empty. */
  public Plugin<SiameseModel> select(String name) {
    return backends.select(name);
  }

  /**
   * {@code file} loaded by the backend called {@code backend}, or by the one that saved it when
   * {@code backend} is empty.
   */
  public SiameseNetwork load(String backend, Path file) throws IOException {
    return select(backend.isEmpty() ? ModelArchive.backendOf(file) : backend).service().load(file);
  }
}
