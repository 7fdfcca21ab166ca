package org.oneshot.pipeline.internal.faces;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.oneshot.api.Role;
import org.oneshot.api.UnreadableFile;
import org.oneshot.pipeline.internal.dataset.WorkspaceWriter;
import org.oneshot.pipeline.internal.plugins.FaceDetectors;
import org.oneshot.pipeline.internal.plugins.Plugin;

/**
 * The seed's data preparation: detect, crop the largest face with a margin, save the colour and
 * grey crops into the workspace. Counts what it saved, what had no face and what could not be read.
 */
public final class FacePreparation {
  private final Plugin<FaceDetector> detector;
  private final double margin;
  private final WorkspaceWriter workspace;
  private final Role role;
  private final int detectionWidth;

  private int seen;
  private int saved;
  private int noFace;
  private int alreadyPresent;
  private final List<UnreadableFile> unreadable = new ArrayList<>();
  private long detectNanos;

  /**
   * @param detectionWidth images wider than this are shrunk to it for detection only (camera and
   *     video frames); 0 detects at full size
   */
  public FacePreparation(
      Plugin<FaceDetector> detector,
      double margin,
      WorkspaceWriter workspace,
      Role role,
      int detectionWidth) {
    this.detector = detector;
    this.detectionWidth = detectionWidth;
    this.margin = margin;
    this.workspace = workspace;
    this.role = role;
  }

  /** Whether {@code name} was saved before (so a re-run can skip it). */
  public boolean skipIfPresent(String name) {
    if (workspace.exists(role, name)) {
      seen++;
      alreadyPresent++;
      return true;
    }
    return false;
  }

  /**
   * Detects in {@code image} ({@code what} names it in errors) and saves the crop as {@code name}.
   */
  public boolean add(Image image, String name, String what) throws IOException {
    seen++;
    long start = System.nanoTime();
    List<FaceBox> faces = FaceDetectors.detect(detector, image, what, detectionWidth);
    detectNanos += System.nanoTime() - start;
    Optional<FaceCrop> crop = FaceCrop.largest(image, faces, margin);
    if (crop.isEmpty()) {
      noFace++;
      return false;
    }
    workspace.save(role, name, crop.get());
    saved++;
    return true;
  }

  public void unreadable(UnreadableFile file) {
    seen++;
    unreadable.add(file);
  }

  public Report report() {
    return new Report(
        detector.name(),
        role.name().toLowerCase(java.util.Locale.ROOT),
        seen,
        saved,
        noFace,
        alreadyPresent,
        List.copyOf(unreadable),
        seen - alreadyPresent - unreadable.size() == 0
            ? 0
            : detectNanos / 1e6 / (seen - alreadyPresent - unreadable.size()));
  }

  /** What a preparation run did; {@code detectMillisPerImage} is detection time alone. */
  public record Report(
      String detector,
      String role,
      int images,
      int saved,
      int noFace,
      int alreadyPresent,
      List<UnreadableFile> unreadable,
      double detectMillisPerImage) {}
}
