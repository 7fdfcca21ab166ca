package org.oneshot.api.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;

/**
 * {@link org.oneshot.api.SiameseNetwork#embed} for any backend: images resized and scaled as in
 * training, through the backend's tower a batch at a time, one {@link Embedding} per image named by
 * the weights that made it.
 */
public final class TowerEmbedder {
  /** Images per tower call: large enough to keep the cores busy, small enough to bound memory. */
  public static final int BATCH = 64;

  private TowerEmbedder() {}

  public static List<Embedding> embed(
      List<Image> images, Architecture arch, String networkId, TrainingLoop.Network tower) {
    List<byte[]> resized = new ArrayList<>(images.size());
    for (Image image : images) {
      resized.add(Preprocessor.resize(image, arch));
    }
    return embedResized(resized, arch, networkId, tower);
  }

  /** The same for images already resized to the input size ({@link Preprocessor#resize}). */
  public static List<Embedding> embedResized(
      List<byte[]> resized, Architecture arch, String networkId, TrainingLoop.Network tower) {
    List<Embedding> out = new ArrayList<>(resized.size());
    int size = arch.inputSize();
    int d = arch.denseUnits();
    for (int from = 0; from < resized.size(); from += BATCH) {
      int n = Math.min(BATCH, resized.size() - from);
      float[] input = new float[n * size];
      for (int i = 0; i < n; i++) {
        Preprocessor.toInput(resized.get(from + i), input, i * size);
      }
      float[] features = tower.embedInputs(input, n);
      for (int i = 0; i < n; i++) {
        out.add(new Embedding(networkId, Arrays.copyOfRange(features, i * d, (i + 1) * d)));
      }
    }
    return out;
  }
}
