package org.oneshot.pipeline.internal.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginSetTest {
  private final PluginSet<String> set = new PluginSet<>("face detector", "detector.name");

  @Test
  void prefersTheHighestRankingThenTheOldest() {
    set.add("lbp", Map.of("detector.name", "lbp", "service.ranking", 0, "service.id", 5L));
    set.add("haar", Map.of("detector.name", "haar", "service.ranking", 10, "service.id", 7L));
    set.add("other", Map.of("detector.name", "other", "service.id", 3L));
    assertEquals("haar", set.select("").service());
    assertEquals(List.of("haar", "other", "lbp"), set.names());
    assertEquals("lbp", set.select("lbp").service());
    set.remove("haar");
    assertEquals("other", set.select(null).service());
  }

  @Test
  void saysWhatIsMissingAndWhatIsThere() {
    IllegalStateException none = assertThrows(IllegalStateException.class, () -> set.select(""));
    assertEquals("no face detector available", none.getMessage());
    set.add("haar", Map.of("detector.name", "haar", "service.id", 1L));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> set.select("dlib"));
    assertEquals("no face detector named 'dlib'; present: haar", unknown.getMessage());
  }
}
