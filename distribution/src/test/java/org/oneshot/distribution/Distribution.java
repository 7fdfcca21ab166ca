package org.oneshot.distribution;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.ops4j.pax.exam.Option;

/** The Pax Exam side of the integration tests: the distribution's bundle set, and the shell. */
final class Distribution {
  private Distribution() {}

  /** Every bundle of target/oneshot/bundle, plus what the test probe needs. */
  static List<Option> bundles() {
    File bundleDir = new File(System.getProperty("oneshot.app"), "bundle");
    File[] jars = bundleDir.listFiles((dir, name) -> name.endsWith(".jar"));
    if (jars == null || jars.length == 0) {
      throw new IllegalStateException(
          "no bundles in " + bundleDir + ": run the package phase first");
    }
    Arrays.sort(jars);
    List<Option> options = new ArrayList<>();
    for (File jar : jars) {
      options.add(bundle(jar.toURI().toString()));
    }
    options.add(junitBundles());
    options.add(cleanCaches());
    options.add(frameworkProperty("gosh.args").value("--nointeractive"));
    options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
    options.add(systemProperty("oneshot.data").value(data()));
    return options;
  }

  /** Runs a command line through Gogo as the shell does; what it prints and returns, as text. */
  static String run(CommandProcessor processor, String line) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    CommandSession session =
        processor.createSession(new ByteArrayInputStream(new byte[0]), print, print);
    try {
      Object result = session.execute(line);
      if (result != null) {
        print.println(session.format(result, Converter.INSPECT));
      }
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      session.close();
    }
  }

  /** The installed bundle of that symbolic name. */
  static org.osgi.framework.Bundle installed(
      org.osgi.framework.BundleContext context, String symbolicName) {
    for (org.osgi.framework.Bundle b : context.getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    throw new AssertionError(symbolicName + " is not installed");
  }

  /**
   * A new owner-only folder under {@code java.io.tmpdir}, deleted with everything in it when the
   * JVM exits: the tests' models, workspaces and copies of faces do not pile up run after run.
   */
  static Path scratch(String prefix) throws IOException {
    Path folder = Files.createTempDirectory(prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(folder)));
    return folder;
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> tree = Files.walk(folder)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort at exit: the folder stays in the temp directory
    }
  }

  static String data() {
    String data = System.getProperty("oneshot.data");
    if (data == null || !new File(data).isDirectory()) {
      throw new AssertionError(
          "shared test data not found at "
              + data
              + " (expected ../shared/data beside the repository)");
    }
    return new File(data).getAbsolutePath();
  }

  /** The message of what {@code call} throws; says so when it does not throw. */
  static String message(java.util.concurrent.Callable<String> call) {
    try {
      return "did not fail: " + call.call();
    } catch (Exception e) {
      return String.valueOf(e.getMessage());
    }
  }

  /**
   * Configuration is applied asynchronously: polls {@code condition} for up to 10 s; a call that
   * throws meanwhile (the component being reconfigured) counts as not yet.
   */
  static boolean waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return true;
        }
      } catch (RuntimeException e) {
        // not ready yet
      }
      Thread.sleep(100);
    }
    return condition.call();
  }
}
