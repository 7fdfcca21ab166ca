package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.oneshot.api.TrainingProgress;
import org.oneshot.pipeline.internal.charts.Charts;
import org.oneshot.pipeline.internal.dataset.ImageFiles;
import org.oneshot.pipeline.internal.io.PrivateFiles;

/**
 * What face:train writes beside the model: the per-epoch metrics as CSV ({@code NAME.epochs.csv})
 * and the training curves as PNG ({@code NAME.curves.png}).
 */
record TrainingOutputs(Path csv, Path png) {
  static TrainingOutputs beside(Path model) {
    return new TrainingOutputs(
        besideModel(model, ".epochs.csv"), besideModel(model, ".curves.png"));
  }

  /** A file next to {@code model}: its name without extension, then {@code suffix}. */
  static Path besideModel(Path model, String suffix) {
    String stem = ImageFiles.stem(model.getFileName().toString());
    return model.toAbsolutePath().getParent().resolve(stem + suffix);
  }

  void write(String title, List<TrainingProgress> history) throws IOException {
    StringBuilder text =
        new StringBuilder("epoch,step,train_loss,validation_loss,validation_accuracy\n");
    List<Charts.Epoch> epochs = new ArrayList<>();
    for (TrainingProgress p : history) {
      text.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%.6f,%.6f,%.6f%n",
              p.epoch(),
              p.step(),
              p.loss(),
              p.validationLoss(),
              p.validationAccuracy()));
      epochs.add(new Charts.Epoch(p.epoch(), p.loss(), p.validationLoss(), p.validationAccuracy()));
    }
    PrivateFiles.writeString(csv, text.toString());
    Charts.trainingCurves(title, epochs, png);
  }
}
