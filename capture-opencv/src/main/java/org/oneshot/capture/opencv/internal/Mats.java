package org.oneshot.capture.opencv.internal;

import org.oneshot.api.Image;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** Between OpenCV's BGR {@link Mat}s and oneshot's RGB {@link Image}s. */
final class Mats {
  private Mats() {}

  /** An 8-bit grey, BGR or BGRA mat as a grey or RGB image. */
  static Image toImage(Mat mat) {
    if (mat.depth() != CvType.CV_8U) {
      throw new IllegalArgumentException(
          "expected an 8-bit image, got " + CvType.typeToString(mat.type()));
    }
    int channels = mat.channels();
    Mat converted = new Mat();
    try {
      switch (channels) {
        case 1 -> mat.copyTo(converted);
        case 3 -> Imgproc.cvtColor(mat, converted, Imgproc.COLOR_BGR2RGB);
        case 4 -> Imgproc.cvtColor(mat, converted, Imgproc.COLOR_BGRA2RGB);
        default -> throw new IllegalArgumentException("unsupported channel count " + channels);
      }
      byte[] pixels = new byte[(int) (converted.total() * converted.channels())];
      converted.get(0, 0, pixels);
      return Image.wrap(converted.cols(), converted.rows(), converted.channels(), pixels);
    } finally {
      converted.release();
    }
  }

  /** A grey or RGB image as an 8-bit BGR mat (release it). */
  static Mat toBgr(Image image) {
    Mat raw =
        new Mat(
            image.height(), image.width(), image.channels() == 1 ? CvType.CV_8UC1 : CvType.CV_8UC3);
    raw.put(0, 0, image.toByteArray());
    Mat bgr = new Mat();
    Imgproc.cvtColor(
        raw, bgr, image.channels() == 1 ? Imgproc.COLOR_GRAY2BGR : Imgproc.COLOR_RGB2BGR);
    raw.release();
    return bgr;
  }
}
