package org.oneshot.pipeline.internal.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protocol's outcome: the model and the raw-pixel floor on the very same pairs.
 *
 * @param protocol its name, e.g. {@code pairs}
 * @param counts what was evaluated (people, images, pairs, pairs skipped...), in print order
 * @param model the network's figures
 * @param baseline nearest neighbour on raw pixels, the floor every model must beat
 * @param embeddingsPerSecond the network's batched embedding speed during the run
 * @param parts per fold or per run figures, where the protocol has them
 * @param atModelThreshold the model's own threshold on the protocol's pairs, or null where the
 *     protocol does not decide pairs by a threshold or the model records none
 */
public record ProtocolResult(
    String protocol,
    Map<String, Object> counts,
    Figures model,
    Figures baseline,
    double embeddingsPerSecond,
    List<Map<String, Object>> parts,
    ThresholdCheck atModelThreshold) {

  /** A result without a check of the model's own threshold. */
  public ProtocolResult(
      String protocol,
      Map<String, Object> counts,
      Figures model,
      Figures baseline,
      double embeddingsPerSecond,
      List<Map<String, Object>> parts) {
    this(protocol, counts, model, baseline, embeddingsPerSecond, parts, null);
  }

  /** This result with {@code key} added to (or replaced in) its counts, printed last. */
  public ProtocolResult withCount(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(counts);
    more.put(key, value);
    return new ProtocolResult(
        protocol, more, model, baseline, embeddingsPerSecond, parts, atModelThreshold);
  }
}
