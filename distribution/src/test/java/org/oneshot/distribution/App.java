package org.oneshot.distribution;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application, run as a user runs it: {@code bin/oneshot ARGS} in a new process. Each
 * test JVM (failsafe forks one per class) runs it with a home of its own — links to the packaged
 * {@code bin}, {@code lib} and {@code bundle}, and a {@code var} for its state, deleted when the
 * JVM exits (the native libraries the engines unpack excepted: kept in {@code target/it-natives}) —
 * so that tests leave no enrolled people, active models or logs in {@code target/oneshot}, where a
 * user runs the application after building it.
 */
final class App {
  static final Path PACKAGED = Path.of(System.getProperty("oneshot.app", "target/oneshot"));

  /** ONESHOT_HOME of the application's runs from this JVM; its state lies under {@code var}. */
  static final Path HOME = privateHome();

  record Result(int exitCode, String out, String err) {}

  private App() {}

  /** Runs {@code bin/oneshot -c LINE}. */
  static Result command(String line) throws Exception {
    return run("-c", line);
  }

  static Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(HOME.resolve("bin/oneshot").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("ONESHOT_HOME", HOME.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> out = readAll(process.getInputStream());
    CompletableFuture<String> err = readAll(process.getErrorStream());
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("oneshot " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return new Result(process.exitValue(), out.get(), err.get());
  }

  /** A path under the shared data folder; fails when it is missing (these tests run in CI). */
  static String data(String relative) {
    Path path = Path.of(System.getProperty("oneshot.data", "../../shared/data")).resolve(relative);
    if (!Files.exists(path)) {
      fail("shared test data not found at " + path.toAbsolutePath().normalize());
    }
    return path.toAbsolutePath().normalize().toString();
  }

  private static Path privateHome() {
    try {
      Path home = Files.createTempDirectory("oneshot-it-home");
      for (String part : List.of("bin", "lib", "bundle")) {
        Files.createSymbolicLink(home.resolve(part), PACKAGED.resolve(part).toAbsolutePath());
      }
      // The native libraries the engines unpack (about 900 MB) are shared by the test JVMs.
      Path natives = PACKAGED.toAbsolutePath().getParent().resolve("it-natives");
      Files.createDirectories(home.resolve("var"));
      for (String cache : List.of("djl", "javacpp")) {
        Files.createDirectories(natives.resolve(cache));
        Files.createSymbolicLink(home.resolve("var").resolve(cache), natives.resolve(cache));
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(home)));
      return home;
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a home for the application's test runs", e);
    }
  }

  /** Deletes {@code dir} and what lies under it, not following the links to the package. */
  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind is the operating system's to clean.
    }
  }

  private static CompletableFuture<String> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
