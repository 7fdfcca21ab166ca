package org.oneshot.capture.opencv.internal;

import java.io.IOException;
import java.util.Optional;
import org.oneshot.api.Frame;
import org.oneshot.api.FrameStream;
import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

/**
 * Frames from an open {@link VideoCapture}, a camera or a video file alike: the one code path both
 * sources share, so what the tests prove with files holds for cameras.
 */
final class VideoCaptureStream implements FrameStream {
  private final VideoCapture capture;
  private final String sourceId;
  private final boolean live;
  private final Mat frame = new Mat();
  private long index;

  /**
   * @param live true for a camera: timestamps are wall-clock; false for a file: its position
   */
  VideoCaptureStream(VideoCapture capture, String sourceId, boolean live) {
    this.capture = capture;
    this.sourceId = sourceId;
    this.live = live;
  }

  @Override
  public String sourceId() {
    return sourceId;
  }

  @Override
  public synchronized Optional<Frame> next() throws IOException {
    if (!capture.isOpened()) {
      throw new IOException(sourceId + ": closed");
    }
    if (!capture.read(frame) || frame.empty()) {
      return Optional.empty();
    }
    long timestamp =
        live ? System.currentTimeMillis() : (long) capture.get(Videoio.CAP_PROP_POS_MSEC);
    return Optional.of(new Frame(Mats.toImage(frame), index++, timestamp, sourceId));
  }

  @Override
  public synchronized void close() {
    capture.release();
    frame.release();
  }
}
