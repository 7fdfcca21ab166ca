package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;

class Nd4jRuntimeTest {
  @Test
  void sessionsOpenedAfterConfigurationKeepNoArrayCache() throws Exception {
    // Each training step's session would otherwise hold its released arrays until a GC (the
    // faces bench peaked at 8.6–13.7 GiB instead of 1.2–1.6): the switch must be the one ND4J
    // reads.
    boolean cached = Nd4jRuntime.call(() -> new ArrayCacheMemoryMgr().isEnableCache());
    assertFalse(cached, "SameDiff sessions still cache released arrays");
  }
}
