package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.oneshot.api.Embedding;

class DistanceHeadTest {
  @Test
  void scoresTheWeightedL1DistanceThroughASigmoid() {
    DistanceHead head = new DistanceHead("n", new float[] {-1, -2}, 3);
    Embedding probe = new Embedding("n", new float[] {1, 1});
    double[] scores =
        head.score(
            probe,
            List.of(
                probe,
                new Embedding("n", new float[] {2, 0}),
                new Embedding("n", new float[] {4, 4})));
    assertEquals(1 / (1 + Math.exp(-3)), scores[0], 1e-12); // identical: z = b
    assertEquals(1 / (1 + Math.exp(0)), scores[1], 1e-12); // z = 3 - 1 - 2
    assertEquals(1 / (1 + Math.exp(6)), scores[2], 1e-12); // z = 3 - 3 - 6
  }

  @Test
  void refusesEmbeddingsOfOtherNetworksOrSizes() {
    DistanceHead head = new DistanceHead("n", new float[] {1, 1}, 0);
    Embedding probe = new Embedding("n", new float[] {1, 1});
    assertThrows(
        IllegalArgumentException.class,
        () -> head.score(probe, List.of(new Embedding("m", new float[] {1, 1}))));
    assertThrows(
        IllegalArgumentException.class,
        () -> head.score(probe, List.of(new Embedding("n", new float[] {1}))));
  }
}
