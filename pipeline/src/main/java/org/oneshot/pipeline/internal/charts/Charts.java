package org.oneshot.pipeline.internal.charts;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.oneshot.api.model.Metrics;
import org.oneshot.pipeline.internal.image.ImageEncoder;
import org.oneshot.pipeline.internal.io.PrivateFiles;

/** The PNG charts commands write: training curves and ROC curves, drawn by XChart. */
public final class Charts {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 560;

  private Charts() {}

  /** One epoch of a training run. */
  public record Epoch(int epoch, double trainLoss, double validationLoss, double accuracy) {}

  /** Train and validation loss (left axis) and validation accuracy (right axis) per epoch. */
  public static void trainingCurves(String title, List<Epoch> epochs, Path png) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("epoch")
            .yAxisTitle("binary cross-entropy")
            .build();
    style(chart);
    double[] x = epochs.stream().mapToDouble(Epoch::epoch).toArray();
    chart.addSeries("train loss", x, epochs.stream().mapToDouble(Epoch::trainLoss).toArray());
    chart.addSeries(
        "validation loss", x, epochs.stream().mapToDouble(Epoch::validationLoss).toArray());
    double[] accuracy = epochs.stream().mapToDouble(Epoch::accuracy).toArray();
    if (java.util.Arrays.stream(accuracy).anyMatch(Double::isFinite)) {
      XYSeries acc = chart.addSeries("validation accuracy", x, accuracy);
      acc.setYAxisGroup(1);
      chart.setYAxisGroupTitle(1, "accuracy");
    }
    write(chart, png);
  }

  /** One ROC curve per scorer, with its AUC in the legend, and the chance diagonal. */
  public static void roc(String title, Map<String, Metrics.Roc> curves, Path png)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("false accept rate")
            .yAxisTitle("true accept rate")
            .build();
    style(chart);
    // Rates from 0 to 1 (the chance diagonal spans them): ticks every 0.1, not per data value.
    chart.getStyler().setDecimalPattern("0.0#");
    chart.getStyler().setXAxisMaxLabelCount(11);
    chart.getStyler().setXAxisTickMarkSpacingHint(60).setYAxisTickMarkSpacingHint(60);
    for (Map.Entry<String, Metrics.Roc> e : curves.entrySet()) {
      Metrics.Roc roc = e.getValue();
      XYSeries s = chart.addSeries(e.getKey(), roc.falseAcceptRate(), roc.trueAcceptRate());
      s.setMarker(SeriesMarkers.NONE);
    }
    XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
    chance.setMarker(SeriesMarkers.NONE);
    chance.setLineColor(Color.LIGHT_GRAY);
    write(chart, png);
  }

  private static void style(XYChart chart) {
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    chart.getStyler().setDecimalPattern("#0.###");
  }

  private static void write(XYChart chart, Path png) throws IOException {
    BufferedImage image = BitmapEncoder.getBufferedImage(chart);
    PrivateFiles.write(png, ImageEncoder.png(image));
  }
}
