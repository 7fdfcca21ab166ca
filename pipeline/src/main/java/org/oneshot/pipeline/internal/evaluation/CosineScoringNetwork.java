package org.oneshot.pipeline.internal.evaluation;

import java.util.List;
import org.oneshot.api.Embedding;
import org.oneshot.api.SiameseNetwork;

/**
 * A network scored by the cosine similarity of its embeddings instead of its head: the tower's
 * output normalised to unit length, the head's learned weights left out. The embeddings are the
 * outputs of a sigmoid layer, never negative, so the similarity lies in [0, 1] like the head's
 * probability — but on its own scale: a threshold chosen for the head does not apply to it.
 *
 * <p>Why: the head weighs each embedding component by what told the training people (or characters)
 * apart; on people it never saw, the plain distance ranks candidates better (AT&T 10-way one-shot
 * 0.849 against 0.812, three seeds of the pretrained {@code faces} recipe).
 */
public final class CosineScoringNetwork extends EvaluationWrapper {
  /** {@code --scoring} values. */
  public static final List<String> SCORINGS = List.of("head", "cosine");

  private CosineScoringNetwork(SiameseNetwork inner) {
    super(inner);
  }

  /**
   * {@code network} itself for {@code head}, the network scored by cosine similarity for {@code
   * cosine}.
   *
   * @throws IllegalArgumentException for any other scoring
   */
  public static SiameseNetwork of(SiameseNetwork network, String scoring) {
    return check(scoring).equals("cosine") ? new CosineScoringNetwork(network) : network;
  }

  /**
   * {@code scoring} when it is one of {@link #SCORINGS}.
   *
   * @throws IllegalArgumentException naming the choices otherwise
   */
  public static String check(String scoring) {
    if (!SCORINGS.contains(scoring)) {
      throw new IllegalArgumentException(
          "--scoring is " + String.join(" or ", SCORINGS) + ", not '" + scoring + "'");
    }
    return scoring;
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    double[] scores = new double[references.size()];
    double probeNorm = norm(probe);
    for (int r = 0; r < scores.length; r++) {
      Embedding reference = references.get(r);
      if (reference.dimension() != probe.dimension()
          || !reference.networkId().equals(probe.networkId())) {
        throw new IllegalArgumentException(
            "embeddings of different networks or sizes cannot be compared");
      }
      double dot = 0;
      for (int i = 0; i < probe.dimension(); i++) {
        dot += (double) probe.get(i) * reference.get(i);
      }
      double denominator = probeNorm * norm(reference);
      scores[r] = denominator == 0 ? 0 : Math.min(1, Math.max(0, dot / denominator));
    }
    return scores;
  }

  private static double norm(Embedding e) {
    double sum = 0;
    for (int i = 0; i < e.dimension(); i++) {
      sum += (double) e.get(i) * e.get(i);
    }
    return Math.sqrt(sum);
  }
}
