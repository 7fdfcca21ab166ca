package org.oneshot.model.dl4j.internal;

import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the native memory DL4J's training steps leave behind. A step leaves its arrays' native
 * memory to the Java GC, which a quiet heap seldom runs: the Koch net grew past 20 GB between
 * collections. Above a threshold (40% of the machine's memory, at least 4 GiB) a step ends with a
 * collection — but only once the process has grown by {@link #GROWTH_BYTES} since the last one. The
 * process's resident size seldom shrinks after a collection (the C allocator keeps freed memory for
 * reuse), so a bare threshold, once crossed, collected after every step: in face:bench, after DJL's
 * run had grown the process to 9.8 GiB, DL4J's small steps ran at 77 pairs/s instead of 116
 * (README, face:bench). Most of that memory was SameDiff's per-step array caches, off since stop 39
 * ({@link Nd4jRuntime}): DL4J's koch training then peaked at 4.0 GiB and faces at 1.4, below the
 * threshold on a 24 GiB machine. The bound stays for what is still left to the GC (inputs,
 * outputs).
 */
final class NativeMemoryBound {
  private static final Logger LOG = LoggerFactory.getLogger(NativeMemoryBound.class);

  /** Growth since the last collection that calls for the next one: 1 GiB. */
  static final long GROWTH_BYTES = 1L << 30;

  private static final NativeMemoryBound PROCESS =
      new NativeMemoryBound(
          Math.max(4L << 30, (long) (Pointer.totalPhysicalBytes() * 0.4)),
          Pointer::physicalBytes,
          System::gc);

  private final long threshold;
  private final LongSupplier residentBytes;
  private final Runnable collect;
  private long afterLastCollection; // guarded by this

  NativeMemoryBound(long threshold, LongSupplier residentBytes, Runnable collect) {
    this.threshold = threshold;
    this.residentBytes = residentBytes;
    this.collect = collect;
  }

  /** After a training step of any network in this JVM. */
  static void afterStep() {
    PROCESS.check();
  }

  /** Collects when the process is over the threshold and has grown since the last collection. */
  synchronized boolean check() {
    long resident = residentBytes.getAsLong();
    if (resident <= Math.max(threshold, afterLastCollection + GROWTH_BYTES)) {
      return false;
    }
    collect.run();
    afterLastCollection = residentBytes.getAsLong();
    LOG.debug(
        "native memory: collected at {} MiB resident, {} MiB after",
        resident >> 20,
        afterLastCollection >> 20);
    return true;
  }
}
