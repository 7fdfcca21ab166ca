package org.oneshot.model.djl.internal;

import java.util.concurrent.Callable;

/**
 * Runs code with this bundle's class loader as the thread context class loader: DJL finds its
 * engine (ServiceLoader) and PyTorch's native library description through it, on every thread.
 */
final class Tccl {
  private Tccl() {}

  static <T> T call(Callable<T> work) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(Tccl.class.getClassLoader());
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
