package org.oneshot.distribution.plugins;

import java.util.Hashtable;
import org.oneshot.api.FaceDetector;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Registers the detector class named in the bundle's {@code Detector-Class} header under the name
 * and ranking of its {@code Detector-Name} and {@code Detector-Ranking} headers: the whole of a
 * detector plugin besides the detector itself.
 */
public final class DetectorActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) throws Exception {
    var headers = context.getBundle().getHeaders();
    FaceDetector detector =
        (FaceDetector)
            context
                .getBundle()
                .loadClass(headers.get("Detector-Class"))
                .getConstructor()
                .newInstance();
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(FaceDetector.NAME, headers.get("Detector-Name"));
    props.put(Constants.SERVICE_RANKING, Integer.valueOf(headers.get("Detector-Ranking")));
    context.registerService(FaceDetector.class, detector, props);
  }

  @Override
  public void stop(BundleContext context) {
    // The framework unregisters the service.
  }
}
