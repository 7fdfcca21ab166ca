package org.oneshot.launcher;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Starts Felix with the bundles in {@code <home>/bundle} and either runs the interactive Gogo shell
 * or, with {@code -c 'COMMAND LINE'}, runs one command line and exits with 0 when it succeeded and
 * 1 when it failed (the framework's own stop codes never reach the user).
 *
 * <p>Bundles are installed by reference (not copied) into a persistent cache under {@code
 * <home>/var}, so a warm start skips installation. A second instance that finds the cache in use
 * runs on a private temporary cache instead of waiting.
 */
public final class Main {
  static final int OK = 0;
  static final int COMMAND_FAILED = 1;
  static final int USAGE = 2;
  static final int START_FAILED = 3;

  private static final String SHELL_BUNDLE = "org.apache.felix.gogo.shell";
  private static final String COMMAND_PROCESSOR =
      "org.apache.felix.service.command.CommandProcessor";
  private static final long SERVICE_WAIT_MS = 30_000;
  private static final String LOG_FILE = "org.slf4j.simpleLogger.logFile";

  /** How many earlier runs' logs are kept beside the current one. */
  private static final int KEPT_LOGS = 4;

  /** System properties: milliseconds from JVM start to a ready shell, and whether it was warm. */
  static final String START_MS = "oneshot.start.ms";

  static final String START_WARM = "oneshot.start.warm";

  // The process's own streams. Gogo swaps System.out/err for per-session redirectors once it runs;
  // handing those to a session would make it write into itself.
  private static final PrintStream OUT =
      new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
  private static final PrintStream ERR =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
  private static final InputStream IN = new FileInputStream(FileDescriptor.in);

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String command = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-c" -> {
          if (i + 1 >= args.length) {
            return usage("-c needs a command line");
          }
          command = args[++i];
        }
        case "-h", "--help" -> {
          usage(null);
          return OK;
        }
        default -> {
          return usage("unknown argument: " + args[i]);
        }
      }
    }
    Path home = Path.of(System.getProperty("oneshot.home", ".")).toAbsolutePath().normalize();
    try {
      return command == null ? interactive(home) : runCommand(home, command);
    } catch (Exception e) {
      ERR.println("oneshot: could not start: " + e.getMessage());
      return START_FAILED;
    }
  }

  private static int usage(String problem) {
    if (problem != null) {
      ERR.println("oneshot: " + problem);
    }
    ERR.println("usage: oneshot             start the interactive shell (type 'help')");
    ERR.println("       oneshot -c 'LINE'   run one Gogo command line, e.g. -c 'face:services'");
    return problem == null ? OK : USAGE;
  }

  private static int interactive(Path home) throws Exception {
    try (Runtime app = Runtime.start(home, false)) {
      app.framework.waitForStop(0);
      return OK;
    }
  }

  private static int runCommand(Path home, String line) throws Exception {
    try (Runtime app = Runtime.start(home, true)) {
      return execute(app.framework.getBundleContext(), line);
    }
  }

  /**
   * Runs {@code line} through Gogo's CommandProcessor. The launcher does not import Gogo's API (it
   * lives in a bundle), so it calls the processor by reflection on the interface the bundle
   * exports.
   */
  static int execute(BundleContext context, String line) throws Exception {
    ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, COMMAND_PROCESSOR, null);
    tracker.open();
    try {
      Object processor = tracker.waitForService(SERVICE_WAIT_MS);
      if (processor == null) {
        ERR.println("oneshot: the Gogo command processor did not start");
        return START_FAILED;
      }
      System.setProperty(START_MS, Long.toString(uptimeMillis())); // the shell is ready now
      ServiceReference<Object> ref = tracker.getServiceReference();
      Class<?> processorType = ref.getBundle().loadClass(COMMAND_PROCESSOR);
      Method createSession =
          processorType.getMethod(
              "createSession", InputStream.class, OutputStream.class, OutputStream.class);
      Object session = createSession.invoke(processor, IN, OUT, ERR);
      Class<?> sessionType =
          ref.getBundle().loadClass("org.apache.felix.service.command.CommandSession");
      try {
        // Run statement by statement, so that 'a ; b' prints what a returns too, and stop at the
        // first failure, as a shell script under 'set -e' would.
        for (String statement : statements(ref.getBundle(), line)) {
          Object result =
              sessionType.getMethod("execute", CharSequence.class).invoke(session, statement);
          if (result != null) {
            Object text =
                sessionType.getMethod("format", Object.class, int.class).invoke(session, result, 0);
            OUT.println(text);
          }
        }
        OUT.flush();
        return OK;
      } catch (InvocationTargetException e) {
        Throwable cause = rootOf(e);
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (Boolean.getBoolean("oneshot.debug")) {
          cause.printStackTrace(ERR);
        }
        OUT.flush();
        ERR.println("Error: " + message);
        return COMMAND_FAILED;
      } finally {
        sessionType.getMethod("close").invoke(session);
      }
    } finally {
      tracker.close();
    }
  }

  /**
   * The top-level statements of a Gogo command line, split by Gogo's own parser; the whole line
   * when it does not parse (executing it then reports the syntax error).
   */
  static List<String> statements(Bundle gogoRuntime, String line) {
    try {
      Class<?> parserType = gogoRuntime.loadClass("org.apache.felix.gogo.runtime.Parser");
      Object parser = parserType.getConstructor(CharSequence.class).newInstance(line);
      Object program = parserType.getMethod("program").invoke(parser);
      List<?> tokens = (List<?>) program.getClass().getMethod("tokens").invoke(program);
      return tokens.isEmpty() ? List.of(line) : tokens.stream().map(Object::toString).toList();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return List.of(line);
    }
  }

  private static long uptimeMillis() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
  }

  /** The exception a command threw, without the reflection wrappers around it. */
  static Throwable rootOf(Throwable t) {
    while ((t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A started framework with the application's bundles; closing stops it. */
  static final class Runtime implements AutoCloseable {
    final Framework framework;
    private final FileLock cacheLock;
    private final Path privateCache;

    private Runtime(Framework framework, FileLock cacheLock, Path privateCache) {
      this.framework = framework;
      this.cacheLock = cacheLock;
      this.privateCache = privateCache;
    }

    static Runtime start(Path home, boolean batch) throws Exception {
      Path bundleDir = home.resolve("bundle");
      if (!Files.isDirectory(bundleDir)) {
        throw new IOException(bundleDir + ": no bundle folder (is oneshot.home right?)");
      }
      Path var = home.resolve("var");
      Path logs = Files.createDirectories(var.resolve("log"));
      Path cache = var.resolve("felix-cache");
      FileChannel lockChannel =
          FileChannel.open(
              var.resolve("felix-cache.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = lockChannel.tryLock();
      Path privateCache = null;
      if (lock == null) {
        lockChannel.close();
        privateCache = Files.createTempDirectory("oneshot-felix-cache");
        cache = privateCache;
      }
      if (System.getProperty(LOG_FILE) == null) {
        Path log =
            lock == null ? LogFiles.ofSecondInstance(logs) : LogFiles.rotate(logs, KEPT_LOGS);
        System.setProperty(LOG_FILE, log.toString());
      }
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
      System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");

      Map<String, String> config = new HashMap<>();
      config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
      config.put("felix.cache.locking", "false"); // our own lock above decides who owns the cache
      config.put("felix.log.level", "0"); // deploy() reports bundles that fail, in one line each
      if (batch) {
        // The shell bundle still provides echo, each, grep…, but reads no console.
        config.put("gosh.args", "--nointeractive");
      }
      Framework framework =
          ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
      framework.start();
      Runtime runtime = new Runtime(framework, lock, privateCache);
      try {
        boolean warm = deploy(framework.getBundleContext(), bundleDir);
        // For face:bench: how long this start took, and whether the bundle cache was reused.
        System.setProperty(START_WARM, Boolean.toString(warm));
        System.setProperty(START_MS, Long.toString(uptimeMillis()));
      } catch (Exception e) {
        runtime.close();
        throw e;
      }
      return runtime;
    }

    /**
     * Installs or updates the bundles of {@code dir}, removes stale ones, refreshes the wiring when
     * anything changed (so no bundle keeps classes of an old revision), then starts them, the shell
     * last. Starts are transient: the cache never restarts a stale bundle set on its own.
     *
     * @return whether the cache held every bundle already (a warm start)
     */
    private static boolean deploy(BundleContext context, Path dir)
        throws IOException, BundleException, InterruptedException {
      List<Path> jars;
      try (Stream<Path> files = Files.list(dir)) {
        jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      }
      Map<String, Path> wanted = new HashMap<>();
      for (Path jar : jars) {
        wanted.put("reference:" + jar.toUri(), jar);
      }
      List<Bundle> changed = new ArrayList<>();
      for (Bundle b : context.getBundles()) {
        if (b.getBundleId() != 0 && !wanted.containsKey(b.getLocation())) {
          b.uninstall();
          changed.add(b);
        }
      }
      List<Bundle> bundles = new ArrayList<>();
      boolean fresh = false;
      for (Map.Entry<String, Path> e : wanted.entrySet()) {
        Bundle installed = context.getBundle(e.getKey());
        long modified = Files.getLastModifiedTime(e.getValue()).toMillis();
        if (installed == null) {
          installed = context.installBundle(e.getKey());
          fresh = true;
        } else if (modified > installed.getLastModified()) {
          installed.update();
          changed.add(installed);
        }
        bundles.add(installed);
      }
      if (!changed.isEmpty()) {
        refresh(context, changed);
      }
      bundles.sort(
          Comparator.comparing((Bundle b) -> SHELL_BUNDLE.equals(b.getSymbolicName()))
              .thenComparing(
                  Bundle::getSymbolicName, Comparator.nullsLast(Comparator.naturalOrder())));
      List<String> failures = new ArrayList<>();
      for (Bundle b : bundles) {
        boolean fragment =
            (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
        if (!fragment) {
          try {
            b.start(Bundle.START_TRANSIENT);
          } catch (BundleException e) {
            failures.add(b.getSymbolicName() + ": " + e.getMessage());
          }
        }
      }
      for (String failure : failures) {
        ERR.println("oneshot: bundle did not start: " + failure);
      }
      return !fresh && changed.isEmpty();
    }

    private static void refresh(BundleContext context, List<Bundle> changed)
        throws InterruptedException {
      CountDownLatch done = new CountDownLatch(1);
      context
          .getBundle(0)
          .adapt(FrameworkWiring.class)
          .refreshBundles(changed, event -> done.countDown());
      if (!done.await(60, TimeUnit.SECONDS)) {
        ERR.println("oneshot: refreshing updated bundles took over 60 s; going on");
      }
    }

    @Override
    public void close() throws Exception {
      try {
        framework.stop();
        framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
      } finally {
        if (cacheLock != null) {
          cacheLock.release();
          cacheLock.channel().close();
        }
        if (privateCache != null) {
          deleteTree(privateCache);
        }
      }
    }

    private static void deleteTree(Path root) throws IOException {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
