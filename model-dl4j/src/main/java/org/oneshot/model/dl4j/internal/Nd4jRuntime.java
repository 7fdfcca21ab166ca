package org.oneshot.model.dl4j.internal;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs ND4J code with this bundle's class loader where ND4J and JavaCPP look for classes and
 * natives: the thread context class loader and ND4J's own class-loader hook. Without them ND4J
 * finds no backend inside OSGi, and that failure sticks until the bundle is refreshed.
 */
final class Nd4jRuntime {
  private static final int GC_WINDOW_MS = 3_000;

  /** ND4J 1.0.0-M2.1's switch (sic) for ArrayCacheMemoryMgr's cache, read by every new session. */
  static final String SESSION_ARRAY_CACHE = "org.nd4j.autodiff.samediff";

  private static boolean configured;

  private Nd4jRuntime() {}

  static synchronized void configure() {
    if (configured) {
      return;
    }
    String home = System.getProperty("oneshot.home");
    if (home != null && System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
      // JavaCPP unpacks ND4J's natives here once, from the jars in this bundle.
      System.setProperty(
          "org.bytedeco.javacpp.cachedir", Path.of(home, "var", "javacpp").toString());
    }
    if (System.getProperty(SESSION_ARRAY_CACHE) == null) {
      // SameDiff's fit() opens a new session for every call — every training step here — and
      // each session keeps the arrays its ops release in a cache of its own (up to a quarter of
      // JavaCPP's memory limit) that nobody closes: the cache serves one step, then waits for the
      // GC. The faces bench peaked at 8.6–13.7 GiB resident with it, 1.2–1.6 GiB without, at the
      // same speed (README, face:bench). Without it, a released array is freed at once.
      System.setProperty(SESSION_ARRAY_CACHE, "false");
    }
    ND4JClassLoading.setNd4jClassloader(Nd4jRuntime.class.getClassLoader());
    configured = true;
    // ND4J's arrays hold native memory that is freed only when the Java GC collects them; with a
    // small, quiet heap that can take many training steps and gigabytes. ND4J's own periodic GC
    // keeps native memory bounded (measured in the closing notes of the DL4J issue).
    try {
      withBundleLoader(
          () -> {
            Nd4j.getMemoryManager().togglePeriodicGc(true);
            Nd4j.getMemoryManager().setAutoGcWindow(GC_WINDOW_MS);
            return null;
          });
    } catch (Exception e) {
      throw new IllegalStateException("ND4J did not start: " + e.getMessage(), e);
    }
  }

  static <T> T call(Callable<T> work) throws Exception {
    configure();
    return withBundleLoader(work);
  }

  private static <T> T withBundleLoader(Callable<T> work) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(Nd4jRuntime.class.getClassLoader());
    try {
      return work.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  static <T> T get(Callable<T> work) {
    try {
      return call(work);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
