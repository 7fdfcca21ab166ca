package org.oneshot.pipeline.internal.plugins;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls into plugins on daemon threads of their own, so that a plugin that hangs costs its caller
 * the timeout, not forever. What the call throws is thrown as it is.
 *
 * <p>A plugin that ignores the interrupt keeps its thread after a timeout. Until that call returns,
 * further calls to the same plugin fail at once instead of each costing the timeout again and
 * piling up threads inside it.
 */
public final class TimedCalls implements AutoCloseable {
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService pool;
  // Plugin → the call that timed out and has not returned yet.
  private final Map<Object, StuckCall> stuck = new ConcurrentHashMap<>();

  private static final long INTERRUPT_GRACE_MS = 200;

  private record StuckCall(long sinceNanos, long timeoutMillis) {}

  /** Threads are named {@code prefix-N}. */
  public TimedCalls(String prefix) {
    pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, prefix + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The result of {@code call} into {@code plugin} (any key that identifies it), run on a pool
   * thread.
   *
   * @throws PluginTimeoutException when it has not answered within {@code timeoutMillis} (it is
   *     interrupted), or when an earlier call to {@code plugin} timed out and is still running
   * @throws IOException when the call throws one
   */
  public <T> T call(Object plugin, Callable<T> call, long timeoutMillis) throws IOException {
    StuckCall earlier = stuck.get(plugin);
    if (earlier != null) {
      throw new PluginTimeoutException(
          String.format(
              java.util.Locale.ROOT,
              "still inside a call that did not answer within %d ms, %.0f s ago; not called again"
                  + " until it returns",
              earlier.timeoutMillis(),
              (System.nanoTime() - earlier.sinceNanos()) / 1e9));
    }
    StuckCall token = new StuckCall(System.nanoTime(), timeoutMillis);
    CountDownLatch returned = new CountDownLatch(1);
    Future<T> running =
        pool.submit(
            () -> {
              try {
                return call.call();
              } finally {
                returned.countDown();
                stuck.remove(plugin, token);
              }
            });
    try {
      return running.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      running.cancel(true);
      if (!awaitQuietly(returned)) { // a plugin that heeds the interrupt returns within this
        stuck.put(plugin, token);
        if (returned.getCount() == 0) { // it returned between the wait and the line above
          stuck.remove(plugin, token);
        }
      }
      throw new PluginTimeoutException("did not answer within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      running.cancel(true);
      Thread.currentThread().interrupt();
      throw new PluginTimeoutException("interrupted while waiting for it");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static boolean awaitQuietly(CountDownLatch returned) {
    try {
      return returned.await(INTERRUPT_GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return returned.getCount() == 0;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** A plugin that did not answer in time. */
  public static final class PluginTimeoutException extends RuntimeException {
    PluginTimeoutException(String message) {
      super(message);
    }
  }
}
