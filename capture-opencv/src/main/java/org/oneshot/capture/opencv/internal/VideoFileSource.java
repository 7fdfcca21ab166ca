package org.oneshot.capture.opencv.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.oneshot.api.FrameSource;
import org.oneshot.api.FrameStream;
import org.opencv.core.Core;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** A video file as frames. This OpenCV build decodes MJPEG AVI (no FFmpeg). */
@Component(property = {FrameSource.TYPE + "=video"})
public final class VideoFileSource implements FrameSource {
  /** Present only while OpenCV's native library is loaded. */
  @Reference private Core opencv;

  @Override
  public FrameStream open(String location) throws IOException {
    Path file = Path.of(location);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(location, null, "no such video file");
    }
    VideoCapture capture = new VideoCapture(file.toString(), Videoio.CAP_ANY);
    if (!capture.isOpened()) {
      capture.release();
      throw new IOException(
          location + ": cannot decode this video (this OpenCV build reads MJPEG AVI files)");
    }
    return new VideoCaptureStream(capture, "video:" + location, false);
  }
}
