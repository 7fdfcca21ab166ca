package org.oneshot.api.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import org.oneshot.api.SiameseNetwork;

/**
 * The networks a backend handed out, so that stopping its bundle frees the native memory of those
 * still open. Held weakly: a network its user closed and dropped is not kept alive here.
 */
public final class OpenNetworks<T extends SiameseNetwork> {
  private final Set<T> open =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Remembers {@code network} and returns it. */
  public T track(T network) {
    open.add(network);
    return network;
  }

  /**
   * Loads with {@code load} (run on the engine's terms by the caller) and remembers the network;
   * any failure becomes an IOException naming {@code file}.
   */
  public T load(Path file, Callable<T> load) throws IOException {
    try {
      return track(load.call());
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Closes every network still held; for the backend's deactivation. */
  public void closeAll() {
    List<T> all;
    synchronized (open) {
      all = new ArrayList<>(open);
      open.clear();
    }
    all.forEach(SiameseNetwork::close);
  }
}
