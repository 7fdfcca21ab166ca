package org.oneshot.model.djl.internal;

/** Versions recorded with every model. */
final class Versions {
  /** This bundle's version, as the manifest says, or "dev" outside OSGi. */
  static final String ONESHOT = version();

  private Versions() {}

  private static String version() {
    String v = Versions.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    var bundle = org.osgi.framework.FrameworkUtil.getBundle(Versions.class);
    return bundle == null ? "dev" : bundle.getVersion().toString();
  }
}
