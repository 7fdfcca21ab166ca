package org.oneshot.distribution.plugins;

import java.util.Hashtable;
import org.oneshot.api.SiameseModel;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Registers a {@link MisbehavingModel} under the backend name and ranking of the bundle's {@code
 * Model-Name} and {@code Model-Ranking} headers.
 */
public final class ModelActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {
    var headers = context.getBundle().getHeaders();
    String name = headers.get("Model-Name");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(SiameseModel.BACKEND, name);
    props.put(Constants.SERVICE_RANKING, Integer.valueOf(headers.get("Model-Ranking")));
    context.registerService(SiameseModel.class, new MisbehavingModel(name), props);
  }

  @Override
  public void stop(BundleContext context) {
    // The framework unregisters the service.
  }
}
