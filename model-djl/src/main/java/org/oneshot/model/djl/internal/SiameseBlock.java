package org.oneshot.model.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.UpperTriangle;

/**
 * Koch et al.'s siamese network: one tower applied to both inputs (the same parameters), the
 * component-wise L1 distance of the two embeddings, and a dense unit that weighs it. Outputs
 * logits; the sigmoid is in the loss (and in {@link DjlNetwork#score}).
 */
final class SiameseBlock extends AbstractBlock {
  private final SequentialBlock tower;
  private final List<Conv2d> convs = new ArrayList<>();
  private final Linear dense;
  private final Linear head;

  SiameseBlock(Architecture arch) {
    SequentialBlock t = new SequentialBlock();
    for (Architecture.Conv c : arch.convs()) {
      Conv2d conv =
          Conv2d.builder()
              .setFilters(c.filters())
              .setKernelShape(new Shape(c.kernel(), c.kernel()))
              .build();
      convs.add(conv);
      t.add(conv);
      if (arch.batchNorm()) {
        // Per channel (axis 1 of NCHW); PyTorch's defaults: running averages with weight 0.1
        // for the new batch (DJL states it as momentum 0.9), epsilon 1e-5.
        t.add(BatchNorm.builder().optAxis(1).optMomentum(0.9f).optEpsilon(1e-5f).build());
      }
      t.add(Activation.reluBlock());
      if (c.pool()) {
        t.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
      }
    }
    dense = Linear.builder().setUnits(arch.denseUnits()).build();
    t.add(Blocks.batchFlattenBlock());
    if (arch.dropout() > 0) {
      // Active only in training forwards; embedding and scoring see every input.
      t.add(Dropout.builder().optRate((float) arch.dropout()).build());
    }
    t.add(dense).add(Activation.sigmoidBlock());
    this.tower = addChildBlock("tower", t);
    this.head = addChildBlock("head", Linear.builder().setUnits(1).build());
  }

  Block tower() {
    return tower;
  }

  List<Conv2d> convs() {
    return convs;
  }

  Linear dense() {
    return dense;
  }

  Linear head() {
    return head;
  }

  /**
   * Two inputs: the logit of each pair (first[i], second[i]). One input of n images: the logit of
   * every pair i &lt; j among them, row by row (0-1, 0-2, …, 1-2, …), each image embedded once
   * (all-pairs training). The distances of all n² ordered pairs are formed by broadcasting and the
   * head scores only the n(n−1)/2 rows i &lt; j. Not by gathering each pair's two embeddings: the
   * gradient of a gather that reads a row many times is a scatter-add, which libtorch runs on CPU
   * threads with atomic adds in no fixed order, so a seeded run did not repeat bit for bit. Here
   * the only gather reads each row once, and the broadcast's gradient is a plain sum.
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (inputs.size() == 1) {
      NDArray e = tower.forward(store, inputs, training).singletonOrThrow();
      int n = (int) e.getShape().get(0);
      NDArray all = e.expandDims(1).sub(e.expandDims(0)).abs().reshape(n * (long) n, -1);
      NDArray distances = all.get(upperTriangle(e.getManager(), n));
      return head.forward(store, new NDList(distances), training);
    }
    NDArray first = tower.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
    NDArray second = tower.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow();
    return head.forward(store, new NDList(first.sub(second).abs()), training);
  }

  /**
   * The rows i·n + j of the n² ordered pairs that are the pairs i &lt; j, in {@link UpperTriangle}
   * order.
   */
  static NDArray upperTriangle(NDManager manager, int n) {
    long[] rows = UpperTriangle.rows(n);
    long[] columns = UpperTriangle.columns(n);
    long[] flat = new long[rows.length];
    for (int k = 0; k < flat.length; k++) {
      flat[k] = rows[k] * n + columns[k];
    }
    return manager.create(flat);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long n = inputShapes[0].get(0);
    return new Shape[] {new Shape(inputShapes.length == 1 ? n * (n - 1) / 2 : n, 1)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    tower.initialize(manager, dataType, inputShapes[0]);
    head.initialize(manager, dataType, tower.getOutputShapes(new Shape[] {inputShapes[0]}));
  }
}
