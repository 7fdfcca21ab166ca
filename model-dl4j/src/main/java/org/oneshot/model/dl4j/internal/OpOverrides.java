package org.oneshot.model.dl4j.internal;

import java.lang.reflect.Field;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.reduce.Moments;

/**
 * The ND4J ops whose gradients this bundle writes itself. SameDiff copies every op into the
 * gradient graph through its serialised form and instantiates the copy by the op's name, so the
 * gradient that runs is the class registered for that name: {@link #register} maps {@code
 * batchnorm} to {@link TrainingBatchNorm}, {@code moments} to {@link TrainingBatchNorm.Statistics}
 * and {@code conv2d} to {@link InputConvolution}, once per JVM — only this bundle carries ND4J, and
 * each subclass behaves as its base wherever the network does not need otherwise.
 */
final class OpOverrides {
  private static boolean registered;

  private OpOverrides() {}

  /**
   * The gradient of an input that needs none: one zero, shaped [1, 1, 1, 1]. SameDiff adds it to
   * the input's other gradients, and the addition broadcasts it, where zeros shaped like the input
   * took an allocation and a fill each step (SameDiff's profiler, README: face:bench); a
   * placeholder's gradient is read by nothing.
   */
  static SDVariable noGradient(SameDiff sd) {
    return sd.zero(null, DataType.FLOAT, 1, 1, 1, 1);
  }

  /**
   * Installs the subclasses; call before building a graph.
   *
   * @throws IllegalStateException when this ND4J keeps its op classes elsewhere
   */
  static synchronized void register() {
    if (registered) {
      return;
    }
    Map<Class<?>, Class<?>> overrides =
        Map.of(
            BatchNorm.class, TrainingBatchNorm.class,
            Moments.class, TrainingBatchNorm.Statistics.class,
            Conv2D.class, InputConvolution.class);
    try {
      DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
      Field field = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClass");
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<Long, Class<?>> classes = (Map<Long, Class<?>>) field.get(holder);
      classes.replaceAll((hash, type) -> overrides.getOrDefault(type, type));
      for (Class<?> override : overrides.values()) {
        if (!classes.containsValue(override)) {
          throw new IllegalStateException(
              "no op for " + override.getSimpleName() + " among ND4J's custom ops");
        }
      }
      registered = true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot install this bundle's gradients in this ND4J: " + e.getMessage(), e);
    }
  }
}
