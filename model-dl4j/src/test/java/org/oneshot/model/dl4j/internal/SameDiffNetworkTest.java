package org.oneshot.model.dl4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oneshot.api.Sample;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Preprocessor;
import org.oneshot.api.model.Presets;
import org.oneshot.api.model.UpperTriangle;
import org.oneshot.pipeline.internal.model.BackendContract;

/** The backend contract on ND4J's SameDiff, and the gradients of its all-pairs graph. */
class SameDiffNetworkTest extends BackendContract<SameDiffNetwork> {
  @Override
  protected String backend() {
    return SameDiffNetwork.BACKEND;
  }

  @Override
  protected SameDiffNetwork create(Architecture arch, String preset, long seed) throws Exception {
    return Nd4jRuntime.call(() -> SameDiffNetwork.create(arch, preset, seed));
  }

  @Override
  protected SameDiffNetwork load(Path file) throws Exception {
    return Nd4jRuntime.call(() -> SameDiffNetwork.load(file));
  }

  @Override
  protected <T> T call(Callable<T> work) throws Exception {
    return Nd4jRuntime.call(work);
  }

  @Override
  protected Architecture architecture(SameDiffNetwork network) {
    return network.architecture();
  }

  @Override
  protected long trainableParameters(SameDiffNetwork network) {
    return network.graphParameterCount();
  }

  @Override
  protected Map<String, float[]> runningStatistics(SameDiffNetwork network) {
    return network.runningAverages();
  }

  @Override
  protected double[] predictAllPairs(SameDiffNetwork network, float[] images, int n) {
    return network.predictAllPairs(images, n);
  }

  @Test
  void presetsHaveTheSameParameterCountsAsInTheDjlBackend() throws Exception {
    // Both backends build from the shared presets; DjlNetworkTest counts DJL's blocks the same way.
    try (SameDiffNetwork small = create(Presets.SMALL, "small", 1)) {
      assertEquals(1_345_345L, small.graphParameterCount());
    }
    try (SameDiffNetwork koch = create(Presets.KOCH, "koch", 1)) {
      assertEquals(38_951_745L, koch.graphParameterCount());
    }
  }

  @Test
  void allPairsLossHasTheGradientOfThePairLossOnTheSamePairs() throws Exception {
    // Without batch normalisation, the all-pairs loss weighing each pair 1/count is the pair
    // loss's mean over the same pairs listed: the gathers must pass the same gradient back.
    int n = 5;
    Architecture arch = Presets.SMALL;
    int size = arch.inputSize();
    float[] images = new float[n * size];
    String[] people = {"s1", "s1", "s2", "s2", "s3"};
    for (int i = 0; i < n; i++) {
      String person = people[i];
      List<Sample> own = att.samples().stream().filter(s -> s.identity().equals(person)).toList();
      Preprocessor.toInput(Preprocessor.resize(att.load(own.get(i % 2)), arch), images, i * size);
    }
    int count = UpperTriangle.count(n);
    float[] labels = new float[count];
    float[] weights = new float[count];
    float[] first = new float[count * size];
    float[] second = new float[count * size];
    long[] rows = UpperTriangle.rows(n);
    long[] columns = UpperTriangle.columns(n);
    for (int k = 0; k < count; k++) {
      labels[k] = people[(int) rows[k]].equals(people[(int) columns[k]]) ? 1f : 0f;
      weights[k] = 1f / count;
      System.arraycopy(images, (int) rows[k] * size, first, k * size, size);
      System.arraycopy(images, (int) columns[k] * size, second, k * size, size);
    }
    try (SameDiffNetwork network = create(arch, "small", 13)) {
      Map<String, INDArray> all =
          Nd4jRuntime.call(() -> network.allPairsGradients(images, n, labels, weights));
      Map<String, INDArray> listed =
          Nd4jRuntime.call(() -> network.pairGradients(first, second, labels, count));
      assertEquals(listed.keySet(), all.keySet());
      for (String name : listed.keySet()) {
        INDArray expected = listed.get(name);
        double scale = Math.max(expected.norm2Number().doubleValue(), 1e-12);
        double error = all.get(name).sub(expected).norm2Number().doubleValue() / scale;
        // float32 sums in another order (dense.b's gradient is one of cancelling terms: 1e-3);
        // a wrong gradient differs by order 1.
        assertTrue(error < 1e-2, name + ": relative gradient difference " + error);
        assertTrue(expected.norm2Number().doubleValue() > 0, name + " has no gradient");
      }
    }
  }
}
