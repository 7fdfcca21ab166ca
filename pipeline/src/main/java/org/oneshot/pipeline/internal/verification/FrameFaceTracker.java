package org.oneshot.pipeline.internal.verification;

import java.util.ArrayList;
import java.util.List;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.plugins.FaceDetectors;
import org.oneshot.pipeline.internal.plugins.Plugin;

/**
 * Face detection across the frames of one camera or video stream. The whole frame (shrunk to the
 * detection width) is searched on the first frame, every {@code wholeFrameEvery} frames after, and
 * whenever a face is lost; in the frames between, the detector sees only the region around each
 * face it last found — twice the face's size — shrunk so that face is {@code faceWidth} pixels
 * wide. A face moves little from one frame to the next, and detection cost grows with the pixels
 * scanned: a 160-pixel square instead of a 400×300 frame. A face that enters the picture is found
 * at the next whole-frame search. Boxes are in the frame's coordinates. One tracker per stream; not
 * thread-safe.
 */
public final class FrameFaceTracker {
  /** The region searched around a face: the face's box grown by this fraction on every side. */
  static final double REGION_MARGIN = 0.5;

  /** Two boxes overlapping by more than this (intersection over union) are one face. */
  private static final double SAME_FACE = 0.5;

  private final Plugin<FaceDetector> detector;
  private final int detectionWidth;
  private final int wholeFrameEvery;
  private final int faceWidth;
  private List<FaceBox> tracked = List.of();
  private int untilWholeFrame;
  private int wholeFrameSearches;
  private int regionSearches;

  /**
   * @param detectionWidth whole frames wider than this are shrunk to it for detection; 0: full size
   * @param wholeFrameEvery search the whole frame at least every this many frames; 1: every frame
   *     (no tracking)
   * @param faceWidth a tracked face is shrunk to this width in its region (never enlarged)
   */
  public FrameFaceTracker(
      Plugin<FaceDetector> detector, int detectionWidth, int wholeFrameEvery, int faceWidth) {
    if (wholeFrameEvery < 1 || faceWidth < 1) {
      throw new IllegalArgumentException(
          "whole-frame interval and tracked face width must be positive: "
              + wholeFrameEvery
              + ", "
              + faceWidth);
    }
    this.detector = detector;
    this.detectionWidth = detectionWidth;
    this.wholeFrameEvery = wholeFrameEvery;
    this.faceWidth = faceWidth;
  }

  /** The faces in {@code frame}, the next frame of this tracker's stream. */
  public List<FaceBox> detect(Image frame, String what) {
    if (tracked.isEmpty() || untilWholeFrame <= 0) {
      return wholeFrame(frame, what);
    }
    List<FaceBox> found = new ArrayList<>();
    for (FaceBox previous : tracked) {
      FaceBox again = aroundPrevious(frame, previous, what);
      if (again == null) {
        return wholeFrame(frame, what); // lost: look everywhere at once, not a frame later
      }
      if (found.stream().noneMatch(f -> overlap(f, again) > SAME_FACE)) {
        found.add(again);
      }
    }
    regionSearches++;
    untilWholeFrame--;
    tracked = List.copyOf(found);
    return tracked;
  }

  /**
   * Frames searched whole so far (the first, the periodic ones and those where a face was lost).
   */
  public int wholeFrameSearches() {
    return wholeFrameSearches;
  }

  /** Frames where only the regions around the tracked faces were searched. */
  public int regionSearches() {
    return regionSearches;
  }

  private List<FaceBox> wholeFrame(Image frame, String what) {
    wholeFrameSearches++;
    untilWholeFrame = wholeFrameEvery - 1;
    tracked = FaceDetectors.detect(detector, frame, what, detectionWidth);
    return tracked;
  }

  /**
   * The face in the region around {@code previous} that overlaps it most, or null when none does.
   */
  private FaceBox aroundPrevious(Image frame, FaceBox previous, String what) {
    FaceBox grown = previous.expand(REGION_MARGIN);
    int x0 = Math.max(0, grown.x());
    int y0 = Math.max(0, grown.y());
    int x1 = Math.min(frame.width(), grown.x() + grown.width());
    int y1 = Math.min(frame.height(), grown.y() + grown.height());
    if (x1 <= x0 || y1 <= y0) {
      return null; // the face left the frame
    }
    Image region = frame.crop(new FaceBox(x0, y0, x1 - x0, y1 - y0, 0));
    // Shrunk (never enlarged) so the face is faceWidth wide; boxes come back in region pixels.
    int width =
        (int) Math.round(region.width() * Math.min(1.0, (double) faceWidth / previous.width()));
    FaceBox best = null;
    double bestOverlap = 0; // a box apart from the last one is another thing, not this face moved
    for (FaceBox b : FaceDetectors.detect(detector, region, what, Math.max(1, width))) {
      FaceBox inFrame = new FaceBox(x0 + b.x(), y0 + b.y(), b.width(), b.height(), b.confidence());
      double o = overlap(inFrame, previous);
      if (o > bestOverlap) {
        best = inFrame;
        bestOverlap = o;
      }
    }
    return best;
  }

  /** Intersection over union of two boxes, 0 when apart. */
  public static double overlap(FaceBox a, FaceBox b) {
    long w = Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x());
    long h = Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y());
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double inter = (double) w * h;
    return inter / (a.area() + b.area() - inter);
  }
}
