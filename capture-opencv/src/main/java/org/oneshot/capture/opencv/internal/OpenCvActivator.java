package org.oneshot.capture.opencv.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import org.opencv.core.Core;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads OpenCV's native library through this bundle's class loader (Bundle-NativeCode: no temp
 * files, nothing left behind at shutdown) and then announces it as a {@link Core} service. Every
 * component that calls OpenCV, here or in another bundle, references that service, so none runs
 * before the library is loaded or after this bundle stops.
 */
public final class OpenCvActivator implements BundleActivator {
  /** The library name; {@code Core.NATIVE_LIBRARY_NAME} is itself native, so it cannot tell us. */
  static final String LIBRARY = "opencv_java490";

  private static final Logger LOG = LoggerFactory.getLogger(OpenCvActivator.class);

  private ServiceRegistration<Core> registration;

  @Override
  public void start(BundleContext context) {
    loadNativeLibrary();
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("opencv.version", Core.VERSION);
    registration = context.registerService(Core.class, new Core(), props);
    LOG.info("OpenCV {} loaded", Core.VERSION);
  }

  @Override
  public void stop(BundleContext context) {
    if (registration != null) {
      registration.unregister();
      registration = null;
    }
  }

  /** Loads the library once per class loader; later calls do nothing. */
  static synchronized void loadNativeLibrary() {
    try {
      System.loadLibrary(LIBRARY);
    } catch (UnsatisfiedLinkError e) {
      if (e.getMessage() != null && e.getMessage().contains("already loaded")) {
        throw new IllegalStateException(
            "OpenCV is already loaded by another bundle; exactly one bundle may carry it", e);
      }
      throw new IllegalStateException(
          "cannot load OpenCV's native library "
              + LIBRARY
              + " (this bundle carries it for Linux x86-64 only): "
              + e.getMessage(),
          e);
    }
  }
}
