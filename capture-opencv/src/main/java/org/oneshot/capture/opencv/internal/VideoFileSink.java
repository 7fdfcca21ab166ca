package org.oneshot.capture.opencv.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.oneshot.api.FrameSink;
import org.oneshot.api.FrameWriter;
import org.oneshot.api.Image;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** MJPEG AVI files through OpenCV's built-in writer (this OpenCV build has no FFmpeg). */
@Component(property = {FrameSink.TYPE + "=video"})
public final class VideoFileSink implements FrameSink {
  /** Present only while OpenCV's native library is loaded. */
  @Reference private Core opencv;

  @Override
  public FrameWriter open(Path file, double framesPerSecond, int width, int height)
      throws IOException {
    if (width <= 0 || height <= 0 || !(framesPerSecond > 0)) {
      throw new IllegalArgumentException(
          "a video needs a positive size and frame rate, not "
              + width
              + "x"
              + height
              + " at "
              + framesPerSecond);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IOException(file + ": its folder does not exist");
    }
    // Owner-only from the start: the frames are faces.
    if (!Files.exists(file)) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    // OpenCV's own MJPEG writer, named: with CAP_ANY OpenCV first tries its image-sequence
    // backend, which fails on an .avi name and prints an OpenCV exception into the user's terminal.
    VideoWriter writer =
        new VideoWriter(
            file.toString(),
            Videoio.CAP_OPENCV_MJPEG,
            VideoWriter.fourcc('M', 'J', 'P', 'G'),
            framesPerSecond,
            new Size(width, height),
            true);
    if (!writer.isOpened()) {
      writer.release();
      throw new IOException(file + ": OpenCV cannot write this file (use a .avi name)");
    }
    return new Writer(writer, file, new Size(width, height));
  }

  private static final class Writer implements FrameWriter {
    private final VideoWriter writer;
    private final Path file;
    private final Size size;

    Writer(VideoWriter writer, Path file, Size size) {
      this.writer = writer;
      this.file = file;
      this.size = size;
    }

    @Override
    public void write(Image frame) throws IOException {
      Mat bgr = Mats.toBgr(frame);
      try {
        if (bgr.cols() != (int) size.width || bgr.rows() != (int) size.height) {
          Imgproc.resize(bgr, bgr, size);
        }
        writer.write(bgr);
      } catch (RuntimeException e) {
        throw new IOException(file + ": writing a frame failed: " + e.getMessage(), e);
      } finally {
        bgr.release();
      }
    }

    @Override
    public void close() {
      writer.release();
    }
  }
}
