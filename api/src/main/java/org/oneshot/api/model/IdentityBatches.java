package org.oneshot.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.Sample;

/**
 * Draws the batches of {@link AllPairsBatches} training: different images (two, or as many as
 * asked) of each of a number of identities, with the label and loss weight of every pair among
 * them. The images are those of the training pairs; identities with a single image there take no
 * part. A pair that is also a validation pair weighs nothing, so validation stays unseen.
 */
final class IdentityBatches {
  /** The images of one step in order (an identity's side by side) and their pairs. */
  record Batch(List<Sample> images, float[] labels, float[] weights) {
    int size() {
      return images.size();
    }
  }

  private final AllPairsBatches config;
  private final List<String> identities = new ArrayList<>();
  private final Map<String, List<Sample>> images = new LinkedHashMap<>();
  private final Map<String, List<String>> groups = new LinkedHashMap<>();
  private final Set<List<Sample>> validation = new HashSet<>();

  IdentityBatches(
      AllPairsBatches config, List<LabelledPair> training, List<LabelledPair> validation) {
    this.config = config;
    Map<String, Set<Sample>> byIdentity = new LinkedHashMap<>();
    for (LabelledPair p : training) {
      byIdentity.computeIfAbsent(p.first().identity(), k -> new LinkedHashSet<>()).add(p.first());
      byIdentity.computeIfAbsent(p.second().identity(), k -> new LinkedHashSet<>()).add(p.second());
    }
    byIdentity.forEach(
        (identity, samples) -> {
          if (samples.size() >= 2) {
            identities.add(identity);
            images.put(identity, List.copyOf(samples));
            groups
                .computeIfAbsent(AllPairsBatches.groupOf(identity), k -> new ArrayList<>())
                .add(identity);
          }
        });
    if (identities.size() < 2) {
      throw new IllegalArgumentException(
          "training on all pairs of a batch needs two identities or more with at least two images"
              + " among the training pairs; there are "
              + identities.size());
    }
    for (LabelledPair p : validation) {
      this.validation.add(List.of(p.first(), p.second()));
      this.validation.add(List.of(p.second(), p.first()));
    }
  }

  /** Identities per step: as asked, or all there are when fewer. */
  int identitiesPerStep() {
    return Math.min(config.identities(), identities.size());
  }

  /** Images per step at most (identities with fewer images than asked give all they have). */
  int imagesPerStep() {
    return identitiesPerStep() * config.imagesEach();
  }

  Batch next(Random random) {
    List<Sample> chosen = new ArrayList<>();
    List<String> ids = chooseIdentities(random);
    for (String identity : ids) {
      List<Sample> own = images.get(identity);
      if (config.imagesEach() == 2) {
        // Two images as always drawn, so that seeded runs repeat those before more were possible.
        int a = random.nextInt(own.size());
        int b = (a + 1 + random.nextInt(own.size() - 1)) % own.size();
        chosen.add(own.get(a));
        chosen.add(own.get(b));
      } else {
        chosen.addAll(distinct(own, config.imagesEach(), random));
      }
    }
    return pairsOf(chosen);
  }

  /** Up to {@code count} different images of {@code own}, drawn without replacement. */
  private static List<Sample> distinct(List<Sample> own, int count, Random random) {
    List<Sample> pool = new ArrayList<>(own);
    int take = Math.min(count, pool.size());
    for (int i = 0; i < take; i++) {
      Collections.swap(pool, i, i + random.nextInt(pool.size() - i));
    }
    return pool.subList(0, take);
  }

  private List<String> chooseIdentities(Random random) {
    int wanted = identitiesPerStep();
    List<String> chosen = new ArrayList<>(wanted);
    if (config.sameGroup()) {
      String seed = identities.get(random.nextInt(identities.size()));
      List<String> group = new ArrayList<>(groups.get(AllPairsBatches.groupOf(seed)));
      Collections.shuffle(group, random);
      chosen.addAll(group.subList(0, Math.min(wanted, group.size())));
    }
    if (chosen.size() < wanted) {
      Set<String> taken = new HashSet<>(chosen);
      List<String> rest = new ArrayList<>(identities);
      Collections.shuffle(rest, random);
      for (String identity : rest) {
        if (chosen.size() == wanted) {
          break;
        }
        if (!taken.contains(identity)) {
          chosen.add(identity);
        }
      }
    }
    return chosen;
  }

  /**
   * Labels and weights of the pairs i &lt; j of {@code chosen}, in {@link UpperTriangle} order:
   * positives and negatives weigh half the loss each; validation pairs weigh 0.
   */
  Batch pairsOf(List<Sample> chosen) {
    int n = chosen.size();
    float[] labels = new float[UpperTriangle.count(n)];
    boolean[] counted = new boolean[labels.length];
    int positives = 0;
    int negatives = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++, k++) {
        Sample a = chosen.get(i);
        Sample b = chosen.get(j);
        if (validation.contains(List.of(a, b))) {
          continue;
        }
        counted[k] = true;
        if (a.identity().equals(b.identity())) {
          labels[k] = 1f;
          positives++;
        } else {
          negatives++;
        }
      }
    }
    float[] weights = new float[labels.length];
    float positive = positives == 0 ? 0f : (negatives == 0 ? 1f : 0.5f) / positives;
    float negative = negatives == 0 ? 0f : (positives == 0 ? 1f : 0.5f) / negatives;
    for (k = 0; k < labels.length; k++) {
      if (counted[k]) {
        weights[k] = labels[k] == 1f ? positive : negative;
      }
    }
    return new Batch(List.copyOf(chosen), labels, weights);
  }
}
