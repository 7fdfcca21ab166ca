package org.oneshot.pipeline.internal.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.TrainingLoop;

/**
 * Several trained networks scored as one: a pair's score is the mean of their probabilities. An
 * image's embedding is the members' embeddings one after another, split again to score. Networks
 * trained from other seeds err on different pairs, so the mean errs less than either — at the cost
 * of each member's training time and one tower pass per member per image.
 *
 * <p>It describes itself as its first member, with the people every member trained on (evaluation
 * leaves them all out) and no validation threshold (each member chose one for its own head).
 */
public final class EnsembleNetwork extends EvaluationWrapper {
  private final List<SiameseNetwork> members;
  private final List<String> memberIds;

  /** Each member's embedding size, known once it has embedded an image. */
  private final int[] sizes;

  private final ModelDescription description;
  private final String id;

  private EnsembleNetwork(List<SiameseNetwork> members) {
    super(members.get(0));
    this.members = List.copyOf(members);
    this.sizes = new int[members.size()];
    ModelDescription first = members.get(0).describe();
    TreeSet<String> people = new TreeSet<>();
    List<String> ids = new ArrayList<>();
    for (SiameseNetwork m : members) {
      ModelDescription d = m.describe();
      ids.add(d.id());
      String list = d.properties().getOrDefault(TrainingLoop.IDENTITY_LIST, "");
      if (!list.isEmpty()) {
        people.addAll(Arrays.asList(list.split(",")));
      }
    }
    this.memberIds = List.copyOf(ids);
    this.id = "ensemble:" + String.join("+", ids);
    Map<String, String> properties = new HashMap<>(first.properties());
    properties.remove(TrainingLoop.THRESHOLD);
    properties.put(TrainingLoop.IDENTITY_LIST, String.join(",", people));
    long parameters = members.stream().mapToLong(m -> m.describe().parameterCount()).sum();
    this.description =
        new ModelDescription(
            id,
            first.backend(),
            first.preset() + " ×" + members.size(),
            first.architecture(),
            first.inputWidth(),
            first.inputHeight(),
            first.inputChannels(),
            parameters,
            properties);
  }

  /** {@code networks} as one network: the first itself when it is alone. */
  public static SiameseNetwork of(List<SiameseNetwork> networks) {
    if (networks.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs one network or more");
    }
    return networks.size() == 1 ? networks.get(0) : new EnsembleNetwork(networks);
  }

  @Override
  public ModelDescription describe() {
    return description;
  }

  @Override
  public List<Embedding> embed(List<Image> images) {
    List<List<Embedding>> parts = new ArrayList<>(members.size());
    for (int k = 0; k < members.size(); k++) {
      parts.add(members.get(k).embed(images));
      if (!images.isEmpty()) {
        sizes[k] = parts.get(k).get(0).dimension();
      }
    }
    int total = Arrays.stream(sizes).sum();
    List<Embedding> joined = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      float[] v = new float[total];
      int offset = 0;
      for (List<Embedding> part : parts) {
        float[] p = part.get(i).toArray();
        System.arraycopy(p, 0, v, offset, p.length);
        offset += p.length;
      }
      joined.add(new Embedding(id, v));
    }
    return joined;
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    double[] sum = new double[references.size()];
    int offset = 0;
    for (int k = 0; k < members.size(); k++) {
      SiameseNetwork m = members.get(k);
      String memberId = memberIds.get(k);
      int from = offset;
      int size = sizes[k];
      if (size == 0) {
        throw new IllegalStateException("the ensemble scores embeddings it made: embed first");
      }
      Embedding p = part(probe, memberId, from, size);
      List<Embedding> refs = references.stream().map(r -> part(r, memberId, from, size)).toList();
      double[] scores = m.score(p, refs);
      for (int r = 0; r < sum.length; r++) {
        sum[r] += scores[r];
      }
      offset += size;
    }
    if (offset != probe.dimension()) {
      throw new IllegalArgumentException(
          "embedding of size " + probe.dimension() + " where the ensemble makes " + offset);
    }
    for (int r = 0; r < sum.length; r++) {
      sum[r] /= members.size();
    }
    return sum;
  }

  private Embedding part(Embedding e, String memberId, int from, int size) {
    if (!e.networkId().equals(id) || from + size > e.dimension()) {
      throw new IllegalArgumentException(
          "embedding of network " + e.networkId() + " scored by " + id + ": embed again");
    }
    return new Embedding(memberId, Arrays.copyOfRange(e.toArray(), from, from + size));
  }
}
