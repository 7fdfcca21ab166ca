package org.oneshot.api.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Koch-style siamese tower: convolutions (each followed by ReLU and optionally a 2×2 max-pool,
 * and with {@code norm=batch} preceded by batch normalisation of its output channels — not in the
 * paper, added for what it buys on a CPU budget), then one dense layer with a sigmoid; the head is
 * a weighted L1 distance and a sigmoid. Every value has a name ({@link #toMap()}) so that presets
 * can be overridden piece by piece and models record exactly what they are.
 *
 * @param inputWidth pixels the tower takes
 * @param inputHeight pixels the tower takes
 * @param channels 1 for grey, 3 for colour
 * @param convs the convolution layers, in order
 * @param denseUnits units of the dense sigmoid layer: the embedding size
 * @param init weight initialisation: {@code koch} (the paper's normal distributions) or {@code
 *     xavier}
 * @param norm {@code none} (the paper) or {@code batch}: each convolution's output normalised per
 *     channel (batch statistics in training, running averages otherwise), scaled and shifted by a
 *     learned gamma and beta, before its ReLU
 * @param resize how images are brought to the input size: {@code bilinear} (two nearest source
 *     pixels per axis) or {@code area} (the mean of the covered source area when shrinking, so thin
 *     strokes survive a 3× reduction)
 * @param dropout the fraction of the dense layer's inputs zeroed at random in each training step
 *     (the others scaled up to keep their sum), 0 for none; embedding and scoring use every input
 */
public record Architecture(
    int inputWidth,
    int inputHeight,
    int channels,
    List<Conv> convs,
    int denseUnits,
    String init,
    String norm,
    String resize,
    double dropout) {
  /** {@link #norm()} of the paper's tower. */
  public static final String NO_NORM = "none";

  /** {@link #norm()} with batch normalisation after every convolution. */
  public static final String BATCH_NORM = "batch";

  /** {@link #resize()} of models saved before the choice existed: bilinear. */
  public static final String BILINEAR = "bilinear";

  /** {@link #resize()} by area averaging. */
  public static final String AREA = "area";

  /** A tower without dropout. */
  public Architecture(
      int inputWidth,
      int inputHeight,
      int channels,
      List<Conv> convs,
      int denseUnits,
      String init,
      String norm,
      String resize) {
    this(inputWidth, inputHeight, channels, convs, denseUnits, init, norm, resize, 0);
  }

  /** A tower whose inputs are resized bilinearly. */
  public Architecture(
      int inputWidth,
      int inputHeight,
      int channels,
      List<Conv> convs,
      int denseUnits,
      String init,
      String norm) {
    this(inputWidth, inputHeight, channels, convs, denseUnits, init, norm, BILINEAR);
  }

  /** The paper's tower, without normalisation. */
  public Architecture(
      int inputWidth,
      int inputHeight,
      int channels,
      List<Conv> convs,
      int denseUnits,
      String init) {
    this(inputWidth, inputHeight, channels, convs, denseUnits, init, NO_NORM);
  }

  /** One convolution: {@code filters} of {@code kernel}×{@code kernel}, ReLU, then pool or not. */
  public record Conv(int filters, int kernel, boolean pool) {
    public Conv {
      if (filters <= 0 || kernel <= 0) {
        throw new IllegalArgumentException("filters and kernel must be positive");
      }
    }
  }

  public Architecture {
    convs = List.copyOf(convs);
    Objects.requireNonNull(init, "init");
    if (inputWidth <= 0 || inputHeight <= 0) {
      throw new IllegalArgumentException("input size must be positive");
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
    }
    if (convs.isEmpty() || denseUnits <= 0) {
      throw new IllegalArgumentException("a tower needs at least one convolution and dense units");
    }
    if (!init.equals("koch") && !init.equals("xavier")) {
      throw new IllegalArgumentException("init must be koch or xavier: " + init);
    }
    Objects.requireNonNull(norm, "norm");
    if (!norm.equals(NO_NORM) && !norm.equals(BATCH_NORM)) {
      throw new IllegalArgumentException("norm must be none or batch: " + norm);
    }
    Objects.requireNonNull(resize, "resize");
    if (!resize.equals(BILINEAR) && !resize.equals(AREA)) {
      throw new IllegalArgumentException("resize must be bilinear or area: " + resize);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be at least 0 and below 1: " + dropout);
    }
    int w = inputWidth;
    int h = inputHeight;
    for (int i = 0; i < convs.size(); i++) {
      Conv c = convs.get(i);
      w = w - c.kernel() + 1;
      h = h - c.kernel() + 1;
      if (c.pool()) {
        w /= 2;
        h /= 2;
      }
      if (w <= 0 || h <= 0) {
        throw new IllegalArgumentException(
            "conv"
                + (i + 1)
                + " leaves no pixels of a "
                + inputWidth
                + "x"
                + inputHeight
                + " input");
      }
    }
  }

  /** Whether inputs are resized by area averaging rather than bilinearly. */
  public boolean areaResize() {
    return resize.equals(AREA);
  }

  /** Whether convolutions are followed by batch normalisation. */
  public boolean batchNorm() {
    return norm.equals(BATCH_NORM);
  }

  /** Width of the last convolution's output. */
  public int featureWidth() {
    int w = inputWidth;
    for (Conv c : convs) {
      w = w - c.kernel() + 1;
      w = c.pool() ? w / 2 : w;
    }
    return w;
  }

  /** Height of the last convolution's output. */
  public int featureHeight() {
    int h = inputHeight;
    for (Conv c : convs) {
      h = h - c.kernel() + 1;
      h = c.pool() ? h / 2 : h;
    }
    return h;
  }

  /** Inputs of the dense layer: the flattened last feature map. */
  public int flattenedSize() {
    return featureWidth() * featureHeight() * convs.get(convs.size() - 1).filters();
  }

  /** Values per input image, channels × height × width. */
  public int inputSize() {
    return channels * inputHeight * inputWidth;
  }

  /**
   * Floating-point operations of one tower's forward pass over one image: 2 per multiply-add of
   * every convolution (valid, stride 1) and of the dense layer; activations and pooling are
   * neglected, as is batch normalisation (a few operations per activation). Training a pair costs
   * about 3× this per image (forward, then two backward products), for two images.
   */
  public long forwardFlops() {
    long flops = 0;
    int w = inputWidth;
    int h = inputHeight;
    int in = channels;
    for (Conv c : convs) {
      w = w - c.kernel() + 1;
      h = h - c.kernel() + 1;
      flops += 2L * w * h * c.filters() * in * c.kernel() * c.kernel();
      w = c.pool() ? w / 2 : w;
      h = c.pool() ? h / 2 : h;
      in = c.filters();
    }
    return flops + 2L * flattenedSize() * denseUnits;
  }

  /**
   * Trainable parameters: one tower (shared by both inputs) plus the head. Batch normalisation adds
   * a gamma and a beta per channel; its running averages are state, not parameters.
   */
  public long parameterCount() {
    long count = 0;
    int in = channels;
    for (Conv c : convs) {
      count += (long) c.filters() * in * c.kernel() * c.kernel() + c.filters();
      count += batchNorm() ? 2L * c.filters() : 0;
      in = c.filters();
    }
    count += (long) flattenedSize() * denseUnits + denseUnits;
    count += denseUnits + 1; // head: weighted L1 distance + bias
    return count;
  }

  /** Every value by name: {@code input.width}, {@code conv1.filters}, {@code dense.units}, … */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("input.width", String.valueOf(inputWidth));
    map.put("input.height", String.valueOf(inputHeight));
    map.put("input.channels", String.valueOf(channels));
    map.put("conv.count", String.valueOf(convs.size()));
    for (int i = 0; i < convs.size(); i++) {
      Conv c = convs.get(i);
      String p = "conv" + (i + 1) + ".";
      map.put(p + "filters", String.valueOf(c.filters()));
      map.put(p + "kernel", String.valueOf(c.kernel()));
      map.put(p + "pool", String.valueOf(c.pool()));
    }
    map.put("dense.units", String.valueOf(denseUnits));
    map.put("init", init);
    map.put("norm", norm);
    map.put("resize", resize);
    map.put("dropout", String.valueOf(dropout));
    return map;
  }

  /** The architecture {@link #toMap()} describes. */
  public static Architecture fromMap(Map<String, String> map) {
    try {
      int count = Integer.parseInt(required(map, "conv.count"));
      List<Conv> convs = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        convs.add(
            new Conv(
                Integer.parseInt(required(map, "conv" + i + ".filters")),
                Integer.parseInt(required(map, "conv" + i + ".kernel")),
                Boolean.parseBoolean(required(map, "conv" + i + ".pool"))));
      }
      return new Architecture(
          Integer.parseInt(required(map, "input.width")),
          Integer.parseInt(required(map, "input.height")),
          Integer.parseInt(required(map, "input.channels")),
          convs,
          Integer.parseInt(required(map, "dense.units")),
          required(map, "init"),
          // Models saved before batch normalisation existed have no norm value.
          map.getOrDefault("norm", NO_NORM),
          map.getOrDefault("resize", BILINEAR),
          // Nor have models saved before dropout existed a dropout value.
          Double.parseDouble(map.getOrDefault("dropout", "0")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number in the architecture: " + e.getMessage());
    }
  }

  /**
   * This architecture with single values replaced, by the names of {@link #toMap()}; {@code input}
   * sets width and height at once.
   *
   * @throws IllegalArgumentException for an unknown name or a value that makes no tower
   */
  public Architecture with(Map<String, String> overrides) {
    Map<String, String> map = toMap();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String key = e.getKey().trim().toLowerCase(Locale.ROOT);
      if (key.equals("input")) {
        map.put("input.width", e.getValue());
        map.put("input.height", e.getValue());
      } else if (map.containsKey(key)) {
        map.put(key, e.getValue().trim());
      } else {
        throw new IllegalArgumentException(
            "unknown architecture value '"
                + e.getKey()
                + "'; known: input, "
                + String.join(", ", map.keySet()));
      }
    }
    return fromMap(map);
  }

  private static String required(Map<String, String> map, String key) {
    String value = map.get(key);
    if (value == null) {
      throw new IllegalArgumentException("architecture value '" + key + "' is missing");
    }
    return value;
  }
}
