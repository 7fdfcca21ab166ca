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
  /** The scorings {@link #of} knows. */
  private static final List<String> SCORINGS = List.of("head", "cosine");

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
  private static String check(String scoring) {
    if (!SCORINGS.contains(scoring)) {
      throw new IllegalArgumentException(
          "--scoring is " + String.join(" or ", SCORINGS) + ", not '" + scoring + "'");
    }
    return scoring;
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    double[] scores = new double[references.size()];
    for (int r = 0; r < scores.length; r++) {
      scores[r] = Math.max(0, cosine(probe, references.get(r)));
    }
    return scores;
  }

  /**
   * The cosine of the angle between two embeddings of one network; 0 when either is all zeros.
   *
   * @throws IllegalArgumentException when they come from different networks or differ in size
   */
  static double cosine(Embedding a, Embedding b) {
    return cosine(a, b, a.dimension());
  }

  /**
   * {@link #cosine(Embedding, Embedding)} of the first {@code values} of each: an embedding that
   * carries more after its vector ({@link ScoreNormalisation#withStatistics}).
   */
  static double cosine(Embedding a, Embedding b, int values) {
    if (a.dimension() != b.dimension() || !a.networkId().equals(b.networkId())) {
      throw new IllegalArgumentException(
          "embeddings of different networks or sizes cannot be compared");
    }
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < values; i++) {
      dot += (double) a.get(i) * b.get(i);
      aa += (double) a.get(i) * a.get(i);
      bb += (double) b.get(i) * b.get(i);
    }
    double denominator = Math.sqrt(aa * bb);
    return denominator == 0 ? 0 : Math.min(1, Math.max(-1, dot / denominator));
  }
}
