package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.oneshot.api.SiameseNetwork;

class OpenNetworksTest {
  /** A network that only counts its closes (the other methods are not reached here). */
  private static SiameseNetwork counting(AtomicInteger closes) {
    return (SiameseNetwork)
        Proxy.newProxyInstance(
            SiameseNetwork.class.getClassLoader(),
            new Class<?>[] {SiameseNetwork.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "close" -> closes.incrementAndGet();
                case "hashCode" -> {
                  return System.identityHashCode(proxy);
                }
                case "equals" -> {
                  return proxy == args[0];
                }
                default -> throw new UnsupportedOperationException(method.getName());
              }
              return null;
            });
  }

  @Test
  void closeAllClosesWhatIsStillHeldOnce() throws IOException {
    AtomicInteger closes = new AtomicInteger();
    OpenNetworks<SiameseNetwork> open = new OpenNetworks<>();
    // Held here, so the weak set cannot lose them to a collection mid-test.
    SiameseNetwork first = open.track(counting(closes));
    SiameseNetwork held = open.load(Path.of("b.model"), () -> counting(closes));
    open.closeAll();
    assertEquals(2, closes.get());
    open.closeAll();
    assertEquals(2, closes.get(), "forgotten after closing");
    first.close();
    held.close(); // still usable by its holder: closing twice is the network's business
  }

  @Test
  void aCheckedLoadFailureNamesTheFile() {
    OpenNetworks<SiameseNetwork> open = new OpenNetworks<>();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                open.load(
                    Path.of("x.model"),
                    () -> {
                      throw new Exception("bad header");
                    }));
    assertTrue(e.getMessage().startsWith("x.model: bad header"), e.getMessage());
  }
}
