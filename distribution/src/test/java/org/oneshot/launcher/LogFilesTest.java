package org.oneshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {
  @TempDir Path logs;

  @Test
  void eachStartKeepsTheEarlierRunsLogsAndDropsTheOldest() throws Exception {
    // Six runs, each writing its number into the file it was given.
    for (int run = 1; run <= 6; run++) {
      Path log = LogFiles.rotate(logs, 4);
      assertEquals(logs.resolve("oneshot.log"), log);
      assertFalse(Files.exists(log), "run " + run + " would append to the last run's log");
      Files.writeString(log, "run " + run);
    }
    assertEquals("run 6", Files.readString(logs.resolve("oneshot.log")));
    for (int i = 1; i <= 4; i++) {
      assertEquals("run " + (6 - i), Files.readString(logs.resolve("oneshot.log." + i)));
    }
    try (var files = Files.list(logs)) {
      assertEquals(5, files.count(), "run 1's log should be gone");
    }
  }

  @Test
  void aSecondInstanceLogsBesideTheFirstWithoutTouchingItsLog() throws Exception {
    Files.writeString(logs.resolve("oneshot.log"), "the running instance");
    Path second = LogFiles.ofSecondInstance(logs);
    assertNotEquals(logs.resolve("oneshot.log"), second);
    assertEquals(logs, second.getParent());
    assertEquals("the running instance", Files.readString(logs.resolve("oneshot.log")));
    try (var files = Files.list(logs)) {
      assertEquals(List.of(logs.resolve("oneshot.log")), files.toList());
    }
  }
}
