package org.oneshot.pipeline.internal.training;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.LearningRateSchedule;

/**
 * How long and on what to train a preset: the defaults {@code face:train} and {@code face:compare}
 * use for options the user leaves out. {@code faces} and {@code omniglot} are the recipes the
 * accuracy work settled on (README, Results): the {@code small} network with batch normalisation
 * (their architecture, in {@link org.oneshot.api.model.Presets}), Koch's distortions and many more
 * pair presentations than the plain presets — the levers that mattered most within a 2-core CPU
 * budget.
 *
 * @param epochs passes over the training pairs
 * @param pairs training pairs to sample (capped by what the data gives)
 * @param augment whether training images get Koch's affine distortions
 * @param patience epochs without validation improvement before stopping; 0 never
 * @param learningRate Adam's step size
 * @param freshNegatives whether each epoch re-draws the negative pairs' partners
 * @param allPairs every pair within each batch instead of listed pairs, or null
 * @param schedule how the learning rate moves over the run
 * @param turns whether every training identity also trains turned by 90°, 180° and 270°, as three
 *     new identities
 * @param mirrors whether every training identity (and each of its turns) also trains mirrored, as
 *     new identities
 * @param timeLimit how long the steps may take ({@link Duration#ZERO}: as long as they need)
 */
public record Recipe(
    int epochs,
    int pairs,
    boolean augment,
    int patience,
    double learningRate,
    boolean freshNegatives,
    AllPairsBatches allPairs,
    LearningRateSchedule schedule,
    boolean turns,
    boolean mirrors,
    Duration timeLimit) {
  /** The omniglot recipe's time limit on its steps: validation and saving fit in the hour. */
  private static final Duration OMNIGLOT_HOUR = Duration.ofMinutes(57);

  /** What {@code small} and {@code koch} train with unless told otherwise. */
  public static final Recipe PLAIN =
      new Recipe(
          10,
          10_000,
          false,
          3,
          1e-3,
          false,
          null,
          LearningRateSchedule.CONSTANT,
          false,
          false,
          Duration.ZERO);

  /**
   * AT&T-sized face sets: 27 passes over every pair the people give (2,700 for 30 people × 10
   * images), each with fresh distortions and its negatives' partners re-drawn — about 9 minutes on
   * 2 cores (14 on an AVX2 machine). Re-drawn negatives and the preset's dropout took AT&T's unseen
   * people from 0.876 / 0.637 (pairs / 10-way, mean of three seeds) to the README's figures.
   */
  public static final Recipe FACES =
      new Recipe(
          27,
          10_000,
          true,
          0,
          1e-3,
          true,
          null,
          LearningRateSchedule.CONSTANT,
          false,
          false,
          Duration.ZERO);

  /**
   * Omniglot's background set: the tower work of 366,321 distinct distorted pairs seen once (all
   * the set gives unturned), spent on every pair within batches of 32 characters of one alphabet —
   * 82.8% on Lake's runs where the same work on listed pairs gave 77.8%; early stopping has nothing
   * to compare with one pass, so it is off. Batch normalisation takes a larger step: 0.003 did
   * better than 0.001 in the recipe sweep (84% against 80%), and decaying it along half a cosine to
   * 2% by the last step lifted the same run from 82.8% to 91.0%. Every character also trains turned
   * three ways, as new characters (3,856 instead of 964, the same number of steps): 93.5%, 90.8%
   * and 92.5% over three seeds, a mean of 92.3%; three more on the slower AVX2 machine since DJL
   * lays images out channels last, 91.0% each, in 47, 64 and 55 minutes. The hour moves with the
   * machine, so the steps stop at 57 minutes (then validate, under a minute) and the cosine follows
   * the clock when it runs out first: the hour holds on any machine, at fewer steps on a slow one.
   * Mirrored characters as well (eight orientations) with dropout drew 91.3% and 90.0% against
   * 91.0% and 91.0% for the same two seeds, no gain, so mirrors stay off. The same 64 images a step
   * as 16 characters × 4 images (P × K batches: 96 positive pairs a step instead of 32) drew 92.5%,
   * 91.5% and 90.8% for seeds 42, 7 and 11 on an AMD Zen 5 machine (91.6% on the mean; 35–52
   * minutes), against 91.5% over seven draws of 32 × 2: no proven gain, kept for the higher lead at
   * a quarter of the steps (replica and product pilots); --all-pairs 32 --same-group gives the 32 ×
   * 2 batches back.
   */
  public static final Recipe OMNIGLOT =
      new Recipe(
          1,
          366_321,
          true,
          0,
          3e-3,
          false,
          new AllPairsBatches(16, true, 4),
          LearningRateSchedule.COSINE,
          true,
          false,
          OMNIGLOT_HOUR);

  /**
   * What {@code face:train --pretrain} trains a new network on first: the omniglot recipe (16
   * identities × 4 images of one group, every pair within them, turns, cosine from 0.003) cut to
   * 60,000 pairs' worth of tower work (1,688 steps, about 9 minutes on 2 cores). Omniglot's
   * background set pretrained this way lifted the {@code faces} recipe on AT&T's unseen people from
   * 0.882 / 0.775 (pairs / 10-way, mean of three seeds) to 0.904 / 0.813: above the raw-pixel floor
   * (0.861 / 0.820) on pairs for every seed, on 10-way for two seeds of three. 964 characters teach
   * the tower edges and strokes that 30 people cannot.
   */
  public static final Recipe PRETRAINING = OMNIGLOT.cutTo(60_000);

  /** The recipe of {@code preset}: its own for faces and omniglot, {@link #PLAIN} otherwise. */
  public static Recipe of(String preset) {
    return switch (preset.toLowerCase(Locale.ROOT)) {
      case "faces" -> FACES;
      case "omniglot" -> OMNIGLOT;
      default -> PLAIN;
    };
  }

  /** This recipe for {@code pairs} pairs' worth of tower work, with no time limit. */
  Recipe cutTo(int pairs) {
    return new Recipe(
        epochs,
        pairs,
        augment,
        patience,
        learningRate,
        freshNegatives,
        allPairs,
        schedule,
        turns,
        mirrors,
        Duration.ZERO);
  }

  /**
   * Whether negatives are re-drawn each epoch: {@code given} is "fresh", "fixed" or empty (the
   * recipe's choice).
   */
  public boolean freshNegatives(String given) {
    return switch (given.toLowerCase(Locale.ROOT)) {
      case "" -> freshNegatives;
      case "fresh" -> true;
      case "fixed" -> false;
      default ->
          throw new IllegalArgumentException(
              "--negatives must be fresh or fixed, not '" + given + "'");
    };
  }

  /**
   * All-pairs batches of {@code given} identities per step (within one group if {@code sameGroup}),
   * none for 0, or the recipe's choice when {@code given} is negative (not given), with the
   * recipe's images of each identity (two for batches the user sized).
   */
  public AllPairsBatches allPairs(int given, boolean sameGroup) {
    return allPairs(given, sameGroup, OptionalInt.empty());
  }

  /**
   * As {@link #allPairs(int, boolean)}, with {@code imagesEach} images of each identity per step
   * when given (the recipe's batches too when {@code given} is negative).
   */
  public AllPairsBatches allPairs(int given, boolean sameGroup, OptionalInt imagesEach) {
    if (given == 0 || (given < 0 && allPairs == null)) {
      return null;
    }
    AllPairsBatches chosen = given < 0 ? allPairs : new AllPairsBatches(given, sameGroup);
    return imagesEach.isEmpty()
        ? chosen
        : new AllPairsBatches(chosen.identities(), chosen.sameGroup(), imagesEach.getAsInt());
  }

  /** The schedule {@code given} ("constant", "cosine"), or the recipe's when it is empty. */
  public LearningRateSchedule schedule(String given) {
    if (given.isEmpty()) {
      return schedule;
    }
    try {
      return LearningRateSchedule.valueOf(given.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--schedule must be constant or cosine, not '" + given + "'", e);
    }
  }

  /** Whether identities are turned: {@code given} is "on", "off" or empty (the recipe's choice). */
  public boolean turns(String given) {
    return onOff("--turns", given, turns);
  }

  /** Whether identities are mirrored: {@code given} is "on", "off" or empty (the recipe's). */
  public boolean mirrors(String given) {
    return onOff("--mirrors", given, mirrors);
  }

  private static boolean onOff(String option, String given, boolean recipes) {
    return switch (given.toLowerCase(Locale.ROOT)) {
      case "" -> recipes;
      case "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException(option + " must be on or off, not '" + given + "'");
    };
  }

  /**
   * The time limit of {@code minutes} (0: none), or the recipe's when it is negative (not given).
   *
   * @throws IllegalArgumentException when {@code minutes} is not a number
   */
  public Duration timeLimit(double minutes) {
    if (Double.isNaN(minutes) || Double.isInfinite(minutes)) {
      throw new IllegalArgumentException("--time-limit must be minutes, not " + minutes);
    }
    return minutes < 0 ? timeLimit : Duration.ofMillis(Math.round(minutes * 60_000));
  }

  /** {@code given} unless it is the "not given" marker (negative), then the recipe's. */
  public static int orDefault(int given, int recipes) {
    return given < 0 ? recipes : given;
  }

  /** {@code given} unless it is the "not given" marker (negative), then the recipe's. */
  public static double orDefault(double given, double recipes) {
    return given < 0 ? recipes : given;
  }
}
