package org.oneshot.pipeline.internal.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Augmenter;
import org.oneshot.api.model.Preprocessor;

/**
 * Test-time augmentation: a network whose embedding of an image is the mean of the wrapped
 * network's embeddings of the image itself and of {@code views − 1} copies under the training
 * distortions ({@link Augmenter}, drawn at the network's input size). The distortions of an image
 * are seeded by its pixels, so an image gets the same embedding in any batch and any protocol.
 * Scoring is the wrapped network's head, unchanged. Only embedding costs more: {@code views} passes
 * of the tower per image.
 */
public final class ViewAveragingNetwork extends EvaluationWrapper {
  private final Architecture arch;
  private final int views;
  private final long seed;

  private ViewAveragingNetwork(SiameseNetwork inner, int views, long seed) {
    super(inner);
    this.arch = Architecture.fromMap(inner.describe().architecture());
    this.views = views;
    this.seed = seed;
  }

  /**
   * {@code network} itself for one view, else the network averaging over {@code views}.
   *
   * @throws IllegalArgumentException when {@code views} is below 1
   */
  public static SiameseNetwork of(SiameseNetwork network, int views, long seed) {
    if (views < 1) {
      throw new IllegalArgumentException("views per image must be 1 or more, not " + views);
    }
    return views == 1 ? network : new ViewAveragingNetwork(network, views, seed);
  }

  @Override
  public List<Embedding> embed(List<Image> images) {
    List<float[]> sums = new ArrayList<>(images.size());
    String networkId = null;
    for (Embedding e : inner.embed(images)) {
      sums.add(e.toArray());
      networkId = e.networkId();
    }
    List<Random> randoms = images.stream().map(i -> new Random(seed ^ i.hashCode())).toList();
    for (int v = 1; v < views; v++) {
      List<Image> distorted = new ArrayList<>(images.size());
      for (int i = 0; i < images.size(); i++) {
        distorted.add(distortedView(images.get(i), arch, randoms.get(i)));
      }
      List<Embedding> embedded = inner.embed(distorted);
      for (int i = 0; i < images.size(); i++) {
        float[] sum = sums.get(i);
        for (int k = 0; k < sum.length; k++) {
          sum[k] += embedded.get(i).get(k);
        }
      }
    }
    List<Embedding> means = new ArrayList<>(images.size());
    for (float[] sum : sums) {
      for (int k = 0; k < sum.length; k++) {
        sum[k] /= views;
      }
      means.add(new Embedding(networkId, sum));
    }
    return means;
  }

  /**
   * {@code image} as the network sees it (grey or colour, resized to the input) under one random
   * draw of the training distortions, as an 8-bit image of the input size: resizing it again to
   * that size leaves it as it is.
   */
  static Image distortedView(Image image, Architecture arch, Random random) {
    byte[] chw = Preprocessor.resize(image, arch);
    int c = arch.channels();
    int h = arch.inputHeight();
    int w = arch.inputWidth();
    float[] values = new float[chw.length];
    for (int i = 0; i < chw.length; i++) {
      values[i] = chw[i] & 0xff;
    }
    Augmenter.distort(values, 0, c, h, w, random);
    byte[] hwc = new byte[chw.length];
    for (int p = 0; p < h * w; p++) {
      for (int ch = 0; ch < c; ch++) {
        hwc[p * c + ch] = (byte) Math.round(Math.min(255f, Math.max(0f, values[ch * h * w + p])));
      }
    }
    return Image.wrap(w, h, c, hwc);
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    return inner.score(probe, references);
  }
}
