package org.oneshot.pipeline.internal.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.plugins.Plugin;

/**
 * Tracking faces across frames, with a detector of bright squares on black (each connected bright
 * area is a "face") so that where every face truly is, is known exactly.
 */
class FrameFaceTrackerTest {
  /** Finds bright connected areas; notes the size of every image it was given. */
  private static final class BrightSquares implements FaceDetector {
    final List<String> seen = new ArrayList<>();

    @Override
    public List<FaceBox> detect(Image image) {
      seen.add(image.width() + "x" + image.height());
      int w = image.width();
      int h = image.height();
      boolean[] done = new boolean[w * h];
      List<FaceBox> boxes = new ArrayList<>();
      for (int start = 0; start < w * h; start++) {
        if (done[start] || image.get(start % w, start / w, 0) < 128) {
          continue;
        }
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        ArrayDeque<Integer> open = new ArrayDeque<>(List.of(start));
        done[start] = true;
        while (!open.isEmpty()) {
          int p = open.pop();
          int x = p % w;
          int y = p / w;
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
          int[] next = {p - 1, p + 1, p - w, p + w};
          for (int q : next) {
            boolean neighbour = q >= 0 && q < w * h && (q / w == y || q % w == x);
            if (neighbour && !done[q] && image.get(q % w, q / w, 0) >= 128) {
              done[q] = true;
              open.push(q);
            }
          }
        }
        boxes.add(new FaceBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1, 1.0));
      }
      return boxes;
    }
  }

  private final BrightSquares detector = new BrightSquares();
  private final Plugin<FaceDetector> plugin = new Plugin<>("squares", 0, 1L, detector);

  /** A black 640×480 grey frame with white squares at {@code squares} (x, y, side each). */
  private static Image frame(int... squares) {
    byte[] pixels = new byte[640 * 480];
    for (int s = 0; s < squares.length; s += 3) {
      for (int y = squares[s + 1]; y < squares[s + 1] + squares[s + 2]; y++) {
        for (int x = squares[s]; x < squares[s] + squares[s + 2]; x++) {
          pixels[y * 640 + x] = (byte) 255;
        }
      }
    }
    return Image.wrap(640, 480, 1, pixels);
  }

  private static void assertNear(FaceBox expected, FaceBox actual, int tolerance) {
    assertTrue(
        Math.abs(expected.x() - actual.x()) <= tolerance
            && Math.abs(expected.y() - actual.y()) <= tolerance
            && Math.abs(expected.width() - actual.width()) <= 2 * tolerance
            && Math.abs(expected.height() - actual.height()) <= 2 * tolerance,
        "expected about " + expected + ", found " + actual);
  }

  @Test
  void followsAMovingFaceSearchingOnlyAroundItBetweenWholeFrames() {
    FrameFaceTracker tracker = new FrameFaceTracker(plugin, 400, 10, 40);
    for (int i = 0; i < 21; i++) {
      int x = 100 + 7 * i;
      int y = 150 + 3 * i;
      List<FaceBox> faces = tracker.detect(frame(x, y, 120), "frame " + i);
      assertEquals(1, faces.size(), "frame " + i + ": " + faces);
      // Whole frames are shrunk to 400 pixels (1.6×), regions by 3× (120 → 40): a few pixels.
      assertNear(new FaceBox(x, y, 120, 120, 1), faces.get(0), 4);
    }
    assertEquals(3, tracker.wholeFrameSearches()); // frames 0, 10 and 20
    assertEquals(18, tracker.regionSearches());
    assertEquals("400x300", detector.seen.get(0));
    assertEquals("400x300", detector.seen.get(10));
    assertEquals("400x300", detector.seen.get(20));
    // Between them the detector saw the region around the face, twice its size, shrunk by 3×.
    for (int i : new int[] {1, 5, 9, 11, 19}) {
      String[] size = detector.seen.get(i).split("x");
      assertTrue(
          Math.abs(Integer.parseInt(size[0]) - 80) <= 2
              && Math.abs(Integer.parseInt(size[1]) - 80) <= 2,
          "frame " + i + " searched " + detector.seen.get(i));
    }
  }

  @Test
  void aFaceThatJumpsAwayIsFoundAgainInTheSameFrame() {
    FrameFaceTracker tracker = new FrameFaceTracker(plugin, 400, 10, 40);
    tracker.detect(frame(100, 100, 120), "frame 0");
    tracker.detect(frame(104, 102, 120), "frame 1");
    List<FaceBox> faces = tracker.detect(frame(450, 300, 120), "frame 2");
    assertEquals(1, faces.size(), faces.toString());
    assertNear(new FaceBox(450, 300, 120, 120, 1), faces.get(0), 4);
    // Frame 2 searched around the old place, found nothing, then searched whole.
    assertEquals(List.of("400x300", "80x80", "80x80", "400x300"), detector.seen);
    assertEquals(2, tracker.wholeFrameSearches());
    assertEquals(1, tracker.regionSearches());
  }

  @Test
  void aFaceEnteringThePictureIsFoundAtTheNextWholeFrameSearch() {
    FrameFaceTracker tracker = new FrameFaceTracker(plugin, 400, 5, 40);
    for (int i = 0; i < 8; i++) {
      Image f = i < 2 ? frame(60, 60, 100) : frame(60, 60, 100, 400, 250, 140);
      List<FaceBox> faces =
          new ArrayList<>(tracker.detect(f, "frame " + i))
              .stream().sorted(Comparator.comparingInt(FaceBox::x)).toList();
      // Frames 0 and 5 are searched whole; the second face, there from frame 2, waits for 5.
      assertEquals(i < 5 ? 1 : 2, faces.size(), "frame " + i + ": " + faces);
      assertNear(new FaceBox(60, 60, 100, 100, 1), faces.get(0), 4);
      if (i >= 5) {
        assertNear(new FaceBox(400, 250, 140, 140, 1), faces.get(1), 4);
      }
    }
    assertEquals(2, tracker.wholeFrameSearches());
    assertEquals(6, tracker.regionSearches());
  }

  @Test
  void withoutFacesOrWithIntervalOneEveryFrameIsSearchedWhole() {
    FrameFaceTracker empty = new FrameFaceTracker(plugin, 400, 10, 40);
    for (int i = 0; i < 4; i++) {
      assertEquals(List.of(), empty.detect(frame(), "frame " + i));
    }
    assertEquals(4, empty.wholeFrameSearches());
    FrameFaceTracker every = new FrameFaceTracker(plugin, 400, 1, 40);
    for (int i = 0; i < 4; i++) {
      assertEquals(1, every.detect(frame(100 + i, 100, 120), "frame " + i).size());
    }
    assertEquals(4, every.wholeFrameSearches());
    assertEquals(0, every.regionSearches());
    assertEquals(8, detector.seen.stream().filter("400x300"::equals).count());
  }

  @Test
  void smallFacesAreSearchedAtFullResolutionNotEnlarged() {
    FrameFaceTracker tracker = new FrameFaceTracker(plugin, 0, 10, 80);
    tracker.detect(frame(300, 200, 40), "frame 0");
    List<FaceBox> faces = tracker.detect(frame(302, 201, 40), "frame 1");
    assertEquals(List.of(new FaceBox(302, 201, 40, 40, 1.0)), faces);
    assertEquals(List.of("640x480", "80x80"), detector.seen);
  }

  @Test
  void overlapIsIntersectionOverUnion() {
    FaceBox a = new FaceBox(0, 0, 10, 10, 1);
    assertEquals(1.0, FrameFaceTracker.overlap(a, a));
    assertEquals(50.0 / 150, FrameFaceTracker.overlap(a, new FaceBox(5, 0, 10, 10, 1)), 1e-12);
    assertEquals(0.0, FrameFaceTracker.overlap(a, new FaceBox(10, 0, 10, 10, 1)));
  }
}
