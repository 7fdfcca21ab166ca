package org.oneshot.pipeline.internal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oneshot.api.Embedding;
import org.oneshot.api.FaceBox;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Sample;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.pipeline.internal.TestData;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.sampling.DefaultPairSampler;

class FusedScoringNetworkTest {
  private static final List<String> UNSEEN =
      List.of("s31", "s32", "s33", "s34", "s35", "s36", "s37", "s38", "s39", "s40");

  @Test
  void fisherfacesFittedOnTrainingPeopleLiftThePixelsOnUnseenPeople() throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    FusedScoringNetwork fused =
        FusedScoringNetwork.of(
            new PixelNetwork(), att.filter(s -> !UNSEEN.contains(s.identity())), 42);
    assertEquals(300, fused.fittedImages());
    assertEquals(30, fused.fittedIdentities());
    ProtocolResult r =
        OneShotEvaluation.run(fused, PixelNetwork.ARCH, att.withIdentities(UNSEEN), 10, 42);
    // The pixel network's cosine alone ranks about as the floor does (0.82 here); Fisherfaces
    // learned on s1–s30 add what tells faces apart.
    double floor = r.baseline().accuracy();
    assertTrue(
        r.model().accuracy() > floor + 0.03,
        "fused " + r.model().accuracy() + " against the floor's " + floor);
    // The Fisherfaces alone: the pixel network's part weighed zero, the discriminant still lifts.
    ProtocolResult alone =
        OneShotEvaluation.run(
            fused.fisherfacesAlone(), PixelNetwork.ARCH, att.withIdentities(UNSEEN), 10, 42);
    assertTrue(
        alone.model().accuracy() > floor + 0.02,
        "Fisherfaces alone " + alone.model().accuracy() + " against the floor's " + floor);
    assertTrue(alone.model().accuracy() != r.model().accuracy(), "the network's part weighed 0");
  }

  @Test
  void localBinaryPatternsLiftTheClassicalHalfOnUnseenPeople(@TempDir Path dir) throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset unseen = att.withIdentities(UNSEEN);
    PixelNetwork pixels = new PixelNetwork();
    FusedScoringNetwork fused =
        FusedScoringNetwork.of(pixels, att.filter(s -> !UNSEEN.contains(s.identity())), 42);
    FusedScoringNetwork pixelsOnly = withoutPatterns(fused, pixels, dir);
    // Both by the fused cosine: format 2 keeps no cohort to normalise against.
    double with =
        OneShotEvaluation.run(
                fused.withoutNormalisation().fisherfacesAlone(), PixelNetwork.ARCH, unseen, 10, 42)
            .model()
            .accuracy();
    double without =
        OneShotEvaluation.run(pixelsOnly.fisherfacesAlone(), PixelNetwork.ARCH, unseen, 10, 42)
            .model()
            .accuracy();
    // Measured: 0.852 by the pixels' Fisherfaces alone, 0.934 with the local binary patterns'
    // beside them.
    assertTrue(
        with > without + 0.04, "with the patterns " + with + ", the pixels' alone " + without);
  }

  @Test
  void lightNormalisedPatternsLiftTheClassicalHalfsPairsOnUnseenPeople(@TempDir Path dir)
      throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset unseen = att.withIdentities(UNSEEN);
    PixelNetwork pixels = new PixelNetwork();
    FusedScoringNetwork fused =
        FusedScoringNetwork.of(pixels, att.filter(s -> !UNSEEN.contains(s.identity())), 42);
    Path model = dir.resolve("two.model");
    fused.saveBeside(model);
    keepDescriptors(model, 2);
    FusedScoringNetwork twoDescriptors = FusedScoringNetwork.loadBeside(pixels, model);
    // Both by the fused cosine: with fewer parts the file keeps no cohort.
    double with = pairAccuracy(fused.withoutNormalisation().fisherfacesAlone(), unseen);
    double without = pairAccuracy(twoDescriptors.fisherfacesAlone(), unseen);
    // Measured: 0.912 with the pixels' and the plain patterns' Fisherfaces, 0.936 with these beside
    // them (the network's part weighed zero: the fusion's classical half).
    assertTrue(
        with > without + 0.01,
        "with the light-normalised patterns " + with + ", without them " + without);
  }

  /**
   * The face's middle and centre join a fusion where they tell the fit's held-out people apart: on
   * LFW's photos cut as the detector cuts a face (the middle 150×150 of a 250×250 photo, about the
   * Haar box and its margin of 0.15), whose background and hair change from photo to photo, and not
   * on AT&T's whole frames, whose hair and outline belong to their people. Every second LFW person
   * with two images or more is held out, the rest fitted. Measured: held-out pairs' AUC 0.820 with
   * the whole face's descriptors, 0.850 with the middle's too, 0.862 with the centre's (in the
   * fit's folds 0.889, 0.911, 0.926, so both were kept); AT&T's folds 0.9842, 0.9841 with the
   * middle, 0.9776 with the centre. LFW's fit, of more than 50 people, is wide: its discriminants
   * also see each image zoomed and turned ({@link ViewChange}, stop 52), held-out pairs 0.862
   * without those views → 0.878 with them (0.834 and 0.869 for the whole face and the middle);
   * AT&T's fit of 30 people is not. Since stop 53 every face is described both ways ({@link
   * FusedScoringNetwork#viewsDescribed}): 0.878 → 0.883 (without the views 0.864; the whole face
   * and the middle 0.838 and 0.873). Since stop 54 turned 0.1 radian either way as well, the
   * changed views sampled from the face's grey image: 0.881 both ways → 0.892.
   */
  @Test
  void keepsTheFacesMiddleAndCentreWhereTheyTellHeldOutPeopleApart(@TempDir Path dir)
      throws IOException {
    LabelledDataset photos =
        new DatasetReader(new ImageDecoder()).open(TestData.path("lfw/images"));
    FaceBox detectorCrop = new FaceBox(50, 50, 150, 150, 1);
    LabelledDataset lfw =
        new LabelledDataset(
            photos.name(),
            photos.samples(),
            photos.unreadable(),
            s -> photos.load(s).crop(detectorCrop));
    List<String> heldOut = new ArrayList<>();
    int withTwo = 0;
    for (var person : lfw.byIdentity().entrySet()) {
      if (person.getValue().size() >= 2 && withTwo++ % 2 == 1) {
        heldOut.add(person.getKey());
      }
    }
    PixelNetwork pixels = new PixelNetwork();
    FusedScoringNetwork fused =
        FusedScoringNetwork.of(pixels, lfw.filter(s -> !heldOut.contains(s.identity())), 42);
    assertEquals(
        List.of(
            "PIXELS",
            "LOCAL_BINARY_PATTERNS",
            "LIGHT_NORMALISED_PATTERNS",
            "MIDDLE_PATTERNS",
            "MIDDLE_LIGHT_NORMALISED_PATTERNS",
            "CENTRE_PATTERNS",
            "CENTRE_LIGHT_NORMALISED_PATTERNS"),
        fused.descriptors());
    assertEquals(
        "Fisherfaces of pixels, of local binary patterns and of local binary patterns after"
            + " Tan-Triggs light normalisation, and the same patterns of the face's middle and"
            + " centre",
        fused.classicalHalf());
    Path model = dir.resolve("lfw.model");
    fused.saveBeside(model);
    keepDescriptors(model, 5);
    FusedScoringNetwork withoutCentre = FusedScoringNetwork.loadBeside(pixels, model);
    keepDescriptors(model, 4); // a region without the whole face's very patterns: listed apart
    assertEquals(
        "Fisherfaces of pixels, of local binary patterns, of local binary patterns after Tan-Triggs"
            + " light normalisation and of local binary patterns of the face's middle",
        FusedScoringNetwork.loadBeside(pixels, model).classicalHalf());
    keepDescriptors(model, 3);
    FusedScoringNetwork wholeOnly = FusedScoringNetwork.loadBeside(pixels, model);
    LabelledDataset people = lfw.withIdentities(heldOut);
    // Each by the fused cosine, as the files rewritten with fewer parts or in older formats score.
    double all = pairAuc(fused.withoutNormalisation(), people);
    // Normalised against the fit's cohort (stop 55), measured 0.892 → 0.898.
    double normalised = pairAuc(fused, people);
    assertTrue(normalised > all + 0.003, "normalised " + normalised + ", by the cosine " + all);
    double middle = pairAuc(withoutCentre, people);
    double whole = pairAuc(wholeOnly, people);
    assertTrue(middle > whole + 0.01, "with the middle " + middle + ", without it " + whole);
    assertTrue(all > middle + 0.006, "with the centre " + all + ", without it " + middle);
    // The same fit, its discriminants shown no zoomed and turned views.
    double plain =
        pairAuc(
            shownNoChangedViews(pixels, lfw.filter(s -> !heldOut.contains(s.identity())))
                .withoutNormalisation(),
            people);
    assertTrue(all > plain + 0.005, "with changed views " + all + ", without them " + plain);
    // The same Fisherfaces describing each face both ways alone, as read from format 4, and as it
    // is, as read from format 3.
    assertEquals(ViewsDescribed.TURNED_TOO, fused.viewsDescribed());
    fused.saveBeside(model);
    rewriteFormat(model, 4, fused.descriptors().size());
    FusedScoringNetwork bothWays = FusedScoringNetwork.loadBeside(pixels, model);
    assertEquals(ViewsDescribed.BOTH_WAYS, bothWays.viewsDescribed());
    rewriteFormat(model, 3, fused.descriptors().size());
    FusedScoringNetwork oneWay = FusedScoringNetwork.loadBeside(pixels, model);
    assertEquals(ViewsDescribed.AS_IS, oneWay.viewsDescribed());
    assertEquals(
        3,
        List.of(fused.describe().id(), bothWays.describe().id(), oneWay.describe().id()).stream()
            .distinct()
            .count());
    double mirrored = pairAuc(bothWays, people);
    double asItIs = pairAuc(oneWay, people);
    assertTrue(all > mirrored + 0.006, "turned too " + all + ", both ways " + mirrored);
    assertTrue(mirrored > asItIs + 0.004, "both ways " + mirrored + ", as it is " + asItIs);

    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    FusedScoringNetwork frames =
        FusedScoringNetwork.of(pixels, att.filter(s -> !UNSEEN.contains(s.identity())), 42);
    assertEquals(
        List.of("PIXELS", "LOCAL_BINARY_PATTERNS", "LIGHT_NORMALISED_PATTERNS"),
        frames.descriptors());
    // A narrow fit: no changed views either, the same fit as one shown none.
    FusedScoringNetwork framesUnchanged =
        shownNoChangedViews(pixels, att.filter(s -> !UNSEEN.contains(s.identity())));
    LabelledDataset unseen = att.withIdentities(UNSEEN);
    assertEquals(pairAuc(framesUnchanged, unseen), pairAuc(frames, unseen));
  }

  /** The fusion {@link FusedScoringNetwork#of} fits on {@code data}, shown no changed views. */
  private static FusedScoringNetwork shownNoChangedViews(
      SiameseNetwork network, LabelledDataset data) throws IOException {
    return FusedScoringNetwork.of(network, data, 42, FusedScoringNetwork.FOLDS, List.of());
  }

  private static double pairAuc(SiameseNetwork network, LabelledDataset people) throws IOException {
    return pairs(network, people).auc();
  }

  private static double pairAccuracy(SiameseNetwork network, LabelledDataset people)
      throws IOException {
    return pairs(network, people).accuracy();
  }

  /** {@code network}'s figures on every matched pair of {@code people} and as many mismatched. */
  private static Figures pairs(SiameseNetwork network, LabelledDataset people) throws IOException {
    return PairEvaluation.run(
            network,
            PixelNetwork.ARCH,
            people,
            new DefaultPairSampler(),
            42,
            OptionalDouble.empty())
        .model();
  }

  /**
   * {@code fused} as a file of format 2 holds it: the network and the pixels' Fisherfaces, without
   * the other descriptors'.
   */
  private static FusedScoringNetwork withoutPatterns(
      FusedScoringNetwork fused, SiameseNetwork network, Path dir) throws IOException {
    Path model = dir.resolve("without.model");
    fused.saveBeside(model);
    saveAsOlderFormat(model, 2);
    return FusedScoringNetwork.loadBeside(network, model);
  }

  /**
   * Rewrites the file beside {@code model} in {@code format} 1 or 2: format 2 has the pixels'
   * length after the network's and their Fisherfaces alone at the end, where format 3 lists each
   * descriptor's by name, length and Fisherfaces; format 1 is format 2 without the threshold's
   * source after the threshold.
   */
  private static void saveAsOlderFormat(Path model, int format) throws IOException {
    rewrite(
        model,
        (in, out) -> {
          out.writeInt(in.readInt());
          in.readInt();
          out.writeInt(format);
          out.writeUTF(in.readUTF());
          double networkLength = in.readDouble();
          double threshold = in.readDouble();
          String source = in.readUTF();
          int images = in.readInt();
          int identities = in.readInt();
          in.readInt(); // descriptors
          assertEquals("PIXELS", in.readUTF());
          out.writeDouble(networkLength);
          out.writeDouble(in.readDouble());
          out.writeDouble(threshold);
          if (format == 2) {
            out.writeUTF(source);
          }
          out.writeInt(images);
          out.writeInt(identities);
          Fisherfaces.read(in).write(out);
        });
  }

  /** What a rewritten file gets: read from the file's stream, written to the new bytes. */
  private interface Rewrite {
    void copy(DataInputStream in, DataOutputStream out) throws IOException;
  }

  /** Rewrites the Fisherfaces file beside {@code model} through {@code rewrite}. */
  private static void rewrite(Path model, Rewrite rewrite) throws IOException {
    Path file = FusedScoringNetwork.fileFor(model);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file));
        DataOutputStream out = new DataOutputStream(bytes)) {
      rewrite.copy(in, out);
    }
    Files.write(file, bytes.toByteArray());
  }

  @Test
  void thresholdChosenOnPeopleTheFisherfacesDidNotSeeSuitsUnseenPeople() throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset trained = att.filter(s -> !UNSEEN.contains(s.identity()));
    LabelledDataset unseen = att.withIdentities(UNSEEN);
    FusedScoringNetwork heldOut = FusedScoringNetwork.of(new PixelNetwork(), trained, 42);
    FusedScoringNetwork onThemselves = FusedScoringNetwork.of(new PixelNetwork(), trained, 42, 1);
    assertTrue(
        heldOut
            .describe()
            .properties()
            .get(FusedScoringNetwork.THRESHOLD_SOURCE)
            .contains("in 5 folds"),
        heldOut.describe().properties().toString());
    ThresholdCheck fair = atOwnThreshold(heldOut, unseen);
    ThresholdCheck strict = atOwnThreshold(onThemselves, unseen);
    // Fitted on their own people, the Fisherfaces score those people's same-person pairs higher
    // than anyone else's: the threshold chosen there rejects too many of an unseen person's
    // (here 0.249 of them against 0.187; both errors together 0.133 against 0.110).
    assertTrue(
        fair.threshold() < strict.threshold(), "held out " + fair + ", on themselves " + strict);
    assertTrue(
        fair.falseRejectRate() < strict.falseRejectRate(),
        "held out " + fair + ", on themselves " + strict);
    assertTrue(
        balancedError(fair) < balancedError(strict),
        "held out " + fair + ", on themselves " + strict);
  }

  @Test
  void choosesTheThresholdOnTheFittedPeopleWhenAFoldCannotBeLeftOut(@TempDir Path dir)
      throws IOException {
    // Two people with faces of their own and two copies of one face: the fit on everyone holds,
    // one without the first two cannot tell the copies apart.
    Path att = TestData.path("att_faces");
    for (String person : List.of("s1", "s2")) {
      Files.createDirectories(dir.resolve(person));
      for (int i = 1; i <= 10; i++) {
        Files.copy(att.resolve(person + "/" + i + ".pgm"), dir.resolve(person + "/" + i + ".pgm"));
      }
    }
    for (String copy : List.of("c", "d")) {
      Files.createDirectories(dir.resolve(copy));
      for (int i = 1; i <= 10; i++) {
        Files.copy(att.resolve("s3/1.pgm"), dir.resolve(copy + "/" + i + ".pgm"));
      }
    }
    LabelledDataset four = new DatasetReader(new ImageDecoder()).open(dir);
    int notHeldOut = 0;
    for (long seed = 0; seed < 12; seed++) {
      String source =
          FusedScoringNetwork.of(new PixelNetwork(), four, seed)
              .describe()
              .properties()
              .get(FusedScoringNetwork.THRESHOLD_SOURCE);
      if (source.contains("not held out")) {
        assertTrue(source.contains("the images do not vary"), source);
        notHeldOut++;
      } else {
        assertTrue(source.contains("in 2 folds"), source);
      }
    }
    // The copies share a fold in about a third of the dealings.
    assertTrue(notHeldOut > 0 && notHeldOut < 12, notHeldOut + " of 12 dealings not held out");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  private static ThresholdCheck atOwnThreshold(FusedScoringNetwork fused, LabelledDataset people)
      throws IOException {
    double threshold =
        Double.parseDouble(fused.describe().properties().get(TrainingLoop.THRESHOLD));
    return PairEvaluation.run(
            fused,
            PixelNetwork.ARCH,
            people,
            new DefaultPairSampler(),
            42,
            OptionalDouble.of(threshold))
        .atModelThreshold();
  }

  private static double balancedError(ThresholdCheck check) {
    return (check.falseAcceptRate() + check.falseRejectRate()) / 2;
  }

  /**
   * Scores normalised against the fit's cohort (S-norm, stop 55): each image's cosines with 300 of
   * the fitted images set its own mean and spread. Measured on AT&T's unseen people: equal error
   * rate 0.069 → 0.051, 10-way 0.936 → 0.944; the classical half alone pairs 0.931 → 0.950; at the
   * threshold chosen on the folds' normalised scores 0.947 (false accepts 0.022, rejects 0.084).
   */
  @Test
  void normalisingScoresByTheCohortLowersUnseenPeoplesErrors() throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset unseen = att.withIdentities(UNSEEN);
    FusedScoringNetwork fused =
        FusedScoringNetwork.of(
            new PixelNetwork(), att.filter(s -> !UNSEEN.contains(s.identity())), 42);
    assertEquals("scores normalised against 300 fitted images (S-norm)", fused.scoresNormalised());
    assertTrue(
        fused
            .describe()
            .properties()
            .get(FusedScoringNetwork.THRESHOLD_SOURCE)
            .endsWith("fitted without its people, normalised (S-norm)"),
        fused.describe().properties().toString());
    FusedScoringNetwork plain = fused.withoutNormalisation();
    assertEquals("scores not normalised", plain.scoresNormalised());
    Figures normalised = pairs(fused, unseen);
    Figures cosine = pairs(plain, unseen);
    assertTrue(
        normalised.equalErrorRate() < cosine.equalErrorRate() - 0.01,
        "normalised " + normalised + ", by the cosine " + cosine);
    double alone = pairAccuracy(fused.fisherfacesAlone(), unseen);
    double aloneByCosine = pairAccuracy(plain.fisherfacesAlone(), unseen);
    assertTrue(
        alone > aloneByCosine + 0.01,
        "the classical half normalised " + alone + ", by the cosine " + aloneByCosine);
    ThresholdCheck atThreshold = atOwnThreshold(fused, unseen);
    assertTrue(atThreshold.accuracy() > 0.92, atThreshold.toString());
    assertTrue(balancedError(atThreshold) < 0.07, atThreshold.toString());
  }

  /**
   * The cohort is one of each person in turn, no one person past an equal share of its 300: a
   * user's 100 images among 40 people's 2 each give it 8 of 88.
   */
  @Test
  void drawsTheCohortOneOfEachPersonInTurn() {
    List<String> identities = new ArrayList<>(Collections.nCopies(100, "user"));
    identities.addAll(people(40, 2));
    int[] cohort = FusedScoringNetwork.cohortOf(indices(identities), identities, 1);
    assertEquals(88, cohort.length);
    assertEquals(8, Arrays.stream(cohort).filter(i -> identities.get(i).equals("user")).count());
    assertEquals(cohort.length, Arrays.stream(cohort).distinct().count());
    // 400 people of 2: 300 of them, one image each.
    List<String> many = people(400, 2);
    int[] drawn = FusedScoringNetwork.cohortOf(indices(many), many, 1);
    assertEquals(300, drawn.length);
    assertEquals(300, Arrays.stream(drawn).mapToObj(many::get).distinct().count());
  }

  /** The identities of {@code count} people with {@code each} images. */
  private static List<String> people(int count, int each) {
    List<String> identities = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      identities.addAll(Collections.nCopies(each, "n" + p));
    }
    return identities;
  }

  /** 0, 1, … for each of {@code identities}. */
  private static List<Integer> indices(List<String> identities) {
    return IntStream.range(0, identities.size()).boxed().toList();
  }

  @Test
  void scoresAnEmbeddingOneAgainstItselfAndRefusesAnotherNetworks() throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset three = att.withIdentities(List.of("s1", "s2", "s3"));
    FusedScoringNetwork fused = FusedScoringNetwork.of(new PixelNetwork(), three, 1);
    List<Image> images = new ArrayList<>();
    for (Sample s : three.byIdentity().get("s1")) {
      images.add(three.load(s));
    }
    List<Embedding> e = fused.embed(images.subList(0, 2));
    // The pixels, then two discriminant components for three people of each descriptor: pixels,
    // local binary patterns, the light-normalised ones.
    assertEquals(
        PixelNetwork.ARCH.inputWidth() * PixelNetwork.ARCH.inputHeight() + 3 * 2,
        e.get(0).dimension());
    double[] scores = fused.score(e.get(0), e);
    assertEquals(1, scores[0], 1e-6);
    assertTrue(scores[1] < 1 && scores[1] >= 0, "score " + scores[1]);
    assertThrows(
        IllegalArgumentException.class,
        () -> fused.score(e.get(0), List.of(new Embedding("pixels", e.get(1).toArray()))));
  }

  @Test
  void savedBesideTheModelOwnerOnlyAndLoadedForTheSameWeightsOnly(@TempDir Path dir)
      throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset three = att.withIdentities(List.of("s1", "s2", "s3"));
    PixelNetwork pixels = new PixelNetwork();
    FusedScoringNetwork fused = FusedScoringNetwork.of(pixels, three, 1);
    Path model = dir.resolve("att.model");
    fused.saveBeside(model);
    Path file = dir.resolve("att.fisherfaces");
    assertEquals(file, FusedScoringNetwork.fileFor(model));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));

    FusedScoringNetwork loaded = FusedScoringNetwork.loadBeside(pixels, model);
    List<Image> images = List.of(three.load(three.byIdentity().get("s2").get(0)));
    assertEquals(fused.embed(images), loaded.embed(images));
    assertTrue(
        loaded.describe().id().matches("pixels\\+fisherfaces\\+lbp\\+tt@[0-9a-f]{12}"),
        loaded.describe().id());
    assertEquals(fused.describe().id(), loaded.describe().id());
    // Fitted again on other people beside the same weights: another id, so that a gallery's
    // cached embeddings and each person's threshold are made again, not mixed.
    FusedScoringNetwork refitted =
        FusedScoringNetwork.of(pixels, att.withIdentities(List.of("s4", "s5", "s6")), 1);
    assertNotEquals(fused.describe().id(), refitted.describe().id());
    assertTrue(refitted.describe().id().startsWith("pixels+fisherfaces+lbp+tt@"));
    assertEquals(
        fused.describe().properties().get(TrainingLoop.THRESHOLD),
        loaded.describe().properties().get(TrainingLoop.THRESHOLD));
    assertEquals(30, loaded.fittedImages());

    // Other weights under the model's name (an ensemble has an id of its own): not theirs.
    SiameseNetwork retrained = EnsembleNetwork.of(List.of(pixels, pixels));
    IOException other =
        assertThrows(IOException.class, () -> FusedScoringNetwork.loadBeside(retrained, model));
    assertTrue(other.getMessage().contains(file.toString()), other.getMessage());
    assertTrue(other.getMessage().contains("not " + retrained.describe().id()), other.getMessage());

    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    IOException cut =
        assertThrows(IOException.class, () -> FusedScoringNetwork.loadBeside(pixels, model));
    assertTrue(cut.getMessage().contains("cut short"), cut.getMessage());

    // A descriptor this version does not know, written by a later one, say.
    byte[] renamed = whole.clone();
    byte[] name = "LOCAL_BINARY_PATTERNS".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(renamed, name);
    assertTrue(at > 0, "the descriptor's name is in the file");
    renamed[at + name.length - 1] = 'Z';
    Files.write(file, renamed);
    IOException unknown =
        assertThrows(IOException.class, () -> FusedScoringNetwork.loadBeside(pixels, model));
    assertTrue(unknown.getMessage().contains(file.toString()), unknown.getMessage());
    assertTrue(
        unknown.getMessage().contains("LOCAL_BINARY_PATTERNZ, a descriptor this version does not"),
        unknown.getMessage());

    Files.write(file, "not this".getBytes(StandardCharsets.UTF_8));
    IOException foreign =
        assertThrows(IOException.class, () -> FusedScoringNetwork.loadBeside(pixels, model));
    assertTrue(
        foreign.getMessage().contains("not a oneshot Fisherfaces file"), foreign.getMessage());

    Files.delete(file);
    NoSuchFileException missing =
        assertThrows(
            NoSuchFileException.class, () -> FusedScoringNetwork.loadBeside(pixels, model));
    assertTrue(missing.getMessage().contains("face:train writes them"), missing.getMessage());
  }

  @Test
  void savesItsCohortAndScoresAsSavedWhileAFileWithoutOneScoresByTheCosine(@TempDir Path dir)
      throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    LabelledDataset six = att.withIdentities(List.of("s1", "s2", "s3", "s4", "s5", "s6"));
    PixelNetwork pixels = new PixelNetwork();
    FusedScoringNetwork fused = FusedScoringNetwork.of(pixels, six, 1);
    assertEquals("scores normalised against 60 fitted images (S-norm)", fused.scoresNormalised());
    Path model = dir.resolve("six.model");
    fused.saveBeside(model);
    FusedScoringNetwork loaded = FusedScoringNetwork.loadBeside(pixels, model);
    assertEquals(fused.describe().id(), loaded.describe().id());
    assertEquals(fused.scoresNormalised(), loaded.scoresNormalised());
    List<Image> images = new ArrayList<>();
    for (String person : List.of("s1", "s2")) {
      images.add(six.load(six.byIdentity().get(person).get(0)));
      images.add(six.load(six.byIdentity().get(person).get(1)));
    }
    List<Embedding> embedded = fused.embed(images);
    assertEquals(embedded, loaded.embed(images));
    // The pixels, five components of each of three descriptors, the cohort's mean and spread.
    int pixelCount = PixelNetwork.ARCH.inputWidth() * PixelNetwork.ARCH.inputHeight();
    assertEquals(pixelCount + 3 * 5 + 2, embedded.get(0).dimension());
    double[] scores = loaded.score(embedded.get(0), embedded);
    assertArrayEquals(fused.score(embedded.get(0), embedded), scores, 0);
    assertTrue(scores[1] > scores[2] && scores[1] > scores[3], Arrays.toString(scores));

    // The same fits without their cohort, as format 5: another id, scored by the cosine.
    rewriteFormat(model, 5, 3);
    FusedScoringNetwork byCosine = FusedScoringNetwork.loadBeside(pixels, model);
    assertNotEquals(fused.describe().id(), byCosine.describe().id());
    assertEquals("scores not normalised", byCosine.scoresNormalised());
    assertEmbedsAsPrefix(fused, byCosine, 2);

    fused.saveBeside(model);
    Path file = FusedScoringNetwork.fileFor(model);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 7));
    IOException cut =
        assertThrows(IOException.class, () -> FusedScoringNetwork.loadBeside(pixels, model));
    assertTrue(cut.getMessage().contains(file + ": cut short"), cut.getMessage());
    // A cohort whose count is nonsense (written over), and one whose vectors hold no more than
    // the projections: refused, naming the file.
    int cohortAt = whole.length - 8 - 60 * (pixelCount + 3 * 5) * Float.BYTES;
    byte[] damaged = whole.clone();
    ByteBuffer.wrap(damaged, cohortAt, 4).putInt(-4);
    Files.write(file, damaged);
    IOException implausible =
        assertThrows(IOException.class, () -> FusedScoringNetwork.loadBeside(pixels, model));
    assertTrue(
        implausible.getMessage().startsWith(file + ": an implausible cohort"),
        implausible.getMessage());
    damaged = Arrays.copyOf(whole, cohortAt + 8);
    ByteBuffer.wrap(damaged, cohortAt, 8).putInt(1).putInt(15);
    damaged = Arrays.copyOf(damaged, damaged.length + 15 * Float.BYTES);
    Files.write(file, damaged);
    IOException narrow =
        assertThrows(IOException.class, () -> FusedScoringNetwork.loadBeside(pixels, model));
    assertTrue(
        narrow.getMessage().contains(file + ": a cohort of 1 vectors of 15 values"),
        narrow.getMessage());
  }

  @Test
  void readsTheFirstFormatWhichRecordedNoThresholdSourceAndNoPatterns(@TempDir Path dir)
      throws IOException {
    PixelNetwork pixels = new PixelNetwork();
    Path model = dir.resolve("att.model");
    FusedScoringNetwork fused = fourPeopleSavedAs(pixels, model);
    assertTrue(
        fused
            .describe()
            .properties()
            .get(FusedScoringNetwork.THRESHOLD_SOURCE)
            .contains("in 2 folds"),
        fused.describe().properties().toString());
    rewriteFormat(model, 3, 3); // describing faces as they are, as format 1 did
    FusedScoringNetwork asItIs = FusedScoringNetwork.loadBeside(pixels, model);
    saveAsOlderFormat(model, 1);

    FusedScoringNetwork loaded = FusedScoringNetwork.loadBeside(pixels, model);
    assertEquals(
        "fused scores of the training people's pairs",
        loaded.describe().properties().get(FusedScoringNetwork.THRESHOLD_SOURCE));
    // Read as saved: the network and the pixels' Fisherfaces as before, under the id of a fusion
    // without the patterns.
    assertTrue(loaded.describe().id().matches("pixels\\+fisherfaces@[0-9a-f]{12}"));
    assertEquals("Fisherfaces of pixels", loaded.classicalHalf());
    assertEquals(
        "Fisherfaces of pixels, of local binary patterns and of local binary patterns after"
            + " Tan-Triggs light normalisation",
        fused.classicalHalf());
    // Four people: three components of each patterns' Fisherfaces.
    assertEmbedsAsPrefix(asItIs, loaded, 2 * 3);
  }

  @Test
  void readsStop48sFilesWithTwoDescriptorsAsSaved(@TempDir Path dir) throws IOException {
    PixelNetwork pixels = new PixelNetwork();
    Path model = dir.resolve("att.model");
    FusedScoringNetwork fused = fourPeopleSavedAs(pixels, model);
    keepDescriptors(model, 2);

    FusedScoringNetwork loaded = FusedScoringNetwork.loadBeside(pixels, model);
    assertTrue(loaded.describe().id().matches("pixels\\+fisherfaces\\+lbp@[0-9a-f]{12}"));
    assertEquals("Fisherfaces of pixels and of local binary patterns", loaded.classicalHalf());
    assertEmbedsAsPrefix(fused, loaded, 3);
  }

  /** The fusion of {@code network} fitted on AT&T's s1–s4, saved beside {@code model}. */
  private static FusedScoringNetwork fourPeopleSavedAs(SiameseNetwork network, Path model)
      throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    FusedScoringNetwork fused =
        FusedScoringNetwork.of(network, att.withIdentities(List.of("s1", "s2", "s3", "s4")), 1);
    fused.saveBeside(model);
    return fused;
  }

  /** {@code loaded} embeds a face as {@code fused} does, less its last {@code fewer} values. */
  private static void assertEmbedsAsPrefix(
      FusedScoringNetwork fused, FusedScoringNetwork loaded, int fewer) throws IOException {
    LabelledDataset att = new DatasetReader(new ImageDecoder()).open(TestData.path("att_faces"));
    List<Image> images = List.of(att.load(att.byIdentity().get("s2").get(0)));
    float[] before = loaded.embed(images).get(0).toArray();
    float[] now = fused.embed(images).get(0).toArray();
    assertEquals(now.length - fewer, before.length);
    assertArrayEquals(Arrays.copyOf(now, before.length), before, 0);
  }

  /**
   * Rewrites the file of format 3 or 4 beside {@code model} with only its first {@code kept} parts.
   */
  private static void keepDescriptors(Path model, int kept) throws IOException {
    rewriteFormat(model, -1, kept);
  }

  /**
   * Rewrites the file of format 3 to 6 beside {@code model} (alike but for their number, and 6's
   * cohort at the end) as {@code format}, or as it was for −1, with only its first {@code kept}
   * parts. A cohort's vectors hold every part's projection, so fewer parts, or a format before 6,
   * leave it out: the fusion then scores by the fused cosine, as it was before stop 55.
   */
  private static void rewriteFormat(Path model, int format, int kept) throws IOException {
    rewrite(
        model,
        (in, out) -> {
          int magic = in.readInt();
          int was = in.readInt();
          assertTrue(was >= 3 && was <= 6, "format " + was);
          String id = in.readUTF();
          double networkLength = in.readDouble();
          double threshold = in.readDouble();
          String source = in.readUTF();
          int images = in.readInt();
          int identities = in.readInt();
          int count = in.readInt();
          assertTrue(count >= kept);
          boolean cohort = was == 6 && kept == count && format < 0;
          out.writeInt(magic);
          out.writeInt(format >= 0 ? format : cohort ? 6 : Math.min(was, 5));
          out.writeUTF(id);
          out.writeDouble(networkLength);
          out.writeDouble(threshold);
          out.writeUTF(source);
          out.writeInt(images);
          out.writeInt(identities);
          out.writeInt(kept);
          for (int k = 0; k < count; k++) {
            String name = in.readUTF();
            double length = in.readDouble();
            Fisherfaces fit = Fisherfaces.read(in);
            if (k < kept) {
              out.writeUTF(name);
              out.writeDouble(length);
              fit.write(out);
            }
          }
          if (cohort) {
            ScoreNormalisation.read(in).write(out);
          }
        });
  }

  /**
   * A narrow fit's region must raise its few held-out people's AUC by a margin (AT&T's middle moved
   * it by −0.002 to +0.001 and cost unseen people 3 points of 10-way); a wide fit's joins on any
   * gain (LFW's centre: +0.0036 in the folds, +5 points of 10-way for its held-out people).
   */
  @Test
  void aWideFitKeepsARegionOnAnyGainANarrowOneOnlyPastTheMargin() {
    assertTrue(FusedScoringNetwork.regionJoins(0.9420, 0.9456, true));
    assertFalse(FusedScoringNetwork.regionJoins(0.9420, 0.9456, false));
    assertTrue(FusedScoringNetwork.regionJoins(0.9420, 0.9420 + 0.006, false));
    assertFalse(FusedScoringNetwork.regionJoins(0.9842, 0.9776, true));
    assertFalse(FusedScoringNetwork.regionJoins(0.9842, 0.9841, false));
  }

  @Test
  void mirrorsEachRowOfEachChannel() {
    org.oneshot.api.model.Architecture arch = PixelNetwork.ARCH;
    int w = arch.inputWidth();
    float[] chw = new float[arch.channels() * arch.inputHeight() * w];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = i;
    }
    float[] m = Vectors.flippedRows(chw, arch.inputWidth());
    assertEquals(w - 1, m[0], 0);
    assertEquals(0, m[w - 1], 0);
    assertEquals(2 * w - 1, m[w], 0); // the second row starts at its own last pixel
    assertArrayEquals(chw, Vectors.flippedRows(m, arch.inputWidth()), 0);
  }
}
