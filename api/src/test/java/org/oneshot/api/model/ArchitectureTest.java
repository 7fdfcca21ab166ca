package org.oneshot.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  @Test
  void kochHasThePapersShapeAndParameterCount() {
    Architecture koch = Presets.KOCH;
    // 105 -10+1 = 96 → 48; -7+1 = 42 → 21; -4+1 = 18 → 9; -4+1 = 6: 6×6×256 into 4096 units.
    assertEquals(6, koch.featureWidth());
    assertEquals(9216, koch.flattenedSize());
    long expected =
        (64 * 100 + 64)
            + (128 * 64 * 49 + 128)
            + (128 * 128 * 16 + 128)
            + (256 * 128 * 16 + 256)
            + (9216L * 4096 + 4096)
            + (4096 + 1);
    assertEquals(expected, koch.parameterCount());
    assertEquals(38_951_745L, koch.parameterCount());
  }

  @Test
  void smallIsAboutOnePointThreeMillion() {
    assertEquals(1_345_345L, Presets.SMALL.parameterCount());
    assertEquals(1152, Presets.SMALL.flattenedSize());
  }

  @Test
  void roundTripsThroughItsMapAndTakesOverrides() {
    assertEquals(Presets.KOCH, Architecture.fromMap(Presets.KOCH.toMap()));
    Architecture wider =
        Presets.get("small", Map.of("dense.units", "2048", "input", "96", "conv1.filters", "16"));
    assertEquals(2048, wider.denseUnits());
    assertEquals(96, wider.inputWidth());
    assertEquals(96, wider.inputHeight());
    assertEquals(16, wider.convs().get(0).filters());
  }

  @Test
  void nonsenseIsRefusedWithTheReason() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> Presets.get("small", Map.of("stride", "2")));
    assertTrue(unknown.getMessage().contains("unknown architecture value 'stride'"));
    assertThrows(IllegalArgumentException.class, () -> Presets.get("huge", Map.of()));
    IllegalArgumentException tooSmall =
        assertThrows(
            IllegalArgumentException.class, () -> Presets.get("koch", Map.of("input", "40")));
    assertTrue(tooSmall.getMessage().contains("leaves no pixels"), tooSmall.getMessage());
  }

  @Test
  void forwardFlopsCountEveryMultiplyAddTwice() {
    // Koch by hand: conv1 96×96 outputs × 64 filters × 10×10×1; conv2 42×42 × 128 × 7×7×64;
    // conv3 18×18 × 128 × 4×4×128; conv4 6×6 × 256 × 4×4×128; dense 9216 × 4096.
    long macs =
        96L * 96 * 64 * 100
            + 42L * 42 * 128 * 49 * 64
            + 18L * 18 * 128 * 16 * 128
            + 6L * 6 * 256 * 16 * 128
            + 9216L * 4096;
    assertEquals(2 * macs, Presets.KOCH.forwardFlops());
    assertEquals(1_817_247_744L, Presets.KOCH.forwardFlops()); // ≈ 1.8 GFLOP per image
  }

  @Test
  void batchNormAddsAGammaAndABetaPerChannelAndOldModelsReadAsWithout() {
    Architecture bn = Presets.SMALL.with(Map.of("norm", "batch"));
    assertTrue(bn.batchNorm());
    assertEquals(1_345_345L + 2 * (32 + 64 + 64 + 128), bn.parameterCount());
    assertEquals(Presets.SMALL.forwardFlops(), bn.forwardFlops());
    assertEquals(bn, Architecture.fromMap(bn.toMap()));
    // Model files written before batch normalisation existed record no norm.
    java.util.Map<String, String> old = new java.util.LinkedHashMap<>(Presets.SMALL.toMap());
    old.remove("norm");
    assertEquals(Presets.SMALL, Architecture.fromMap(old));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Presets.SMALL.with(Map.of("norm", "layer")));
    assertEquals("norm must be none or batch: layer", e.getMessage());
  }

  @Test
  void dropoutChangesNoWeightsAndOldModelsReadAsWithout() {
    assertEquals(0.0, Presets.SMALL.dropout());
    Architecture dropped = Presets.SMALL.with(Map.of("dropout", "0.5"));
    assertEquals(0.5, dropped.dropout());
    assertEquals(Presets.SMALL.parameterCount(), dropped.parameterCount());
    assertEquals(Presets.SMALL.forwardFlops(), dropped.forwardFlops());
    assertEquals(dropped, Architecture.fromMap(dropped.toMap()));
    java.util.Map<String, String> old = new java.util.LinkedHashMap<>(Presets.SMALL.toMap());
    old.remove("dropout");
    assertEquals(Presets.SMALL, Architecture.fromMap(old));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Presets.SMALL.with(Map.of("dropout", "1")));
    assertEquals("dropout must be at least 0 and below 1: 1.0", e.getMessage());
  }

  @Test
  void resizeIsBilinearUnlessSaidAndOldModelsReadAsBilinear() {
    assertEquals("bilinear", Presets.SMALL.resize());
    Architecture area = Presets.SMALL.with(Map.of("resize", "area"));
    assertTrue(area.areaResize());
    assertEquals(Presets.SMALL.parameterCount(), area.parameterCount());
    assertEquals(area, Architecture.fromMap(area.toMap()));
    java.util.Map<String, String> old = new java.util.LinkedHashMap<>(Presets.SMALL.toMap());
    old.remove("resize");
    assertEquals(Presets.SMALL, Architecture.fromMap(old));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Presets.SMALL.with(Map.of("resize", "cubic")));
    assertEquals("resize must be bilinear or area: cubic", e.getMessage());
  }
}
