package org.oneshot.pipeline.internal.plugins;

import java.io.IOException;
import java.util.concurrent.Callable;
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
 */
public final class TimedCalls implements AutoCloseable {
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService pool;

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
   * The result of {@code call}, run on a pool thread.
   *
   * @throws PluginTimeoutException when it has not answered within {@code timeoutMillis} (it is
   *     interrupted)
   * @throws IOException when the call throws one
   */
  public <T> T call(Callable<T> call, long timeoutMillis) throws IOException {
    Future<T> running = pool.submit(call);
    try {
      return running.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      running.cancel(true);
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
