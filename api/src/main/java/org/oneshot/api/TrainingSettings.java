package org.oneshot.api;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to train. Build with {@link #defaults()} and the {@code with…} methods.
 *
 * @param epochs passes over the training pairs
 * @param batchSize pairs per step
 * @param learningRate initial learning rate
 * @param optimizer Adam or SGD
 * @param momentum SGD momentum (ignored by Adam)
 * @param learningRateDecay per-epoch multiplicative decay, 1 = none
 * @param l2 weight of the L2 penalty on the weights
 * @param augment whether to apply Koch's affine distortions to training images
 * @param validationFraction fraction of the pairs held out to validate each epoch
 * @param patience epochs without validation improvement before stopping early; 0 = never
 * @param seed seed for initialisation, shuffling and augmentation
 * @param freshNegatives whether every epoch after the first re-draws the partner of each negative
 *     pair (another identity's image among those the negatives use), so that a small set of people
 *     shows the network many more of its different-person pairs than one fixed draw
 * @param allPairs how to train on every pair within a batch, or null to train on the listed pairs
 *     ({@code batchSize} is then unused)
 * @param schedule how the learning rate moves from step to step
 * @param timeLimit how long the steps may take, {@link Duration#ZERO} for no limit: training stops
 *     after the step that reaches it (then validates), and a falling schedule follows whichever of
 *     steps or time runs out first, so that it still ends at its floor
 */
public record TrainingSettings(
    int epochs,
    int batchSize,
    double learningRate,
    Optimizer optimizer,
    double momentum,
    double learningRateDecay,
    double l2,
    boolean augment,
    double validationFraction,
    int patience,
    long seed,
    boolean freshNegatives,
    AllPairsBatches allPairs,
    LearningRateSchedule schedule,
    Duration timeLimit) {

  public TrainingSettings {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(timeLimit, "timeLimit");
    require(!timeLimit.isNegative(), "time limit must not be negative: " + timeLimit);
    require(epochs > 0, "epochs must be positive: " + epochs);
    require(batchSize > 0, "batch size must be positive: " + batchSize);
    require(learningRate > 0, "learning rate must be positive: " + learningRate);
    require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1): " + momentum);
    require(
        learningRateDecay > 0 && learningRateDecay <= 1,
        "learning-rate decay must be in (0, 1]: " + learningRateDecay);
    require(l2 >= 0, "L2 weight must not be negative: " + l2);
    require(
        validationFraction >= 0 && validationFraction < 1,
        "validation fraction must be in [0, 1): " + validationFraction);
    require(patience >= 0, "patience must not be negative: " + patience);
  }

  /** The settings without a time limit (the 1.5 API's constructor). */
  public TrainingSettings(
      int epochs,
      int batchSize,
      double learningRate,
      Optimizer optimizer,
      double momentum,
      double learningRateDecay,
      double l2,
      boolean augment,
      double validationFraction,
      int patience,
      long seed,
      boolean freshNegatives,
      AllPairsBatches allPairs,
      LearningRateSchedule schedule) {
    this(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        momentum,
        learningRateDecay,
        l2,
        augment,
        validationFraction,
        patience,
        seed,
        freshNegatives,
        allPairs,
        schedule,
        Duration.ZERO);
  }

  /** The settings at a constant learning rate (the 1.4 API's constructor). */
  public TrainingSettings(
      int epochs,
      int batchSize,
      double learningRate,
      Optimizer optimizer,
      double momentum,
      double learningRateDecay,
      double l2,
      boolean augment,
      double validationFraction,
      int patience,
      long seed,
      boolean freshNegatives,
      AllPairsBatches allPairs) {
    this(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        momentum,
        learningRateDecay,
        l2,
        augment,
        validationFraction,
        patience,
        seed,
        freshNegatives,
        allPairs,
        LearningRateSchedule.CONSTANT);
  }

  /** The settings on listed pairs (the 1.3 API's constructor). */
  public TrainingSettings(
      int epochs,
      int batchSize,
      double learningRate,
      Optimizer optimizer,
      double momentum,
      double learningRateDecay,
      double l2,
      boolean augment,
      double validationFraction,
      int patience,
      long seed,
      boolean freshNegatives) {
    this(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        momentum,
        learningRateDecay,
        l2,
        augment,
        validationFraction,
        patience,
        seed,
        freshNegatives,
        null);
  }

  /** The settings without fresh negatives (the 1.1 API's constructor). */
  public TrainingSettings(
      int epochs,
      int batchSize,
      double learningRate,
      Optimizer optimizer,
      double momentum,
      double learningRateDecay,
      double l2,
      boolean augment,
      double validationFraction,
      int patience,
      long seed) {
    this(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        momentum,
        learningRateDecay,
        l2,
        augment,
        validationFraction,
        patience,
        seed,
        false);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Adam at 1e-4, batch 32, 10 epochs, 10% validation, patience 3, no augmentation, seed 42. */
  public static TrainingSettings defaults() {
    return new TrainingSettings(10, 32, 1e-4, Optimizer.ADAM, 0.5, 0.99, 2e-4, false, 0.1, 3, 42L);
  }

  public TrainingSettings withEpochs(int value) {
    return changed(d -> d.epochs = value);
  }

  public TrainingSettings withBatchSize(int value) {
    return changed(d -> d.batchSize = value);
  }

  public TrainingSettings withLearningRate(double value) {
    return changed(d -> d.learningRate = value);
  }

  public TrainingSettings withOptimizer(Optimizer value) {
    return changed(d -> d.optimizer = value);
  }

  public TrainingSettings withAugment(boolean value) {
    return changed(d -> d.augment = value);
  }

  public TrainingSettings withValidationFraction(double value) {
    return changed(d -> d.validationFraction = value);
  }

  public TrainingSettings withPatience(int value) {
    return changed(d -> d.patience = value);
  }

  public TrainingSettings withSeed(long value) {
    return changed(d -> d.seed = value);
  }

  public TrainingSettings withFreshNegatives(boolean value) {
    return changed(d -> d.freshNegatives = value);
  }

  public TrainingSettings withAllPairs(AllPairsBatches value) {
    return changed(d -> d.allPairs = value);
  }

  public TrainingSettings withSchedule(LearningRateSchedule value) {
    return changed(d -> d.schedule = value);
  }

  /** A copy whose steps stop at {@code value}; {@link Duration#ZERO} for no limit. */
  public TrainingSettings withTimeLimit(Duration value) {
    return changed(d -> d.timeLimit = value);
  }

  /** Whether the steps stop at a time limit. */
  public boolean timeLimited() {
    return !timeLimit.isZero();
  }

  /** A copy with what {@code change} does to its draft. */
  private TrainingSettings changed(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return d.settings();
  }

  /** A changeable copy, so that each with-method names only what it changes. */
  private static final class Draft {
    private int epochs;
    private int batchSize;
    private double learningRate;
    private Optimizer optimizer;
    private double momentum;
    private double learningRateDecay;
    private double l2;
    private boolean augment;
    private double validationFraction;
    private int patience;
    private long seed;
    private boolean freshNegatives;
    private AllPairsBatches allPairs;
    private LearningRateSchedule schedule;
    private Duration timeLimit;

    Draft(TrainingSettings s) {
      epochs = s.epochs;
      batchSize = s.batchSize;
      learningRate = s.learningRate;
      optimizer = s.optimizer;
      momentum = s.momentum;
      learningRateDecay = s.learningRateDecay;
      l2 = s.l2;
      augment = s.augment;
      validationFraction = s.validationFraction;
      patience = s.patience;
      seed = s.seed;
      freshNegatives = s.freshNegatives;
      allPairs = s.allPairs;
      schedule = s.schedule;
      timeLimit = s.timeLimit;
    }

    TrainingSettings settings() {
      return new TrainingSettings(
          epochs,
          batchSize,
          learningRate,
          optimizer,
          momentum,
          learningRateDecay,
          l2,
          augment,
          validationFraction,
          patience,
          seed,
          freshNegatives,
          allPairs,
          schedule,
          timeLimit);
    }
  }
}
