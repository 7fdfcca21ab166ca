package org.oneshot.pipeline.internal.sampling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.oneshot.api.DatasetSplit;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairSampler;
import org.oneshot.api.PairScheme;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;
import org.oneshot.pipeline.internal.dataset.WorkspaceLayout;
import org.osgi.service.component.annotations.Component;

/**
 * Uniform sampling without replacement: each label's candidate pairs are numbered ({@link
 * PairSpace}) and distinct numbers drawn with Floyd's algorithm, so no pair repeats, no image meets
 * itself, and the same seed gives the same list.
 */
@Component(property = {PairSampler.NAME + "=default", "service.ranking:Integer=0"})
public final class DefaultPairSampler implements PairSampler {

  @Override
  public List<LabelledPair> sample(LabelledDataset dataset, PairRequest request) {
    PairSpace positives;
    PairSpace negatives;
    if (request.scheme() == PairScheme.ANCHOR) {
      List<Sample> anchors = withRole(dataset, Role.ANCHOR);
      positives = PairSpace.cross(anchors, withRole(dataset, Role.POSITIVE));
      negatives = PairSpace.cross(anchors, withRole(dataset, Role.NEGATIVE));
    } else {
      List<List<Sample>> groups = new ArrayList<>(dataset.byIdentity().values());
      positives = PairSpace.withinGroups(groups);
      negatives = PairSpace.acrossGroups(groups);
    }
    check(dataset, request, "positive", positives.size(), request.positives());
    check(dataset, request, "negative", negatives.size(), request.negatives());

    Random random = new Random(request.seed());
    List<LabelledPair> pairs = new ArrayList<>(request.count());
    boolean keepOrder = request.scheme() == PairScheme.ANCHOR; // the anchor always comes first
    draw(positives, request.positives(), 1, random, keepOrder, pairs);
    draw(negatives, request.negatives(), 0, random, keepOrder, pairs);
    Collections.shuffle(pairs, random);
    return pairs;
  }

  @Override
  public DatasetSplit splitByIdentity(LabelledDataset dataset, double testFraction, long seed) {
    if (testFraction < 0 || testFraction >= 1) {
      throw new IllegalArgumentException("test fraction must be in [0, 1): " + testFraction);
    }
    Map<String, List<Sample>> byIdentity = dataset.byIdentity();
    // The user of a workspace is what the model must learn: never moved to the test side.
    List<String> movable = new ArrayList<>(byIdentity.keySet());
    movable.remove(WorkspaceLayout.USER);
    Collections.sort(movable);
    Collections.shuffle(movable, new Random(seed));
    int testCount = (int) Math.round(byIdentity.size() * testFraction);
    if (testFraction > 0 && movable.size() >= 2) {
      testCount = Math.max(1, Math.min(testCount, movable.size() - 1));
    }
    testCount = Math.min(testCount, movable.size());
    Set<String> test = new HashSet<>(movable.subList(0, testCount));
    return new DatasetSplit(
        dataset.filter(s -> !test.contains(s.identity())), dataset.withIdentities(test));
  }

  private static List<Sample> withRole(LabelledDataset dataset, Role role) {
    return dataset.samples().stream().filter(s -> s.role() == role).toList();
  }

  private static void check(
      LabelledDataset dataset, PairRequest request, String label, long available, int wanted) {
    if (available < wanted) {
      String how =
          request.scheme() == PairScheme.ANCHOR
              ? "anchor × " + (label.equals("positive") ? "positive" : "negative") + " images"
              : label.equals("positive")
                  ? "two images of one identity"
                  : "images of two different identities";
      throw new IllegalArgumentException(
          dataset.name()
              + " gives only "
              + available
              + " distinct "
              + label
              + " pairs ("
              + how
              + ") but "
              + wanted
              + " were asked for; ask for at most "
              + maxCount(available, request, label)
              + " pairs in all");
    }
  }

  private static long maxCount(long available, PairRequest request, String label) {
    // positives = count / 2 and negatives = count - count / 2.
    return label.equals("positive") ? available * 2 + 1 : available * 2;
  }

  private static void draw(
      PairSpace space,
      int count,
      int label,
      Random random,
      boolean keepOrder,
      List<LabelledPair> out) {
    for (long index : distinctIndices(space.size(), count, random)) {
      Sample[] pair = space.pair(index);
      boolean swap = !keepOrder && random.nextBoolean();
      out.add(new LabelledPair(pair[swap ? 1 : 0], pair[swap ? 0 : 1], label));
    }
  }

  /** {@code k} distinct numbers in [0, n), uniformly (Floyd), in ascending order. */
  static long[] distinctIndices(long n, int k, Random random) {
    Set<Long> chosen = new HashSet<>(Math.max(16, k * 2));
    for (long j = n - k; j < n; j++) {
      long t = nextLong(random, j + 1);
      if (!chosen.add(t)) {
        chosen.add(j);
      }
    }
    return chosen.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static long nextLong(Random random, long bound) {
    return bound <= Integer.MAX_VALUE
        ? random.nextInt((int) bound)
        : Math.floorMod(random.nextLong(), bound);
  }
}
