package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.Frame;
import org.oneshot.api.FrameStream;
import org.oneshot.api.Role;
import org.oneshot.pipeline.internal.dataset.WorkspaceWriter;
import org.oneshot.pipeline.internal.faces.FacePreparation;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.FaceDetectors;
import org.oneshot.pipeline.internal.plugins.FrameSources;
import org.oneshot.pipeline.internal.verification.FaceVerifier;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code face:capture} — the seed's collection step: faces from a camera, a video or a folder,
 * cropped and saved as anchors or positives (colour and grey) into a workspace.
 */
@Component(
    service = CaptureCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=capture"})
public final class CaptureCommand {
  @Reference private FrameSources sources;
  @Reference private FaceDetectors detectors;
  @Reference private FaceVerifier verifier;

  @Descriptor(
      "capture face crops from a camera, video or folder into a workspace as anchors or"
          + " positives; frames without a face are counted, not saved")
  public String capture(
      CommandSession session,
      @Descriptor("where frames come from: camera:INDEX, video:FILE (MJPEG AVI) or folder:DIR")
          @Parameter(names = "--source", absentValue = "")
          String source,
      @Descriptor("what the crops are: anchor or positive (negative for other people)")
          @Parameter(names = "--as", absentValue = "")
          String as,
      @Descriptor("how many face crops to save (default 50)")
          @Parameter(names = "--count", absentValue = "50")
          int count,
      @Descriptor("the workspace folder (created owner-only if missing)")
          @Parameter(names = "--workspace", absentValue = "")
          String workspace,
      @Descriptor("detector name (default: the highest-ranked detector present)")
          @Parameter(names = "--detector", absentValue = "")
          String detector,
      @Descriptor("margin added around the face, as a fraction of its size (default 0.15)")
          @Parameter(names = "--margin", absentValue = "0.15")
          double margin,
      @Descriptor("use every Nth frame only (default 1: every frame)")
          @Parameter(names = "--every", absentValue = "1")
          int every,
      @Descriptor("also write the result as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException {
    if (source.isEmpty() || workspace.isEmpty() || as.isEmpty()) {
      throw new IllegalArgumentException("--source, --as and --workspace are required");
    }
    if (count <= 0 || every <= 0) {
      throw new IllegalArgumentException("--count and --every must be positive");
    }
    Role role = role(as);
    FacePreparation preparation =
        new FacePreparation(
            detectors.select(detector),
            margin,
            new WorkspaceWriter(Path.of(workspace)),
            role,
            verifier.frameDetectionWidth());
    Progress progress = new Progress(session.getConsole());
    long frames = 0;
    boolean ended = false;
    try (FrameStream stream = sources.open(source)) {
      // Ids stay unique across runs into the same workspace, as the seed's uuid names do.
      String run = UUID.randomUUID().toString().substring(0, 8);
      while (preparation.report().saved() < count) {
        Optional<Frame> next = stream.next();
        if (next.isEmpty()) {
          ended = true;
          break;
        }
        Frame frame = next.get();
        frames++;
        if (frame.index() % every != 0) {
          continue;
        }
        String name =
            String.format(
                Locale.ROOT,
                "%s_%s_%06d",
                role.name().toLowerCase(Locale.ROOT),
                run,
                frame.index());
        preparation.add(frame.image(), name, stream.sourceId() + " frame " + frame.index());
        progress.update(
            preparation.report().saved()
                + "/"
                + count
                + " faces saved, "
                + frames
                + " frames read");
      }
    }
    FacePreparation.Report report = preparation.report();
    if (!json.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("source", source);
      out.put("workspace", workspace);
      out.put("role", report.role());
      out.put("detector", report.detector());
      out.put("frames", frames);
      out.put("examined", report.images());
      out.put("requested", count);
      out.put("saved", report.saved());
      out.put("noFace", report.noFace());
      out.put("sourceEnded", ended);
      Json.write(Path.of(json), out);
    }
    return String.format(
            Locale.ROOT,
            "%s → %s (%s, %s)%n  frames read   %d%n  examined      %d%n  saved         %d of %d%n"
                + "  no face       %d",
            source,
            workspace,
            report.role(),
            report.detector(),
            frames,
            report.images(),
            report.saved(),
            count,
            report.noFace())
        + (ended && report.saved() < count
            ? String.format("%n  the source ended before %d faces were saved", count)
            : "");
  }

  private static Role role(String as) {
    try {
      Role role = Role.valueOf(as.toUpperCase(Locale.ROOT));
      if (role != Role.NONE) {
        return role;
      }
    } catch (IllegalArgumentException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "--as must be anchor, positive or negative, not '" + as + "'");
  }
}
