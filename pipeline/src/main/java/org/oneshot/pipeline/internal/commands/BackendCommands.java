package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.verification.ActiveModels;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code face:backends} and {@code face:use} — which siamese backend verification runs on. */
@Component(
    service = BackendCommands.class,
    immediate = true,
    property = {
      "osgi.command.scope=face",
      "osgi.command.function=backends",
      "osgi.command.function=use"
    })
public final class BackendCommands {
  @Reference private ActiveModels models;

  @Descriptor(
      "list the siamese backends present, the model each would verify with, and the one in use"
          + " (marked *)")
  public String backends(
      @Descriptor("also write the list as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException {
    List<ActiveModels.BackendStatus> all = models.status();
    if (!json.isEmpty()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ActiveModels.BackendStatus b : all) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("backend", b.name());
        row.put("ranking", b.ranking());
        row.put("device", b.device());
        row.put("model", b.model().map(Path::toString).orElse(null));
        row.put("inUse", b.inUse());
        rows.add(row);
      }
      Json.write(Path.of(json), Map.of("preferred", models.preferred(), "backends", rows));
    }
    if (all.isEmpty()) {
      return ActiveModels.NO_BACKEND;
    }
    StringBuilder text = new StringBuilder("siamese backends");
    for (ActiveModels.BackendStatus b : all) {
      text.append(
          String.format(
              Locale.ROOT,
              "%n %s %-6s ranking %-3d model %s%n          %s",
              b.inUse() ? "*" : " ",
              b.name(),
              b.ranking(),
              b.model().map(Path::toString).orElse("(none: train one or face:use --model)"),
              b.device()));
    }
    return text.toString();
  }

  @Descriptor(
      "verify with this backend from now on (kept across restarts), optionally with a model")
  public String use(
      @Descriptor("the model file this backend verifies with")
          @Parameter(names = "--model", absentValue = "")
          String model,
      @Descriptor("the backend, e.g. djl or dl4j") String backend)
      throws IOException {
    if (!model.isEmpty()) {
      models.setModel(backend, Path.of(model));
    }
    models.use(backend);
    return backends("");
  }
}
