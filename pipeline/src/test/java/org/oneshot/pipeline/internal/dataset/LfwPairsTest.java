package org.oneshot.pipeline.internal.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.pipeline.internal.TestData;

class LfwPairsTest {
  @TempDir Path temp;

  @Test
  void readsViewTwoAsTenFoldsOfSixHundred() throws IOException {
    LfwPairs pairs = LfwPairs.read(TestData.path("lfw/protocol/pairs.txt"));
    assertEquals(List.of(), pairs.errors());
    assertEquals(10, pairs.folds().size());
    for (List<LfwPairs.Pair> fold : pairs.folds()) {
      assertEquals(600, fold.size());
      assertEquals(300, fold.stream().filter(LfwPairs.Pair::matched).count());
    }
    LfwPairs.Pair first = pairs.folds().get(0).get(0);
    assertEquals(new LfwPairs.Pair("Abel_Pacheco", 1, "Abel_Pacheco", 4, true), first);
    assertEquals(Path.of("/lfw/Abel_Pacheco/Abel_Pacheco_0004.jpg"), first.second(Path.of("/lfw")));
  }

  @Test
  void readsViewOneAsOneFold() throws IOException {
    LfwPairs pairs = LfwPairs.read(TestData.path("lfw/protocol/pairsDevTrain.txt"));
    assertEquals(List.of(), pairs.errors());
    assertEquals(1, pairs.folds().size());
    assertEquals(2200, pairs.pairCount());
  }

  @Test
  void collectsBadLinesWithTheirNumbers() throws IOException {
    Path file = temp.resolve("pairs.txt");
    Files.writeString(file, "1\t2\nA\t1\t2\nB\tx\t3\nC\t1\tD\t2\nE\t1\tF\t2\tG\n");
    LfwPairs pairs = LfwPairs.read(file);
    assertEquals(2, pairs.pairCount());
    assertEquals(3, pairs.errors().size());
    assertTrue(
        pairs.errors().get(0).contains("line 3: not an image number: 'x'"), pairs.errors().get(0));
    assertTrue(pairs.errors().get(1).contains("line 5: expected"), pairs.errors().get(1));
    assertTrue(pairs.errors().get(2).contains("promises 4 pairs"), pairs.errors().get(2));
    assertFalse(pairs.folds().get(0).get(1).matched());
  }

  @Test
  void aBadHeaderIsAnError() throws IOException {
    Path file = temp.resolve("pairs.txt");
    Files.writeString(file, "Abel_Pacheco\t1\t4\n");
    IOException e = assertThrows(IOException.class, () -> LfwPairs.read(file));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }
}
