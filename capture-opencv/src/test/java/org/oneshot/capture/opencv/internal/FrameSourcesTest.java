package org.oneshot.capture.opencv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.Frame;
import org.oneshot.api.FrameStream;
import org.oneshot.api.Image;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

class FrameSourcesTest {
  @TempDir Path temp;

  @BeforeAll
  static void load() {
    OpenCvTestSupport.loadOpenCv();
  }

  /** Writes the AT&T images of s1 as an MJPEG AVI, the format this OpenCV build reads. */
  static Path writeAttVideo(Path file) {
    Path person = OpenCvTestSupport.data("att_faces/s1");
    VideoWriter writer =
        new VideoWriter(
            file.toString(),
            Videoio.CAP_OPENCV_MJPEG,
            VideoWriter.fourcc('M', 'J', 'P', 'G'),
            10,
            new Size(92, 112),
            true);
    assertTrue(writer.isOpened(), "MJPEG writer did not open");
    for (int i = 1; i <= 10; i++) {
      Mat image = Imgcodecs.imread(person.resolve(i + ".pgm").toString(), Imgcodecs.IMREAD_COLOR);
      writer.write(image);
      image.release();
    }
    writer.release();
    return file;
  }

  @Test
  void theVideoSinkWritesAnOwnerOnlyAviTheVideoSourceReadsBack() throws IOException {
    Path out = temp.resolve("annotated.avi");
    byte[] red = new byte[64 * 48 * 3];
    for (int i = 0; i < red.length; i += 3) {
      red[i] = (byte) 220;
    }
    try (org.oneshot.api.FrameWriter writer = new VideoFileSink().open(out, 5, 64, 48)) {
      for (int i = 0; i < 6; i++) {
        writer.write(Image.of(64, 48, 3, red));
      }
      writer.write(Image.of(32, 24, 1, new byte[32 * 24])); // another size: scaled
    }
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    List<Frame> frames = readAll(new VideoFileSource().open(out.toString()));
    assertEquals(7, frames.size());
    Image first = frames.get(0).image();
    assertEquals(64, first.width());
    assertTrue(first.get(10, 10, 0) > 180 && first.get(10, 10, 2) < 60, "red stays red (RGB)");
    assertThrows(
        IOException.class, () -> new VideoFileSink().open(temp.resolve("no/x.avi"), 5, 8, 8));
  }

  @Test
  void readsAnMjpegAviBackFrameByFrame() throws IOException {
    Path video = writeAttVideo(temp.resolve("att s1.avi"));
    List<Frame> frames = readAll(new VideoFileSource().open(video.toString()));
    assertEquals(10, frames.size());
    for (int i = 0; i < frames.size(); i++) {
      Frame frame = frames.get(i);
      assertEquals(i, frame.index());
      assertEquals(92, frame.image().width());
      assertEquals(112, frame.image().height());
      assertEquals(3, frame.image().channels());
      assertEquals("video:" + video, frame.sourceId());
    }
    // MJPEG is lossy, but the frames are the pictures that went in.
    Mat original =
        Imgcodecs.imread(
            OpenCvTestSupport.data("att_faces/s1/1.pgm").toString(), Imgcodecs.IMREAD_GRAYSCALE);
    Image first = frames.get(0).image().toGray();
    double diff = 0;
    for (int y = 0; y < 112; y++) {
      for (int x = 0; x < 92; x++) {
        diff += Math.abs(first.get(x, y, 0) - original.get(y, x)[0]);
      }
    }
    assertTrue(diff / (92 * 112) < 8, "mean absolute difference " + diff / (92 * 112));
    assertTrue(frames.get(9).timestampMillis() > frames.get(0).timestampMillis());
  }

  @Test
  void aFileItCannotDecodeIsAClearError() throws IOException {
    Path fake = temp.resolve("fake.avi");
    Files.writeString(fake, "not a video");
    IOException e =
        assertThrows(IOException.class, () -> new VideoFileSource().open(fake.toString()));
    assertTrue(e.getMessage().contains("fake.avi: cannot decode"), e.getMessage());
    assertThrows(
        IOException.class, () -> new VideoFileSource().open(temp.resolve("none.avi").toString()));
  }

  @Test
  void readsAFolderInNameOrder() throws IOException {
    List<Frame> frames =
        readAll(new FolderSource().open(OpenCvTestSupport.data("att_faces/s2").toString()));
    assertEquals(10, frames.size());
    Mat tenth =
        Imgcodecs.imread(
            OpenCvTestSupport.data("att_faces/s2/10.pgm").toString(), Imgcodecs.IMREAD_GRAYSCALE);
    // Name order: 1.pgm, 10.pgm, 2.pgm …
    assertEquals((int) tenth.get(50, 40)[0], frames.get(1).image().get(40, 50, 0));
  }

  @Test
  void aFolderSkipsFilesThatAreNotImages() throws IOException {
    Files.writeString(temp.resolve("a.jpg"), "not a picture");
    Files.copy(OpenCvTestSupport.data("att_faces/s1/1.pgm"), temp.resolve("b.pgm"));
    assertEquals(1, readAll(new FolderSource().open(temp.toString())).size());
  }

  @Test
  void aMissingCameraFailsAtOnceWithAClearMessage() {
    IOException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                assertThrows(
                    IOException.class, () -> new CameraSource(0, 640, 480, 30, 5).open("7")));
    assertTrue(e.getMessage().startsWith("camera:7: "), e.getMessage());
    assertThrows(IOException.class, () -> new CameraSource(0, 640, 480, 30, 5).open("front"));
  }

  private static List<Frame> readAll(FrameStream stream) throws IOException {
    List<Frame> frames = new ArrayList<>();
    try (stream) {
      for (Optional<Frame> f = stream.next(); f.isPresent(); f = stream.next()) {
        frames.add(f.get());
      }
    }
    return frames;
  }
}
