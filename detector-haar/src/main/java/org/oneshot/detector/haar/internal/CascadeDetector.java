package org.oneshot.detector.haar.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Face detection with one OpenCV cascade. A {@link CascadeClassifier} is not safe to share between
 * threads, so each concurrent call borrows one from a small pool.
 */
final class CascadeDetector implements AutoCloseable {
  /** Detection parameters, as {@code detectMultiScale} takes them. */
  record Parameters(double scaleFactor, int minNeighbors, int minSize) {
    Parameters {
      if (scaleFactor <= 1.0) {
        throw new IllegalArgumentException("scale factor must be above 1: " + scaleFactor);
      }
      if (minNeighbors < 0 || minSize < 1) {
        throw new IllegalArgumentException("min neighbours must be >= 0 and min size >= 1");
      }
    }
  }

  private final Path cascadeFile;
  private final Parameters parameters;
  private final BlockingQueue<CascadeClassifier> pool;
  private final List<CascadeClassifier> all = new ArrayList<>();
  private volatile boolean closed;

  CascadeDetector(Path cascadeFile, Parameters parameters, int poolSize) {
    this.cascadeFile = cascadeFile;
    this.parameters = parameters;
    this.pool = new ArrayBlockingQueue<>(poolSize);
    for (int i = 0; i < poolSize; i++) {
      CascadeClassifier classifier;
      try {
        classifier = new CascadeClassifier(cascadeFile.toString());
      } catch (RuntimeException e) { // OpenCV's CvException for a malformed file
        throw new IllegalStateException(cascadeFile + ": not a cascade OpenCV can load", e);
      }
      if (classifier.empty()) {
        throw new IllegalStateException(cascadeFile + ": not a cascade OpenCV can load");
      }
      all.add(classifier);
      pool.add(classifier);
    }
  }

  /**
   * Copies a cascade shipped in the bundle to {@code target} (CascadeClassifier reads only real
   * files) and returns it.
   */
  static Path extract(Class<?> owner, String resource, Path target) throws IOException {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("cascade " + resource + " missing from the bundle");
      }
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  List<FaceBox> detect(Image image) {
    Mat grey = greyMat(image);
    MatOfRect faces = new MatOfRect();
    MatOfInt levels = new MatOfInt();
    MatOfDouble weights = new MatOfDouble();
    CascadeClassifier classifier = borrow();
    try {
      // outputRejectLevels = true gives each face the cascade's last-stage score: the confidence.
      classifier.detectMultiScale3(
          grey,
          faces,
          levels,
          weights,
          parameters.scaleFactor(),
          parameters.minNeighbors(),
          0,
          new Size(parameters.minSize(), parameters.minSize()),
          new Size(),
          true);
      Rect[] rects = faces.toArray();
      double[] scores = weights.empty() ? new double[0] : weights.toArray();
      List<FaceBox> boxes = new ArrayList<>(rects.length);
      for (int i = 0; i < rects.length; i++) {
        double confidence = i < scores.length ? scores[i] : 0;
        boxes.add(new FaceBox(rects[i].x, rects[i].y, rects[i].width, rects[i].height, confidence));
      }
      return boxes;
    } finally {
      if (!closed) {
        pool.add(classifier);
      }
      grey.release();
      faces.release();
      levels.release();
      weights.release();
    }
  }

  private CascadeClassifier borrow() {
    try {
      while (true) {
        if (closed) {
          throw new IllegalStateException(
              "the detector was stopped or reconfigured while in use; try again");
        }
        CascadeClassifier classifier = pool.poll(100, TimeUnit.MILLISECONDS);
        if (classifier != null) {
          return classifier;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a cascade", e);
    }
  }

  private static Mat greyMat(Image image) {
    Image grey = image.toGray();
    Mat mat = new Mat(grey.height(), grey.width(), CvType.CV_8UC1);
    mat.put(0, 0, grey.toByteArray());
    return mat;
  }

  @Override
  public String toString() {
    return "CascadeDetector[" + cascadeFile.getFileName() + ", " + parameters + "]";
  }

  @Override
  public void close() {
    // A caller that still holds this detector gets a clear error, not a wait on an empty pool.
    closed = true;
    // CascadeClassifier frees its native memory when collected; drop our references.
    pool.clear();
    all.clear();
  }
}
