package org.oneshot.pipeline.internal.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.model.Metrics;

class ChartsTest {
  @TempDir Path dir;

  @Test
  void rocChartIsAPngWithACurvePerScorer() throws Exception {
    Map<String, Metrics.Roc> curves = new LinkedHashMap<>();
    curves.put("good", Metrics.roc(new double[] {0.9, 0.8, 0.2, 0.1}, new int[] {1, 1, 0, 0}));
    curves.put("poor", Metrics.roc(new double[] {0.9, 0.8, 0.2, 0.1}, new int[] {0, 1, 1, 0}));
    Path png = dir.resolve("roc.png");
    Charts.roc("test", curves, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(800, image.getWidth());
    assertTrue(distinctColours(image) > 4, "a drawn chart, not a blank image");
  }

  @Test
  void trainingCurvesChartIsAPng() throws Exception {
    Path png = dir.resolve("loss.png");
    Charts.trainingCurves(
        "test",
        List.of(new Charts.Epoch(1, 0.7, 0.65, 0.6), new Charts.Epoch(2, 0.5, 0.55, 0.7)),
        png);
    assertTrue(Files.size(png) > 1000);
    assertTrue(distinctColours(ImageIO.read(png.toFile())) > 4);
  }

  private static long distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
