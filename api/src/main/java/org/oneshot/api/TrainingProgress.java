package org.oneshot.api;

/**
 * A training progress event: after each step ({@link Kind#STEP}: epoch, step, loss, pairs/s) and
 * after each epoch ({@link Kind#EPOCH}: also validation loss and accuracy). Figures that do not
 * apply to the event are {@code NaN}.
 */
public record TrainingProgress(
    Kind kind,
    int epoch,
    long step,
    double loss,
    double pairsPerSecond,
    double validationLoss,
    double validationAccuracy) {

  public enum Kind {
    STEP,
    EPOCH
  }

  public static TrainingProgress step(int epoch, long step, double loss, double pairsPerSecond) {
    return new TrainingProgress(
        Kind.STEP, epoch, step, loss, pairsPerSecond, Double.NaN, Double.NaN);
  }

  public static TrainingProgress epoch(
      int epoch, long step, double trainLoss, double validationLoss, double validationAccuracy) {
    return new TrainingProgress(
        Kind.EPOCH, epoch, step, trainLoss, Double.NaN, validationLoss, validationAccuracy);
  }
}
