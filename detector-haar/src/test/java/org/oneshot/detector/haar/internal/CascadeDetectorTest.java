package org.oneshot.detector.haar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

class CascadeDetectorTest {
  private static final Path CASCADES =
      Path.of(System.getProperty("oneshot.cascades", "target/cascades"));
  private static CascadeDetector haar;
  private static CascadeDetector lbp;

  @TempDir Path temp;

  @BeforeAll
  static void load() {
    System.load(Path.of(System.getProperty("oneshot.opencv.native")).toAbsolutePath().toString());
    CascadeDetector.Parameters defaults = new CascadeDetector.Parameters(1.1, 5, 30);
    haar =
        new CascadeDetector(
            CASCADES.resolve("haarcascades/" + HaarFaceDetector.CASCADE), defaults, 2);
    lbp =
        new CascadeDetector(
            CASCADES.resolve("lbpcascades/" + LbpFaceDetector.CASCADE), defaults, 2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fixtures/debian-facedetect/grace_hopper_512x512.jpg",
        "fixtures/debian-opencv-doc/messi5.jpg",
        "fixtures/debian-python3-skimage/astronaut.png"
      })
  void haarFindsExactlyTheOneFaceInEachOneFacePhoto(String photo) {
    Image image = read(data(photo));
    List<FaceBox> faces = haar.detect(image);
    assertEquals(1, faces.size(), photo + ": " + faces);
    FaceBox face = faces.get(0);
    assertTrue(
        face.width() >= 30 && face.x() >= 0 && face.x() + face.width() <= image.width(),
        face.toString());
    assertTrue(face.confidence() > 0, face.toString());
  }

  @Test
  void messisFaceIsFoundWhereHisFaceIs() {
    // Checked by eye on the annotated image: his head spans about x 222-268, y 90-136 of the
    // 548x342 photo. (STACK.md's {244,62,85x85} does not fit this copy of messi5.jpg.)
    FaceBox face = haar.detect(read(data("fixtures/debian-opencv-doc/messi5.jpg"))).get(0);
    assertEquals(245, face.x() + face.width() / 2.0, 8, face.toString());
    assertEquals(113, face.y() + face.height() / 2.0, 8, face.toString());
    assertTrue(face.width() >= 30 && face.width() <= 60, face.toString());
  }

  @Test
  void lbpFindsTheFaceToo() {
    assertEquals(
        1, lbp.detect(read(data("fixtures/debian-facedetect/grace_hopper_512x512.jpg"))).size());
  }

  @Test
  void aBlankImageHasNoFace() {
    assertEquals(List.of(), haar.detect(Image.of(320, 240, 1, new byte[320 * 240])));
  }

  @Test
  void concurrentCallsGiveTheSameAnswer() throws Exception {
    Image image = read(data("fixtures/debian-opencv-doc/messi5.jpg"));
    List<FaceBox> expected = haar.detect(image);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<List<FaceBox>>>();
      for (int i = 0; i < 16; i++) {
        futures.add(pool.submit(() -> haar.detect(image)));
      }
      for (var f : futures) {
        assertEquals(expected, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedDetectorFailsClearlyInsteadOfWaiting() {
    // A caller may still hold a detector that DS just deactivated (reconfiguration, bundle stop).
    CascadeDetector closing =
        new CascadeDetector(
            CASCADES.resolve("haarcascades/" + HaarFaceDetector.CASCADE),
            new CascadeDetector.Parameters(1.1, 5, 30),
            1);
    closing.close();
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(5),
            () ->
                assertThrows(
                    IllegalStateException.class,
                    () -> closing.detect(Image.of(64, 64, 1, new byte[64 * 64]))));
    assertTrue(e.getMessage().contains("stopped or reconfigured"), e.getMessage());
  }

  @Test
  void aFileThatIsNoCascadeIsRefused() throws IOException {
    Path bogus = temp.resolve("bogus.xml");
    Files.writeString(bogus, "<nothing/>");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new CascadeDetector(bogus, new CascadeDetector.Parameters(1.1, 5, 30), 1));
    assertTrue(e.getMessage().contains("bogus.xml"), e.getMessage());
  }

  private static Image read(Path file) {
    Mat bgr = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_COLOR);
    byte[] pixels = new byte[(int) (bgr.total() * 3)];
    bgr.get(0, 0, pixels);
    for (int i = 0; i < pixels.length; i += 3) {
      byte b = pixels[i];
      pixels[i] = pixels[i + 2];
      pixels[i + 2] = b;
    }
    return Image.wrap(bgr.cols(), bgr.rows(), 3, pixels);
  }

  private static Path data(String relative) {
    Path path = Path.of(System.getProperty("oneshot.data", "../../shared/data")).resolve(relative);
    if (!Files.exists(path)) {
      String message = "shared test data not found at " + path.toAbsolutePath();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return path;
  }
}
