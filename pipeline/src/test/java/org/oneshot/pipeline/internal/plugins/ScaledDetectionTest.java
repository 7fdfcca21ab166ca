package org.oneshot.pipeline.internal.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;

/** Detection on a shrunk frame: what the detector sees and where the boxes land in the frame. */
class ScaledDetectionTest {
  /** Finds one face at fixed coordinates of whatever it is given, and notes the sizes it saw. */
  private static final class FixedDetector implements FaceDetector {
    final List<String> seen = new ArrayList<>();

    @Override
    public List<FaceBox> detect(Image image) {
      seen.add(image.width() + "x" + image.height());
      return List.of(new FaceBox(100, 50, 80, 80, 3.5));
    }
  }

  private final FixedDetector detector = new FixedDetector();
  private final Plugin<FaceDetector> plugin = new Plugin<>("fixed", 0, 1L, detector);
  private final Image frame = Image.wrap(640, 480, 3, new byte[640 * 480 * 3]);

  @Test
  void shrinksWideFramesAndScalesTheBoxesBack() {
    List<FaceBox> boxes = FaceDetectors.detect(plugin, frame, "frame 1", 400);
    assertEquals(List.of("400x300"), detector.seen);
    assertEquals(List.of(new FaceBox(160, 80, 128, 128, 3.5)), boxes);
  }

  @Test
  void leavesNarrowFramesAndWidthZeroAlone() {
    FaceDetectors.detect(plugin, frame, "frame 1", 0);
    FaceDetectors.detect(plugin, frame, "frame 2", 640);
    FaceDetectors.detect(plugin, Image.wrap(92, 112, 1, new byte[92 * 112]), "crop", 400);
    assertEquals(List.of("640x480", "640x480", "92x112"), detector.seen);
  }
}
