package org.oneshot.pipeline.internal.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.LearningRateSchedule;
import org.oneshot.api.model.Presets;

class RecipeTest {
  @Test
  void theAccuracyRecipesDistortAndTrainLongerThanThePlainPresets() {
    Recipe faces = Recipe.of("faces");
    Recipe omniglot = Recipe.of("OMNIGLOT");
    assertTrue(faces.augment());
    assertTrue(omniglot.augment());
    assertFalse(Recipe.of("small").augment());
    assertEquals(Recipe.PLAIN, Recipe.of("koch"));
    assertTrue(faces.epochs() * 2_700 > Recipe.PLAIN.epochs() * 2_700 * 2);
    assertTrue(omniglot.pairs() * omniglot.epochs() > 10 * Recipe.PLAIN.pairs());
    assertEquals(0.003, omniglot.learningRate());
    assertEquals(0.001, faces.learningRate());
  }

  @Test
  void pretrainingIsTheOmniglotRecipeCutTo60000PairsWithNoTimeLimit() {
    Recipe pretraining = Recipe.PRETRAINING;
    assertEquals(60_000, pretraining.pairs());
    assertEquals(Duration.ZERO, pretraining.timeLimit());
    assertEquals(Recipe.OMNIGLOT.allPairs(), pretraining.allPairs());
    assertEquals(LearningRateSchedule.COSINE, pretraining.schedule());
    assertEquals(
        Recipe.OMNIGLOT,
        new Recipe(
            pretraining.epochs(),
            Recipe.OMNIGLOT.pairs(),
            pretraining.augment(),
            pretraining.patience(),
            pretraining.learningRate(),
            pretraining.freshNegatives(),
            pretraining.allPairs(),
            pretraining.schedule(),
            pretraining.turns(),
            pretraining.mirrors(),
            Recipe.OMNIGLOT.timeLimit()),
        "the rest is the omniglot recipe's");
  }

  @Test
  void optionsTheUserGaveWinOverTheRecipe() {
    assertEquals(27, Recipe.orDefault(-1, Recipe.FACES.epochs()));
    assertEquals(3, Recipe.orDefault(3, Recipe.FACES.epochs()));
    assertEquals(0, Recipe.orDefault(0, Recipe.PLAIN.patience()));
    assertEquals(0.003, Recipe.orDefault(-1.0, Recipe.OMNIGLOT.learningRate()));
    assertEquals(0.01, Recipe.orDefault(0.01, Recipe.OMNIGLOT.learningRate()));
    assertEquals(Recipe.FACES.freshNegatives(), Recipe.FACES.freshNegatives(""));
    assertTrue(Recipe.PLAIN.freshNegatives("fresh"));
    assertFalse(Recipe.FACES.freshNegatives("FIXED"));
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> Recipe.PLAIN.freshNegatives("new"));
    assertEquals("--negatives must be fresh or fixed, not 'new'", bad.getMessage());
    assertEquals(new AllPairsBatches(16, true, 4), Recipe.OMNIGLOT.allPairs(-1, false));
    assertNull(Recipe.FACES.allPairs(-1, true), "faces trains on listed pairs");
    assertEquals(new AllPairsBatches(16, true), Recipe.PLAIN.allPairs(16, true));
    assertNull(Recipe.OMNIGLOT.allPairs(0, true), "0 turns all-pairs batches off");
    assertEquals(
        new AllPairsBatches(16, true, 2),
        Recipe.OMNIGLOT.allPairs(-1, false, OptionalInt.of(2)),
        "fewer images of each of the recipe's identities");
    assertEquals(
        new AllPairsBatches(32, true, 2),
        Recipe.OMNIGLOT.allPairs(32, true, OptionalInt.empty()),
        "batches the user sizes take two images each, not the recipe's four");
    assertEquals(
        new AllPairsBatches(16, false, 4), Recipe.PLAIN.allPairs(16, false, OptionalInt.of(4)));
    assertNull(
        Recipe.PLAIN.allPairs(-1, false, OptionalInt.empty()), "small trains on listed pairs");
    assertNull(
        Recipe.FACES.allPairs(-1, false, OptionalInt.of(4)),
        "no all-pairs batches to give images to");
    assertEquals(LearningRateSchedule.COSINE, Recipe.OMNIGLOT.schedule(""));
    assertEquals(LearningRateSchedule.CONSTANT, Recipe.OMNIGLOT.schedule("Constant"));
    assertEquals(LearningRateSchedule.CONSTANT, Recipe.PLAIN.schedule(""));
    assertEquals(LearningRateSchedule.COSINE, Recipe.PLAIN.schedule("cosine"));
    assertTrue(Recipe.OMNIGLOT.turns(""), "omniglot trains turned characters too");
    assertFalse(Recipe.OMNIGLOT.turns("OFF"));
    assertFalse(Recipe.FACES.turns(""));
    assertTrue(Recipe.PLAIN.turns("on"));
    bad = assertThrows(IllegalArgumentException.class, () -> Recipe.PLAIN.turns("90"));
    assertEquals("--turns must be on or off, not '90'", bad.getMessage());
    assertFalse(Recipe.OMNIGLOT.mirrors(""), "mirrors are an option, not the recipe");
    assertTrue(Recipe.OMNIGLOT.mirrors("on"));
    assertFalse(Recipe.FACES.mirrors(""));
    assertFalse(Recipe.PLAIN.mirrors("OFF"));
    bad = assertThrows(IllegalArgumentException.class, () -> Recipe.PLAIN.mirrors("yes"));
    assertEquals("--mirrors must be on or off, not 'yes'", bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> Recipe.PLAIN.schedule("step"));
    assertEquals("--schedule must be constant or cosine, not 'step'", bad.getMessage());
  }

  @Test
  void everyRecipeIsTheSmallNetworkWithBatchNormalisationAndFacesDrop() {
    for (String name : new String[] {"faces", "omniglot"}) {
      assertTrue(Presets.names().contains(name), name);
    }
    assertEquals(Presets.get("small", Map.of("norm", "batch")), Presets.get("omniglot", Map.of()));
    assertEquals(
        Presets.get("small", Map.of("norm", "batch", "dropout", "0.5")),
        Presets.get("faces", Map.of()));
    assertEquals(0.0, Presets.get("faces", Map.of("dropout", "0")).dropout());
  }

  @Test
  void omniglotStopsItsStepsWithinTheHourUnlessToldOtherwise() {
    assertEquals(Duration.ofMinutes(57), Recipe.OMNIGLOT.timeLimit(-1));
    assertTrue(Recipe.OMNIGLOT.timeLimit(-1).plusMinutes(1).compareTo(Duration.ofHours(1)) <= 0);
    assertEquals(Duration.ZERO, Recipe.OMNIGLOT.timeLimit(0), "0 lifts the limit");
    assertEquals(Duration.ofSeconds(90), Recipe.FACES.timeLimit(1.5));
    assertEquals(Duration.ZERO, Recipe.FACES.timeLimit(-1));
    assertEquals(Duration.ZERO, Recipe.PLAIN.timeLimit(-1));
    assertThrows(IllegalArgumentException.class, () -> Recipe.PLAIN.timeLimit(Double.NaN));
  }

  @Test
  void facesRedrawsItsNegativesEachEpochUnlessToldNot() {
    assertTrue(Recipe.FACES.freshNegatives(""));
    assertFalse(Recipe.FACES.freshNegatives("fixed"));
    assertFalse(Recipe.OMNIGLOT.freshNegatives(""));
  }
}
