package org.oneshot.pipeline.internal.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.oneshot.pipeline.internal.plugins.TimedCalls.PluginTimeoutException;

class TimedCallsTest {
  private final TimedCalls calls = new TimedCalls("test-call");
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger entered = new AtomicInteger();

  @AfterEach
  void close() {
    release.countDown();
    calls.close();
  }

  /** A plugin call that ignores interrupts until the test releases it. */
  private String stubborn() {
    entered.incrementAndGet();
    while (true) {
      try {
        if (release.await(10, TimeUnit.SECONDS)) {
          return "late";
        }
      } catch (InterruptedException ignored) {
        // a badly written plugin: carries on
      }
    }
  }

  @Test
  void aPluginStuckAfterATimeoutIsNotCalledAgainUntilItReturns() throws Exception {
    Object plugin = "stubborn";
    PluginTimeoutException first =
        assertThrows(PluginTimeoutException.class, () -> calls.call(plugin, this::stubborn, 100));
    assertEquals("did not answer within 100 ms", first.getMessage());

    PluginTimeoutException again =
        assertThrows(PluginTimeoutException.class, () -> calls.call(plugin, this::stubborn, 100));
    assertTrue(
        again.getMessage().startsWith("still inside a call that did not answer within 100 ms"),
        again.getMessage());
    assertEquals(1, entered.get(), "the stuck plugin must not be entered again");
    assertEquals("other", calls.call("another plugin", () -> "other", 100));

    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String answer = null;
    while (answer == null && System.nanoTime() < deadline) {
      try {
        answer = calls.call(plugin, () -> "back", 1000);
      } catch (PluginTimeoutException stillStuck) {
        Thread.sleep(20);
      }
    }
    assertEquals("back", answer);
  }

  @Test
  void aPluginThatHeedsTheInterruptIsCalledAgainAtOnce() throws Exception {
    Object plugin = "polite";
    assertThrows(
        PluginTimeoutException.class,
        () ->
            calls.call(
                plugin,
                () -> {
                  Thread.sleep(Long.MAX_VALUE);
                  return "never";
                },
                100));
    assertEquals("next", calls.call(plugin, () -> "next", 1000));
  }
}
