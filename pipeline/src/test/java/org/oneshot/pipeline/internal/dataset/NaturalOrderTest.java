package org.oneshot.pipeline.internal.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {
  @Test
  void countsNumbersInsteadOfComparingDigits() {
    List<String> names =
        new ArrayList<>(
            List.of("s10", "s2", "s1", "10.pgm", "9.pgm", "a", "s01", "Abe_0002", "Abe_0010"));
    names.sort(NaturalOrder.INSTANCE);
    assertEquals(
        List.of("9.pgm", "10.pgm", "Abe_0002", "Abe_0010", "a", "s01", "s1", "s2", "s10"), names);
  }
}
