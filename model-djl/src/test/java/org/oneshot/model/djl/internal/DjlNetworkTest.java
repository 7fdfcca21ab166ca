package org.oneshot.model.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Presets;
import org.oneshot.pipeline.internal.model.BackendContract;

/** The backend contract on DJL's PyTorch engine, and the paper's network built in it. */
class DjlNetworkTest extends BackendContract<DjlNetwork> {
  @BeforeAll
  static void offline() {
    DjlSiameseModel.configureOffline();
  }

  @Override
  protected String backend() {
    return DjlNetwork.BACKEND;
  }

  @Override
  protected DjlNetwork create(Architecture arch, String preset, long seed) throws Exception {
    return Tccl.call(() -> DjlNetwork.create(arch, preset, seed));
  }

  @Override
  protected DjlNetwork load(Path file) throws Exception {
    return Tccl.call(() -> DjlNetwork.load(file));
  }

  @Override
  protected <T> T call(Callable<T> work) throws Exception {
    return Tccl.call(work);
  }

  @Override
  protected Architecture architecture(DjlNetwork network) {
    return network.architecture();
  }

  /** Trainable parameters: batch normalisation's running averages are state, not parameters. */
  @Override
  protected long trainableParameters(DjlNetwork network) {
    long count = 0;
    for (Pair<String, Parameter> p : network.snapshotParameters()) {
      if (p.getValue().requiresGradient()) {
        count += p.getValue().getArray().size();
      }
    }
    return count;
  }

  @Override
  protected Map<String, float[]> runningStatistics(DjlNetwork network) {
    Map<String, float[]> stats = new TreeMap<>();
    for (Pair<String, Parameter> p : network.snapshotParameters()) {
      if (!p.getValue().requiresGradient()) {
        stats.put(p.getKey(), p.getValue().getArray().toFloatArray());
      }
    }
    return stats;
  }

  @Override
  protected double[] predictAllPairs(DjlNetwork network, float[] images, int n) {
    return network.predictAllPairs(images, n);
  }

  @Test
  void weightsShrunkBelowTheSmallestNormalFloatAreSetToZero() throws Exception {
    try (DjlNetwork network = create(Presets.SMALL, "small", 3)) {
      Tccl.call(
          () -> {
            // Every other weight of every layer made subnormal (about 1e-41), as long runs leave
            // them; the others stay as they were.
            float[] before = null;
            for (Pair<String, Parameter> p : network.snapshotParameters()) {
              NDArray weights = p.getValue().getArray();
              float[] values = weights.toFloatArray();
              float[] factors = new float[values.length];
              for (int i = 0; i < values.length; i++) {
                factors[i] = i % 2 == 0 && values[i] != 0f ? 1e-41f / values[i] : 1f;
              }
              // In place through a view without gradient, as the network's own flush does.
              try (NDManager m = NDManager.newBaseManager("PyTorch");
                  NDArray view = weights.stopGradient()) {
                view.muli(m.create(factors, weights.getShape()));
              }
              before = before == null ? weights.toFloatArray() : before;
            }
            assertTrue(subnormal(network) > 100_000, "the test set them: " + subnormal(network));
            network.flushSubnormalWeights();
            assertEquals(0, subnormal(network));
            float[] after =
                network.snapshotParameters().get(0).getValue().getArray().toFloatArray();
            for (int i = 0; i < after.length; i++) {
              boolean wasSubnormal = before[i] != 0f && Math.abs(before[i]) < Float.MIN_NORMAL;
              assertEquals(wasSubnormal ? 0f : before[i], after[i], "weight " + i);
            }
            return null;
          });
    }
  }

  private static long subnormal(DjlNetwork network) {
    long count = 0;
    for (Pair<String, Parameter> p : network.snapshotParameters()) {
      for (float v : p.getValue().getArray().toFloatArray()) {
        if (v != 0f && Math.abs(v) < Float.MIN_NORMAL) {
          count++;
        }
      }
    }
    return count;
  }

  @Test
  void kochPresetHasThePapersParameterCountInDjlToo() throws Exception {
    assertEquals(38_951_745L, Presets.KOCH.parameterCount());
    try (DjlNetwork koch = create(Presets.KOCH, "koch", 1)) {
      assertEquals(38_951_745L, trainableParameters(koch));
    }
    try (DjlNetwork small = create(Presets.SMALL, "small", 1)) {
      assertEquals(Presets.SMALL.parameterCount(), trainableParameters(small));
    }
  }

  /**
   * The tower's input is laid out channels last for speed; each value must still reach the (image,
   * channel, row, column) it has in the backend's channel-by-channel input.
   */
  @Test
  void imagesKeepTheirChannelsRowsAndColumnsInTheChannelsLastLayout() throws Exception {
    for (String channels : List.of("1", "3")) {
      Architecture arch = Presets.SMALL.with(Map.of("input.channels", channels));
      int n = 2;
      float[] data = new float[n * arch.inputSize()];
      for (int i = 0; i < data.length; i++) {
        data[i] = i;
      }
      float[] read =
          Tccl.call(
              () -> {
                try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                  NDArray x = DjlNetwork.images(m, arch, data, n);
                  assertEquals(new Shape(n, arch.channels(), 64, 64), x.getShape());
                  // toFloatArray reads logically (N, C, H, W), whatever the strides.
                  return x.toFloatArray();
                }
              });
      assertArrayEquals(data, read, "channels " + channels);
    }
  }
}
