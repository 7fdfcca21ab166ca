package org.oneshot.pipeline.internal.commands;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.oneshot.api.UnreadableFile;
import org.oneshot.pipeline.internal.dataset.ImageFiles;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.image.ImageEncoder;
import org.oneshot.pipeline.internal.image.UnreadableImageException;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.io.PrivateFiles;
import org.oneshot.pipeline.internal.plugins.FaceDetectors;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code face:detect} — faces in one image, or detection rate and speed over a folder. */
@Component(
    service = DetectCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=detect"})
public final class DetectCommand {
  private static final int FOLDER_DEPTH = 8;

  @Reference private FaceDetectors detectors;

  private final ImageDecoder decoder = new ImageDecoder();

  @Descriptor(
      "detect faces: for an image, each face's box and confidence; for a folder (searched"
          + " recursively), how many images have a face and the time per image")
  public String detect(
      CommandSession session,
      @Descriptor("detector name (default: the highest-ranked detector present)")
          @Parameter(names = "--detector", absentValue = "")
          String detector,
      @Descriptor("for an image: write a copy with the faces drawn to this PNG file")
          @Parameter(names = "--out", absentValue = "")
          String out,
      @Descriptor("also write the result as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json,
      @Descriptor("image file or folder of images") String target)
      throws IOException {
    Path path = Path.of(target);
    if (!Files.exists(path)) {
      throw new NoSuchFileException(target, null, "no such image or folder");
    }
    Plugin<FaceDetector> chosen = detectors.select(detector);
    if (Files.isDirectory(path)) {
      if (!out.isEmpty()) {
        throw new IllegalArgumentException("--out draws one image; give an image, not a folder");
      }
      return folder(session, chosen, path, json);
    }
    return image(chosen, path, out, json);
  }

  private String image(Plugin<FaceDetector> detector, Path file, String out, String json)
      throws IOException {
    Image image = decoder.decode(file);
    long start = System.nanoTime();
    List<FaceBox> faces = FaceDetectors.detect(detector, image, file.toString());
    double millis = (System.nanoTime() - start) / 1e6;
    if (!out.isEmpty()) {
      PrivateFiles.write(Path.of(out), ImageEncoder.png(annotated(image, faces)));
    }
    if (!json.isEmpty()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("image", file.toString());
      result.put("detector", detector.name());
      result.put("width", image.width());
      result.put("height", image.height());
      result.put("faces", faces);
      result.put("milliseconds", millis);
      Json.write(Path.of(json), result);
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s: %d face%s (%s, %.1f ms)",
                file,
                faces.size(),
                faces.size() == 1 ? "" : "s",
                detector.name(),
                millis));
    for (FaceBox f : faces) {
      text.append(
          String.format(
              Locale.ROOT,
              "%n  x %d  y %d  %dx%d  confidence %.2f",
              f.x(),
              f.y(),
              f.width(),
              f.height(),
              f.confidence()));
    }
    return text.toString();
  }

  private String folder(
      CommandSession session, Plugin<FaceDetector> detector, Path dir, String json)
      throws IOException {
    List<Path> files = ImageFiles.under(dir, FOLDER_DEPTH);
    if (files.isEmpty()) {
      throw new IllegalArgumentException(dir + ": no images (JPEG, PNG, PGM, BMP) in this folder");
    }
    Progress progress = new Progress(session.getConsole());
    List<Map<String, Object>> results = new ArrayList<>();
    List<UnreadableFile> unreadable = new ArrayList<>();
    int withFace = 0;
    long detectNanos = 0;
    long decodeNanos = 0;
    for (Path file : files) {
      long t0 = System.nanoTime();
      Image image;
      try {
        image = decoder.decode(file);
      } catch (UnreadableImageException e) {
        unreadable.add(new UnreadableFile(e.file(), e.reason()));
        continue;
      }
      long t1 = System.nanoTime();
      List<FaceBox> faces = FaceDetectors.detect(detector, image, file.toString());
      detectNanos += System.nanoTime() - t1;
      decodeNanos += t1 - t0;
      withFace += faces.isEmpty() ? 0 : 1;
      results.add(Map.of("image", file.toString(), "faces", faces.size()));
      progress.update(
          results.size() + "/" + files.size() + " images, " + withFace + " with a face");
    }
    int images = results.size();
    double rate = images == 0 ? 0 : (double) withFace / images;
    double msPerImage = images == 0 ? 0 : detectNanos / 1e6 / images;
    double decodeMsPerImage = images == 0 ? 0 : decodeNanos / 1e6 / images;
    if (!json.isEmpty()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("folder", dir.toString());
      result.put("detector", detector.name());
      result.put("images", images);
      result.put("withFace", withFace);
      result.put("rate", rate);
      result.put("msPerImage", msPerImage);
      result.put("decodeMsPerImage", decodeMsPerImage);
      result.put("unreadable", unreadable);
      result.put("results", results);
      Json.write(Path.of(json), result);
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s (%s)%n  images      %d%n  with face   %d (%.1f%%)%n  detection   %.1f ms/image"
                    + " (+ %.1f ms decoding)%n  unreadable  %d",
                dir,
                detector.name(),
                images,
                withFace,
                100 * rate,
                msPerImage,
                decodeMsPerImage,
                unreadable.size()));
    return Unreadable.append(text, unreadable).toString();
  }

  static BufferedImage annotated(Image image, List<FaceBox> faces) {
    BufferedImage canvas = ImageEncoder.toBufferedImage(image);
    if (canvas.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      BufferedImage rgb =
          new BufferedImage(canvas.getWidth(), canvas.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      rgb.getGraphics().drawImage(canvas, 0, 0, null);
      canvas = rgb;
    }
    Graphics2D g = canvas.createGraphics();
    try {
      g.setColor(Color.GREEN);
      g.setStroke(new BasicStroke(Math.max(2, image.width() / 300f)));
      for (FaceBox f : faces) {
        // Boxes only: text would need fonts, which a headless server may lack.
        g.drawRect(f.x(), f.y(), f.width(), f.height());
      }
    } finally {
      g.dispose();
    }
    return canvas;
  }
}
