package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UpperTriangleTest {
  @Test
  void listsThePairsRowByRow() {
    assertArrayEquals(new long[] {0, 0, 0, 1, 1, 2}, UpperTriangle.rows(4));
    assertArrayEquals(new long[] {1, 2, 3, 2, 3, 3}, UpperTriangle.columns(4));
    assertEquals(6, UpperTriangle.count(4));
    assertEquals(0, UpperTriangle.count(1));
  }

  @Test
  void indexFindsEachPairWhereRowsAndColumnsPutIt() {
    int n = 9;
    long[] rows = UpperTriangle.rows(n);
    long[] columns = UpperTriangle.columns(n);
    for (int k = 0; k < rows.length; k++) {
      assertEquals(k, UpperTriangle.index((int) rows[k], (int) columns[k], n));
    }
  }

  @Test
  void refusesPairsThatAreNotAboveTheDiagonal() {
    assertThrows(IllegalArgumentException.class, () -> UpperTriangle.index(2, 2, 4));
    assertThrows(IllegalArgumentException.class, () -> UpperTriangle.index(3, 1, 4));
    assertThrows(IllegalArgumentException.class, () -> UpperTriangle.index(0, 4, 4));
  }
}
