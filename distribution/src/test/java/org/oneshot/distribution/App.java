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

/** The packaged application, run as a user runs it: {@code bin/oneshot ARGS} in a new process. */
final class App {
  static final Path HOME = Path.of(System.getProperty("oneshot.app", "target/oneshot"));

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
    Process process = new ProcessBuilder(command).start();
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
