package org.oneshot.pipeline.internal.commands;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Frame;
import org.oneshot.api.FrameSink;
import org.oneshot.api.FrameStream;
import org.oneshot.api.FrameWriter;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.FrameSources;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.oneshot.pipeline.internal.verification.FaceVerifier;
import org.oneshot.pipeline.internal.verification.FaceVerifier.Thresholds;
import org.oneshot.pipeline.internal.verification.FrameFaceTracker;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code face:live} — per frame of a camera or a video: detect the faces, verify each against one
 * enrolled person, draw the boxes and decisions, report frames per second.
 */
@Component(
    service = LiveCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=live"})
public final class LiveCommand {
  private static final Color ACCEPTED = new Color(0, 200, 0);
  private static final Color REJECTED = new Color(220, 0, 0);

  @Reference private FrameSources sources;
  @Reference private FaceVerifier verifier;

  @Reference(
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile FrameSink sink;

  @Descriptor(
      "live verification: faces are found in every frame of a camera or video (the whole frame"
          + " every frame.whole.every frames, between them around the faces last found); each is"
          + " verified against PERSON and drawn with its decision; reports frames per second")
  public String live(
      CommandSession session,
      @Descriptor("camera:INDEX, video:FILE (MJPEG AVI) or folder:DIR")
          @Parameter(names = "--source", absentValue = "")
          String source,
      @Descriptor("the enrolled person to verify") @Parameter(names = "--person", absentValue = "")
          String person,
      @Descriptor("write the annotated frames to this MJPEG AVI file")
          @Parameter(names = "--out", absentValue = "")
          String out,
      @Descriptor(
              "stop after this many frames (default 0: when the source ends; a camera until"
                  + " interrupted)")
          @Parameter(names = "--frames", absentValue = "0")
          int maxFrames,
      @Descriptor("score a pair must reach to match (default: configured, else the model's)")
          @Parameter(names = "--detection-threshold", absentValue = "-1")
          double detection,
      @Descriptor("fraction of matches to exceed (default: configured, 0.5)")
          @Parameter(names = "--verification-threshold", absentValue = "-1")
          double verification,
      @Descriptor("detector name (default: configured, else the highest-ranked present)")
          @Parameter(names = "--detector", absentValue = "")
          String detector,
      @Descriptor("also write per-frame results and the totals as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException {
    if (source.isEmpty() || person.isEmpty()) {
      throw new IllegalArgumentException("--source and --person are required");
    }
    verifier.gallery().images(person); // fails now, naming who is enrolled, not at frame 1
    FrameSink videoSink = sink;
    if (!out.isEmpty() && videoSink == null) {
      throw new IllegalStateException("no video sink available (is capture-opencv running?)");
    }
    Plugin<FaceDetector> chosen = verifier.detector(detector);
    FrameFaceTracker tracker = verifier.tracker(chosen);
    Thresholds thresholds = Thresholds.of(detection, verification);
    Progress progress = new Progress(session.getConsole());
    List<Map<String, Object>> perFrame = new ArrayList<>();
    int frames = 0;
    int withFace = 0;
    int verifiedFrames = 0;
    String backend = "";
    FrameWriter writer = null;
    long start = System.nanoTime();
    try (FrameStream stream = sources.open(source)) {
      while (maxFrames <= 0 || frames < maxFrames) {
        if (Thread.currentThread().isInterrupted()) {
          break;
        }
        Optional<Frame> next = stream.next();
        if (next.isEmpty()) {
          break;
        }
        Image image = next.get().image();
        frames++;
        String what = stream.sourceId() + " frame " + next.get().index();
        List<FaceVerifier.Face> faces = verifier.trackedFaces(tracker, image, what);
        List<Map<String, Object>> decisions = new ArrayList<>();
        boolean anyVerified = false;
        BufferedImage canvas = out.isEmpty() ? null : DetectCommand.annotated(image, List.of());
        for (FaceVerifier.Face face : faces) {
          FaceVerifier.Verification v = verifier.verify(person, face.crop(), thresholds);
          backend = v.backend();
          boolean ok = v.decision().verified();
          anyVerified |= ok;
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("box", face.box());
          d.put("fraction", v.decision().fraction());
          d.put("verified", ok);
          decisions.add(d);
          if (canvas != null) {
            draw(canvas, face, ok, person, v.decision().fraction());
          }
        }
        withFace += faces.isEmpty() ? 0 : 1;
        verifiedFrames += anyVerified ? 1 : 0;
        if (canvas != null) {
          if (writer == null) {
            writer = videoSink.open(Path.of(out), 10, image.width(), image.height());
          }
          writer.write(ImageDecoder.toImage(canvas));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("frame", next.get().index());
        row.put("faces", decisions);
        perFrame.add(row);
        double fps = frames / ((System.nanoTime() - start) / 1e9);
        progress.update(
            String.format(
                Locale.ROOT,
                "frame %d: %d face%s, %s  (%.1f fps)",
                next.get().index(),
                faces.size(),
                faces.size() == 1 ? "" : "s",
                anyVerified ? "VERIFIED " + person : "not " + person,
                fps));
      }
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double fps = frames / seconds;
    if (!json.isEmpty()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("source", source);
      result.put("person", person);
      result.put("backend", backend);
      result.put("detector", chosen.name());
      result.put("frames", frames);
      result.put("framesWithFace", withFace);
      result.put("framesVerified", verifiedFrames);
      result.put("fps", fps);
      result.put("wholeFrameSearches", tracker.wholeFrameSearches());
      result.put("regionSearches", tracker.regionSearches());
      result.put("out", out.isEmpty() ? null : out);
      result.put("perFrame", perFrame);
      Json.write(Path.of(json), result);
    }
    return String.format(
            Locale.ROOT,
            "%s, verifying %s (%s, %s)%n  frames          %d%n  with a face     %d%n"
                + "  verified        %d%n  speed           %.1f frames/s%n"
                + "  searched        %d whole, %d around the faces last found",
            source,
            person,
            backend.isEmpty() ? "no face seen" : backend,
            chosen.name(),
            frames,
            withFace,
            verifiedFrames,
            fps,
            tracker.wholeFrameSearches(),
            tracker.regionSearches())
        + (out.isEmpty() ? "" : String.format("%n  annotated video %s", out));
  }

  private static void draw(
      BufferedImage canvas, FaceVerifier.Face face, boolean ok, String person, double fraction) {
    Graphics2D g = canvas.createGraphics();
    try {
      g.setColor(ok ? ACCEPTED : REJECTED);
      g.setStroke(new BasicStroke(Math.max(2, canvas.getWidth() / 200f)));
      g.drawRect(face.box().x(), face.box().y(), face.box().width(), face.box().height());
      String label =
          String.format(Locale.ROOT, "%s%s %.0f%%", ok ? "" : "not ", person, 100 * fraction);
      try {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, canvas.getHeight() / 24)));
        g.drawString(label, face.box().x(), Math.max(14, face.box().y() - 4));
      } catch (Error e) {
        // A machine without fonts still gets the coloured boxes.
      }
    } finally {
      g.dispose();
    }
  }
}
