package org.oneshot.capture.opencv.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.oneshot.api.FrameSource;
import org.oneshot.api.FrameStream;
import org.opencv.core.Core;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A camera (V4L2 on Linux) as frames. Location is the device index ({@code camera:0}); an empty
 * location takes the configured one. Where no camera exists, opening fails at once with a message
 * that says so, and an open that hangs is abandoned after the configured timeout.
 */
@Component(
    property = {FrameSource.TYPE + "=camera"},
    configurationPid = "org.oneshot.capture.camera")
@Designate(ocd = CameraSource.Config.class)
public final class CameraSource implements FrameSource {

  @ObjectClassDefinition(
      name = "oneshot camera",
      description = "The webcam that captures anchors, positives and live probes.")
  public @interface Config {
    @AttributeDefinition(
        min = "0",
        description = "Device index used when the source names none (camera:)")
    int device() default 0;

    @AttributeDefinition(min = "1", description = "Requested frame width in pixels")
    int width() default 640;

    @AttributeDefinition(min = "1", description = "Requested frame height in pixels")
    int height() default 480;

    @AttributeDefinition(min = "0", description = "Requested frames per second")
    double fps() default 30;

    @AttributeDefinition(min = "1", description = "Seconds to wait for the camera to open")
    int openTimeoutSeconds() default 10;
  }

  /** Present only while OpenCV's native library is loaded. */
  @Reference private Core opencv;

  private final int device;
  private final int width;
  private final int height;
  private final double fps;
  private final int openTimeoutSeconds;

  @Activate
  public CameraSource(Config config) {
    this(
        config.device(),
        config.width(),
        config.height(),
        config.fps(),
        config.openTimeoutSeconds());
  }

  CameraSource(int device, int width, int height, double fps, int openTimeoutSeconds) {
    this.device = device;
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.openTimeoutSeconds = openTimeoutSeconds;
  }

  @Override
  public FrameStream open(String location) throws IOException {
    int index;
    try {
      index = location.isBlank() ? device : Integer.parseInt(location.trim());
    } catch (NumberFormatException e) {
      throw new IOException("camera '" + location + "': expected a device index such as 0");
    }
    String id = "camera:" + index;
    Path node = Path.of("/dev/video" + index);
    if (isLinux() && !Files.exists(node)) {
      throw new IOException(id + ": no camera (" + node + " does not exist)");
    }
    VideoCapture capture = openWithin(index, id);
    capture.set(Videoio.CAP_PROP_FRAME_WIDTH, width);
    capture.set(Videoio.CAP_PROP_FRAME_HEIGHT, height);
    capture.set(Videoio.CAP_PROP_FPS, fps);
    return new VideoCaptureStream(capture, id, true);
  }

  private VideoCapture openWithin(int index, String id) throws IOException {
    ExecutorService opener =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "oneshot-camera-open");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<VideoCapture> opening = opener.submit(() -> new VideoCapture(index));
      VideoCapture capture = opening.get(openTimeoutSeconds, TimeUnit.SECONDS);
      if (!capture.isOpened()) {
        capture.release();
        throw new IOException(
            id + ": the camera exists but could not be opened (busy or no access?)");
      }
      return capture;
    } catch (TimeoutException e) {
      throw new IOException(id + ": the camera did not open within " + openTimeoutSeconds + " s");
    } catch (ExecutionException e) {
      throw new IOException(id + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(id + ": interrupted while opening", e);
    } finally {
      opener.shutdownNow();
    }
  }

  private static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
  }
}
