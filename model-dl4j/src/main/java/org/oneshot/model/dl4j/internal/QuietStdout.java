package org.oneshot.model.dl4j.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * Runs a call with what it prints to {@code System.out} from its own thread dropped. ND4J
 * 1.0.0-M2.1's {@code SameDiff.createGradFunction} prints one line per differentiated op ("Added
 * differentiated op conv2d_9") with {@code System.out.println}: some 80 lines in the middle of a
 * shell command's output, where only results belong. Other threads' prints go through unchanged.
 */
final class QuietStdout {
  private static final Object SWAP = new Object();

  private QuietStdout() {}

  static <T> T call(Callable<T> work) throws Exception {
    synchronized (SWAP) {
      PrintStream previous = System.out;
      Thread quiet = Thread.currentThread();
      System.setOut(
          new PrintStream(
              new OutputStream() {
                @Override
                public void write(int b) {
                  if (Thread.currentThread() != quiet) {
                    previous.write(b);
                  }
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                  if (Thread.currentThread() != quiet) {
                    previous.write(bytes, offset, length);
                  }
                }

                @Override
                public void flush() {
                  previous.flush();
                }
              },
              true));
      try {
        return work.call();
      } finally {
        System.setOut(previous);
      }
    }
  }
}
