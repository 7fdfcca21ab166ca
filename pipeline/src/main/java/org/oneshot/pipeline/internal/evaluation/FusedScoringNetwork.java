package org.oneshot.pipeline.internal.evaluation;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntToDoubleFunction;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.Sample;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.Architecture;
import org.oneshot.api.model.Metrics;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.pipeline.internal.dataset.ImageFiles;
import org.oneshot.pipeline.internal.evaluation.FaceViews.Region;
import org.oneshot.pipeline.internal.io.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network scored by the cosine similarity of its embeddings fused with those of {@link
 * Fisherfaces} fitted on the people the network was trained on, one for each {@link FaceDescriptor}
 * — the pixels, {@link LocalBinaryPatterns} histograms, and the same after {@link TanTriggs}' light
 * normalisation: views of a face that err on different pairs. Each similarity is divided by its
 * spread over the training people's image pairs, so that none dominates, and they are added: the
 * embedding of an image is its network embedding and its Fisherfaces projections, each normalised
 * to the length that gives it that weight, one after the other; the score is their cosine mapped
 * from [−1, 1] to [0, 1].
 *
 * <p>It describes itself as the network with its own id (embeddings of the two never mix, in the
 * gallery's caches either) and its own threshold, chosen on the training people's pairs with both
 * kinds of error weighed alike, each pair's Fisherfaces fitted without its people: the head's
 * threshold means nothing on this scale.
 *
 * <p>Why: on AT&T's unseen people (s31–s40) it raises the 10-way one-shot accuracy of the
 * Omniglot-pretrained {@code faces} models from 0.849 by cosine to 0.912 (three seeds) with the
 * pixels' Fisherfaces alone beside the network, where those reach 0.852 by themselves ({@link
 * #fisherfacesAlone}) and a metric learned on the embeddings added at most 0.016; with the local
 * binary patterns' too, 0.941 (pairs 0.897 → 0.929, each person's own threshold 0.951 → 0.972;
 * LFW's held-out people, pairs 0.683 → 0.730); with the light-normalised ones, pairs 0.936 and at
 * the threshold this records 0.903 → 0.922, LFW 10-way 0.492 → 0.521. The patterns of the face's
 * middle and centre join where the fit's held-out people gain by them ({@link #chosenDescriptors}):
 * LFW's held-out people 0.756 → 0.790, 10-way 0.573 → 0.663 (stop 51); AT&T leaves them out. Wide
 * fits ({@link Fisherfaces#isWide}) also show every discriminant each training image slightly
 * zoomed and turned ({@link ViewChange}): LFW 0.790 → 0.804, 10-way 0.663 → 0.677 (stop 52). Since
 * stop 53 each face is described both ways ({@link #viewsDescribed}), and a wide fit keeps a region
 * unless it lowers its held-out people's AUC: on LFW's other half of held-out people ({@code
 * lfw-identities.sh} with {@code HOLD_OUT=lfw-odd}) stop 52 had left the centre out (a gain of
 * 0.0036), pairs 0.852 → 0.874 and 10-way 0.669 → 0.731 with it back. Since stop 54 each face is
 * described turned a little either way as well.
 */
public final class FusedScoringNetwork extends EvaluationWrapper {
  /**
   * At most this many training images are fitted on, and at most this many images, those and their
   * mirror images, join the PCA: its Gram matrix grows with the square of the images it sees (stop
   * 45: the whole fit, five held-out fits included, 10–12 s for LFW's 803 shared images of 64×64
   * pixels). Mirror images past that join the discriminant only, which costs little.
   */
  static final int MAX_FIT_IMAGES = 1_000;

  /** What the file beside a model ends in, after the model's name without its extension. */
  public static final String FILE_SUFFIX = ".fisherfaces";

  /**
   * Property of a network's description naming where its threshold was chosen, when not on the
   * model's validation pairs; verification prints it beside the threshold.
   */
  public static final String THRESHOLD_SOURCE = "metrics.thresholdSource";

  /** Folds of people the threshold's pairs are scored in, each by Fisherfaces fitted without it. */
  static final int FOLDS = 5;

  /**
   * How much the descriptors of a region other than the whole face must raise the held-out pairs'
   * ROC AUC to join a narrow fusion ({@link Fisherfaces#isWide}): it costs a fit and time with
   * every probe, and on AT&T's training people the face's middle moved the AUC by −0.002 to +0.001
   * in three dealings of the folds while it cost the unseen people 3 points of 10-way accuracy. A
   * wide fit's folds hold hundreds of people: there a region joins unless it lowers their AUC.
   */
  static final double MIN_AUC_GAIN = 0.005;

  /**
   * Fewest fitted people for a fit to choose descriptors by its held-out pairs: below, a few
   * people's pairs decide by chance. A workspace of one user and LFW's negatives has hundreds.
   */
  static final int MIN_CHOOSING_PEOPLE = 20;

  private static final Logger LOG = LoggerFactory.getLogger(FusedScoringNetwork.class);

  /** Fewest people in a fold: a fold's different-person pairs need two. */
  private static final int MIN_FOLD_PEOPLE = 2;

  /**
   * At most this many of the fitted images, as few of each person as can be, form the cohort that
   * scores are normalised against ({@link ScoreNormalisation}). Chosen in numpy on LFW's first
   * split (16 splits of its training people): a random 100 or 300 of them normalised as well as all
   * of them (+0.39 and +0.35 points of pairs against +0.36); 300 keep an LFW fit's file at about 3
   * MB more. One of each person in turn keeps any one person — a user enrolled among the negatives
   * — from weighing much in anyone's mean.
   */
  static final int COHORT_IMAGES = 300;

  /** Fewest images in a cohort: the mean and spread of a few cosines are noise. */
  static final int MIN_COHORT_IMAGES = 50;

  private static final int MAGIC = 0x4f534646; // "OSFF"

  /**
   * 6 is 5 and a cohort to normalise scores against ({@link ScoreNormalisation}, stop 55); 4 and 5
   * are 3 for a fusion that describes each face by more views of it ({@link ViewsDescribed}: both
   * ways since stop 53, turned too since stop 54); 3 holds a Fisherfaces for each descriptor, by
   * name (stop 48); 2 records where the threshold was chosen; 1 (stop 43) chose it on the fitted
   * people. Files of 1 and 2 are read as they were saved: the network and the pixels' Fisherfaces
   * only; files of 1 to 3 describe each face as it is.
   */
  private static final int FORMAT = 6;

  /** The format of a fusion that normalises its scores: format 5 and its cohort (stop 55). */
  private static final int NORMALISED_FORMAT = 6;

  /** How every fit describes the faces it projects; a fusion read from an older file may not. */
  private static final ViewsDescribed FITTED_VIEWS = ViewsDescribed.TURNED_TOO;

  private static final String FORMAT_1_SOURCE = "fused scores of the training people's pairs";

  private final Architecture arch;

  /** The pixels' first; only theirs in a fusion read from a file of format 1 or 2. */
  private final List<Part> parts;

  private final double networkLength;
  private final double threshold;
  private final int fittedImages;
  private final int fittedIdentities;
  private final String thresholdSource;
  private final ViewsDescribed views;
  private final ScoreNormalisation normalisation;
  private final ModelDescription description;

  private FusedScoringNetwork(
      SiameseNetwork inner,
      List<Part> parts,
      double networkLength,
      double threshold,
      int fittedImages,
      int fittedIdentities,
      String thresholdSource,
      ViewsDescribed views,
      ScoreNormalisation normalisation) {
    super(inner);
    ModelDescription d = inner.describe();
    this.arch = Architecture.fromMap(d.architecture());
    this.parts = List.copyOf(parts);
    this.networkLength = networkLength;
    this.threshold = threshold;
    this.fittedImages = fittedImages;
    this.fittedIdentities = fittedIdentities;
    this.thresholdSource = thresholdSource;
    this.views = views;
    this.normalisation = normalisation;
    Map<String, String> properties = new HashMap<>(d.properties());
    properties.put(TrainingLoop.THRESHOLD, Double.toString(threshold));
    properties.put(THRESHOLD_SOURCE, thresholdSource);
    this.description =
        new ModelDescription(
            parts.stream().map(p -> p.kind().idSuffix).reduce(fusedId(d.id()), String::concat)
                + "@"
                + fingerprint(this.parts, networkLength, views, normalisation),
            d.backend(),
            d.preset(),
            d.architecture(),
            d.inputWidth(),
            d.inputHeight(),
            d.inputChannels(),
            d.parameterCount(),
            properties);
  }

  /**
   * {@code network} fused with the Fisherfaces of each {@link FaceDescriptor}, fitted on the images
   * of {@code trainedOn}: people the network was trained on, never those it is evaluated on. Over
   * {@link #MAX_FIT_IMAGES} images, that many drawn with {@code seed}. Each image's mirror image
   * joins the fit as the same person: a face seen from the other side, which tells the discriminant
   * that left-right differences (light from one side, a turned head) are not identity. Measured:
   * AT&T 10-way fused 0.891 → 0.912 (three models), LFW pairs 0.681 → 0.685 and 10-way 0.403 →
   * 0.426 (two seeds) when LFW's fit saw 500 of its 934 images to make room for their mirror images
   * in the PCA (all of them since stop 44, {@link Descriptors#fit}).
   *
   * @throws IllegalArgumentException for fewer than two identities
   * @throws IOException when an image cannot be read
   */
  public static FusedScoringNetwork of(SiameseNetwork network, LabelledDataset trainedOn, long seed)
      throws IOException {
    return of(network, trainedOn, seed, FOLDS);
  }

  /**
   * {@link #of} with the pairs choosing the threshold scored in {@code folds} folds, or 1: none.
   */
  static FusedScoringNetwork of(
      SiameseNetwork network, LabelledDataset trainedOn, long seed, int folds) throws IOException {
    return of(network, trainedOn, seed, folds, ViewChange.DISCRIMINANT_CHANGES);
  }

  /**
   * {@link #of(SiameseNetwork, LabelledDataset, long, int)} showing a wide fit's discriminants
   * {@code changes} of each image ({@link Fisherfaces#isWide}; none: the images and their mirror
   * images alone).
   */
  static FusedScoringNetwork of(
      SiameseNetwork network,
      LabelledDataset trainedOn,
      long seed,
      int folds,
      List<ViewChange> changes)
      throws IOException {
    Architecture arch = Architecture.fromMap(network.describe().architecture());
    List<Sample> samples = new ArrayList<>();
    trainedOn.byIdentity().values().forEach(samples::addAll);
    if (samples.size() > MAX_FIT_IMAGES) {
      Collections.shuffle(samples, new Random(seed));
      samples = samples.subList(0, MAX_FIT_IMAGES);
    }
    int people = (int) samples.stream().map(Sample::identity).distinct().count();
    boolean choosing = canChoose(people, folds);
    List<FaceDescriptor> offered = offeredDescriptors(choosing);
    // The PCA sees each image and its mirror image, up to MAX_FIT_IMAGES (Descriptors#fit).
    boolean wide = Fisherfaces.isWide(people, Math.min(2 * samples.size(), MAX_FIT_IMAGES));
    List<ViewChange> shown = wide ? changes : List.of();
    if (wide) {
      LOG.info(
          "A wide fit: its discriminants also see each image in {} changed views", shown.size());
    }
    List<Image> images = new ArrayList<>();
    List<String> identities = new ArrayList<>();
    for (Sample s : samples) {
      images.add(trainedOn.load(s));
      identities.add(s.identity());
    }
    // Images in parallel: each one's descriptors, of its changed views too, are its own work.
    List<List<Described>> described =
        images.parallelStream().map(image -> described(image, offered, arch, shown)).toList();
    List<Descriptors> kinds = new ArrayList<>();
    for (int k = 0; k < offered.size(); k++) {
      Descriptors kind = new Descriptors();
      for (List<Described> ofImage : described) {
        kind.add(ofImage.get(k));
      }
      kinds.add(kind);
    }
    List<float[]> embedded = new ArrayList<>();
    for (Embedding e : network.embed(images)) {
      embedded.add(Vectors.unit(e.toArray()));
    }
    // Squared lengths weigh the cosines within the cosine of the joined vectors. The spreads are
    // over the fitted people's pairs: the Fisherfaces' over held-out people (0.41 against 0.27
    // on AT&T) weighed them less and cost the quick-start model's fused 10-way 0.816 -> 0.778.
    double[][] networkCosines = cosines(embedded);
    List<Fisherfaces> fits = new ArrayList<>();
    List<List<float[]>> fittedUnits = new ArrayList<>();
    List<double[][]> fitted = new ArrayList<>();
    for (Descriptors kind : kinds) {
      Fisherfaces fit = kind.fit(identities, MAX_FIT_IMAGES);
      fits.add(fit);
      List<float[]> units = kind.unitsUnder(fit);
      fittedUnits.add(units);
      fitted.add(cosines(units));
    }
    double networkWeight = 1 / spread(networkCosines);
    double[] weights = fitted.stream().mapToDouble(c -> 1 / spread(c)).toArray();
    HeldOutCosines heldOut = heldOutCosines(kinds, identities, fitted, folds, seed);
    boolean[] chosen =
        chosenDescriptors(offered, networkCosines, weights, heldOut, identities, wide);
    Weighing weighing = new Weighing(networkWeight, weights, chosen);
    int[] cohortImages = cohortOf(allIndices(images.size()), identities, seed);
    boolean normalising = cohortImages.length >= MIN_COHORT_IMAGES;
    PairScores pairs =
        normalising
            ? heldOut.normalised(weighing, networkCosines, identities)
            : heldOut.fused(weighing, networkCosines, identities);
    double threshold = Metrics.balancedThreshold(pairs.scores(), pairs.labels()).threshold();
    List<Part> parts = new ArrayList<>();
    for (int k = 0; k < offered.size(); k++) {
      if (chosen[k]) {
        parts.add(new Part(offered.get(k), fits.get(k), Math.sqrt(weights[k])));
      }
    }
    ScoreNormalisation normalisation = ScoreNormalisation.NONE;
    if (normalising) {
      List<float[]> cohort = new ArrayList<>();
      for (int c : cohortImages) {
        List<float[]> units = new ArrayList<>(List.of(embedded.get(c)));
        for (int k = 0; k < offered.size(); k++) {
          if (chosen[k]) {
            units.add(fittedUnits.get(k).get(c));
          }
        }
        cohort.add(joined(units, lengths(Math.sqrt(networkWeight), parts)));
      }
      normalisation = ScoreNormalisation.of(cohort);
    }
    return new FusedScoringNetwork(
        network,
        parts,
        Math.sqrt(networkWeight),
        threshold,
        images.size(),
        people,
        heldOut.source() + (normalising ? ", normalised (S-norm)" : ""),
        FITTED_VIEWS,
        normalisation);
  }

  private static List<Integer> allIndices(int n) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }

  /**
   * At most {@link #COHORT_IMAGES} of {@code candidates} (indices of images of {@code identities}),
   * drawn with {@code seed}, one of each person in turn, people and their images in a random order,
   * and no more of any one person than an equal share of {@link #COHORT_IMAGES}: a user's many
   * images among the negatives would raise the cohort's likeness to the user's own probes.
   */
  static int[] cohortOf(List<Integer> candidates, List<String> identities, long seed) {
    Random random = new Random(seed);
    Map<String, List<Integer>> byPerson = new TreeMap<>();
    for (int i : candidates) {
      byPerson.computeIfAbsent(identities.get(i), p -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> people = new ArrayList<>(byPerson.values());
    Collections.shuffle(people, random);
    people.forEach(images -> Collections.shuffle(images, random));
    int share = Math.max(1, -Math.floorDiv(-COHORT_IMAGES, Math.max(1, people.size())));
    List<Integer> out = new ArrayList<>();
    for (int round = 0; round < share; round++) {
      for (List<Integer> images : people) {
        if (round < images.size() && out.size() < COHORT_IMAGES) {
          out.add(images.get(round));
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The length of each of a fused vector's unit parts: the network's, then each {@link Part}'s. */
  private static List<Double> lengths(double networkLength, List<Part> parts) {
    List<Double> lengths = new ArrayList<>(List.of(networkLength));
    parts.forEach(part -> lengths.add(part.length()));
    return lengths;
  }

  /** {@code units}, each times its length, one after the other: a fused vector. */
  private static float[] joined(List<float[]> units, List<Double> lengths) {
    int size = units.stream().mapToInt(u -> u.length).sum();
    float[] joined = new float[size];
    int at = 0;
    for (int u = 0; u < units.size(); u++) {
      for (float v : units.get(u)) {
        joined[at++] = (float) (v * lengths.get(u));
      }
    }
    return joined;
  }

  /**
   * How a fusion weighs its cosines: the network's by {@code network}, and each kind of descriptor
   * that is {@code used} by its weight.
   */
  private record Weighing(double network, double[] weights, boolean[] used) {
    /**
     * The fused cosine of a pair whose network cosine is {@code networkCosine} and whose cosine
     * under kind k is {@code cosine.applyAsDouble(k)}: the weighted mean, the cosine of their fused
     * vectors.
     */
    double fused(double networkCosine, IntToDoubleFunction cosine) {
      double sum = network * networkCosine;
      double total = network;
      for (int k = 0; k < weights.length; k++) {
        if (used[k]) {
          sum += weights[k] * cosine.applyAsDouble(k);
          total += weights[k];
        }
      }
      return sum / total;
    }
  }

  /**
   * Whether a fit of {@code people} can choose what it keeps by held-out people's pairs: {@link
   * #MIN_CHOOSING_PEOPLE} people or more, dealt into two folds or more.
   */
  private static boolean canChoose(int people, int folds) {
    return people >= MIN_CHOOSING_PEOPLE && Math.min(folds, people / MIN_FOLD_PEOPLE) >= 2;
  }

  /**
   * The {@link FaceDescriptor}s a fit describes its images by: all of them where it is {@code
   * choosing} among them ({@link #chosenDescriptors}), otherwise only those of the whole face,
   * which every fusion has.
   */
  private static List<FaceDescriptor> offeredDescriptors(boolean choosing) {
    return Arrays.stream(FaceDescriptor.values())
        .filter(kind -> choosing || kind.region == Region.WHOLE)
        .toList();
  }

  /**
   * Which {@link FaceDescriptor}s the fusion keeps: those of the {@link Region#WHOLE whole} face,
   * and those of each other region in turn (the {@link Region#MIDDLE middle}, then the {@link
   * Region#CENTRE centre}) where, scored with those kept so far, they raise the ROC AUC of the
   * held-out people's pairs by {@link #MIN_AUC_GAIN} or more, or, in a {@code wide} fit, do not
   * lower it; no other region without held-out people (fitted people's cosines flatter every
   * descriptor). Where a region helps depends on the faces: LFW's detector crops, whose background
   * and hair change from photo to photo, gain (numpy, 16 splits of the training people of {@code
   * lfw-identities.sh}: pairs 0.784 → 0.813 with the middle, 0.836 with the centre too, 16 of 16),
   * AT&T's whole frames, whose hair and outline belong to their people, lose by the middle (s1–s30
   * → s31–s40: 10-way 0.927 → 0.898; in the folds AUC −0.002 to +0.001). Wide fits need no margin:
   * on the other half of LFW's people the centre raised the folds' AUC by 0.0036, under {@link
   * #MIN_AUC_GAIN}, and the held-out people's 10-way accuracy by 5 points (0.677 → 0.731, stop 53).
   */
  private static boolean[] chosenDescriptors(
      List<FaceDescriptor> offered,
      double[][] networkCosines,
      double[] weights,
      HeldOutCosines heldOut,
      List<String> identities,
      boolean wide) {
    boolean[] chosen = new boolean[offered.size()];
    for (int k = 0; k < chosen.length; k++) {
      chosen[k] = offered.get(k).region == Region.WHOLE;
    }
    if (!heldOut.heldOut() || new TreeSet<>(identities).size() < MIN_CHOOSING_PEOPLE) {
      return chosen;
    }
    // The Fisherfaces' cosines alone: the network's flatter the people it was trained on.
    double auc = heldOut.fused(new Weighing(0, weights, chosen), networkCosines, identities).auc();
    for (Region region : Region.values()) {
      if (region == Region.WHOLE) {
        continue;
      }
      boolean[] more = chosen.clone();
      for (int k = 0; k < more.length; k++) {
        more[k] |= offered.get(k).region == region;
      }
      double with = heldOut.fused(new Weighing(0, weights, more), networkCosines, identities).auc();
      boolean gains = regionJoins(auc, with, wide);
      LOG.info(
          "Held-out pairs' ROC AUC {} without the face's {}, {} with it: {}",
          String.format(Locale.ROOT, "%.4f", auc),
          region.name().toLowerCase(Locale.ROOT),
          String.format(Locale.ROOT, "%.4f", with),
          gains ? "kept" : "left out");
      if (gains) {
        chosen = more;
        auc = with;
      }
    }
    return chosen;
  }

  /**
   * Whether a region joins a fusion whose held-out pairs' ROC AUC it takes from {@code without} to
   * {@code with}: by {@link #MIN_AUC_GAIN} or more in a narrow fit, by any gain in a {@code wide}
   * one.
   */
  static boolean regionJoins(double without, double with, boolean wide) {
    return with >= without + (wide ? 0 : MIN_AUC_GAIN);
  }

  /** The fused scores of pairs and whether each is of one person (1) or of two (0). */
  private record PairScores(double[] scores, int[] labels) {
    double auc() {
      return Metrics.rocAuc(scores, labels);
    }
  }

  /**
   * Each of {@code kinds} of {@code image}: of the image, of its mirror image, of both seen with
   * each of {@code changes}, and as a fitted fusion projects it ({@link #FITTED_VIEWS}).
   */
  private static List<Described> described(
      Image image, List<FaceDescriptor> kinds, Architecture arch, List<ViewChange> changes) {
    FaceViews face = new FaceViews(image);
    List<Described> out = new ArrayList<>();
    for (FaceDescriptor kind : kinds) {
      List<float[]> ofChanged = new ArrayList<>();
      for (ViewChange change : changes) {
        FaceViews view = face.seen(change);
        ofChanged.add(kind.of(view, arch));
        ofChanged.add(kind.ofMirrored(view, arch));
      }
      out.add(
          new Described(
              kind.of(face, arch),
              kind.ofMirrored(face, arch),
              ofChanged,
              FITTED_VIEWS.of(kind, face, arch)));
    }
    return out;
  }

  /**
   * One descriptor of an image, of its mirror image, of its changed views, and the one a fitted
   * fusion projects.
   */
  private record Described(
      float[] plain, float[] mirror, List<float[]> changed, float[] projected) {}

  /** One descriptor's Fisherfaces, and the length its unit projection is given in the embedding. */
  private record Part(FaceDescriptor kind, Fisherfaces fit, double length) {}

  /**
   * One {@link FaceDescriptor} of each fitted image, of its mirror image, and of its changed views
   * ({@link ViewChange}).
   */
  private static final class Descriptors {
    final List<float[]> plain = new ArrayList<>();
    final List<float[]> mirrors = new ArrayList<>();
    final List<List<float[]>> changed = new ArrayList<>();
    final List<float[]> projected = new ArrayList<>();

    void add(Described image) {
      plain.add(image.plain());
      mirrors.add(image.mirror());
      changed.add(image.changed());
      projected.add(image.projected());
    }

    /**
     * Fisherfaces of these descriptors and those of their mirror images as the same people: in the
     * PCA too while it sees at most {@code pcaImages} images, the rest in the discriminant only.
     * AT&T's 300 images and their mirror images all join the PCA (10-way fused 0.898, 0.918, 0.816
     * for three models; mirror images in the discriminant only: 0.890, 0.916, 0.804); LFW's 934
     * images all join it, where 500 did with their mirror images (one model: pairs fused 0.690 →
     * 0.701, 10-way 0.447 → 0.457; Fisherfaces alone 10-way 0.372 → 0.393). The changed views join
     * the discriminant only: they say what varies within a person, not what a face is.
     */
    Fisherfaces fit(List<String> identities, int pcaImages) {
      List<float[]> seen = new ArrayList<>(plain);
      List<String> seenIdentities = new ArrayList<>(identities);
      List<float[]> more = new ArrayList<>();
      List<String> moreIdentities = new ArrayList<>();
      for (int i = 0; i < plain.size(); i++) {
        boolean room = seen.size() < pcaImages;
        (room ? seen : more).add(mirrors.get(i));
        (room ? seenIdentities : moreIdentities).add(identities.get(i));
      }
      for (int i = 0; i < plain.size(); i++) {
        for (float[] view : changed.get(i)) {
          more.add(view);
          moreIdentities.add(identities.get(i));
        }
      }
      boolean changedViews = changed.stream().anyMatch(views -> !views.isEmpty());
      return Fisherfaces.fit(seen, seenIdentities, more, moreIdentities, changedViews);
    }

    /**
     * Those of the images in {@code keep}, mirror images and changed views kept beside their own.
     */
    Descriptors only(List<Integer> keep) {
      Descriptors out = new Descriptors();
      keep.forEach(
          i ->
              out.add(
                  new Described(plain.get(i), mirrors.get(i), changed.get(i), projected.get(i))));
      return out;
    }

    /** Each image's unit projection under {@code fit}, as a fusion with it projects the image. */
    List<float[]> unitsUnder(Fisherfaces fit) {
      List<float[]> units = new ArrayList<>();
      for (float[] described : projected) {
        units.add(Vectors.unit(fit.project(described)));
      }
      return units;
    }
  }

  /**
   * Cosines under each of {@code kinds}' Fisherfaces of pairs of people the fit did not see, as
   * they will be for every person a user enrols: the people are dealt into at most {@code most}
   * folds, each fold's pairs scored by Fisherfaces fitted on the other folds. Fitted on the people
   * themselves, the Fisherfaces tell them apart better than anyone new: on AT&T (s1–s30, scored on
   * s31–s40; numpy, the pixels' Fisherfaces alone) the threshold chosen on their own pairs rejected
   * 0.23 of the unseen people's same-person pairs and let 0.05 of the different-person pairs in,
   * the held-out one 0.13–0.20 and 0.06–0.09 (three dealings). With too few people to hold any out,
   * or {@code most} below 2: {@code all}, the cosines of every pair under the Fisherfaces fitted on
   * everyone, one matrix per kind. Each image's cosines with a cohort ({@link #cohortOf}) of the
   * other folds' images, projected by the same fit, normalise its scores as a fusion's cohort
   * normalises a user's ({@link ScoreNormalisation}).
   */
  private static HeldOutCosines heldOutCosines(
      List<Descriptors> kinds, List<String> identities, List<double[][]> all, int most, long seed) {
    int n = identities.size();
    List<String> people = new ArrayList<>(new TreeSet<>(identities));
    int folds = Math.min(most, people.size() / MIN_FOLD_PEOPLE);
    int[] fold = new int[n];
    if (folds < 2) {
      return notHeldOut(
          all,
          identities,
          seed,
          "fused scores of the training people's pairs, too few people to hold any out");
    }
    Collections.shuffle(people, new Random(seed));
    Map<String, Integer> foldOf = new HashMap<>();
    for (int p = 0; p < people.size(); p++) {
      foldOf.put(people.get(p), p % folds);
    }
    for (int i = 0; i < n; i++) {
      fold[i] = foldOf.get(identities.get(i));
    }
    // projected[k][i]: image i's descriptor of kind k under the fit without i's fold;
    // toCohort[k][i][c]: its cosine there with the c-th of the fold's cohort, drawn from the rest.
    float[][][] projected = new float[kinds.size()][n][];
    double[][][] toCohort = new double[kinds.size()][n][];
    int[][] cohorts = new int[folds][];
    for (int f = 0; f < folds; f++) {
      List<Integer> rest = new ArrayList<>();
      List<String> restIdentities = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (fold[i] != f) {
          rest.add(i);
          restIdentities.add(identities.get(i));
        }
      }
      cohorts[f] = cohortOf(rest, identities, seed + f);
      for (int k = 0; k < kinds.size(); k++) {
        Descriptors kind = kinds.get(k);
        Fisherfaces without;
        try {
          // Mirror images in the discriminant only: the PCA's Gram matrix, quadratic, falls to a
          // quarter of its cost (numpy, AT&T: thresholds 0.478, 0.522, 0.509 in three dealings,
          // against 0.479, 0.538, 0.505 with them in the PCA).
          without = kind.only(rest).fit(restIdentities, rest.size());
        } catch (IllegalArgumentException e) {
          // The fit on everyone held, so fused scoring stands; only its threshold is chosen on
          // the people fitted (some fold's rest cannot be: images all alike, say).
          return notHeldOut(
              all,
              identities,
              seed,
              "fused scores of the training people's pairs, not held out (a fit without one fold's"
                  + " people failed: "
                  + e.getMessage()
                  + ")");
        }
        // The fold's cohort as the fit without the fold projects it, as a fusion's cohort is
        // projected by the fit that saw it.
        float[][] cohort = new float[cohorts[f].length][];
        for (int c = 0; c < cohort.length; c++) {
          cohort[c] = Vectors.unit(without.project(kind.projected.get(cohorts[f][c])));
        }
        for (int i = 0; i < n; i++) {
          if (fold[i] == f) {
            float[] unit = Vectors.unit(without.project(kind.projected.get(i)));
            projected[k][i] = unit;
            toCohort[k][i] = new double[cohort.length];
            for (int c = 0; c < cohort.length; c++) {
              toCohort[k][i][c] = Vectors.dot(unit, cohort[c]);
            }
          }
        }
      }
    }
    List<double[][]> heldOut = new ArrayList<>();
    for (float[][] kind : projected) {
      heldOut.add(withinFoldCosines(kind, fold));
    }
    return new HeldOutCosines(
        heldOut,
        fold,
        cohorts,
        List.of(toCohort),
        "fused scores of the training people's pairs in "
            + folds
            + " folds, each fold's by Fisherfaces fitted without its people",
        true);
  }

  /**
   * The cosines of every pair under the Fisherfaces fitted on everyone ({@code all}, one matrix per
   * kind), in one fold, their cohort drawn from everyone: where no people can be held out.
   */
  private static HeldOutCosines notHeldOut(
      List<double[][]> all, List<String> identities, long seed, String source) {
    int n = identities.size();
    int[] cohort = cohortOf(allIndices(n), identities, seed);
    List<double[][]> toCohort = new ArrayList<>();
    for (double[][] cosines : all) {
      double[][] kind = new double[n][cohort.length];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < cohort.length; c++) {
          kind[i][c] = cosines[i][cohort[c]];
        }
      }
      toCohort.add(kind);
    }
    return new HeldOutCosines(
        all, new int[n], new int[][] {cohort}, List.copyOf(toCohort), source, false);
  }

  /** The cosine of each pair of unit vectors in one fold ([i][j], j ≤ i; 0 across folds). */
  private static double[][] withinFoldCosines(float[][] units, int[] fold) {
    int n = units.length;
    double[][] cosines = new double[n][];
    for (int i = 0; i < n; i++) {
      cosines[i] = new double[n];
      for (int j = 0; j <= i; j++) {
        if (fold[i] == fold[j]) {
          cosines[i][j] = Vectors.dot(units[i], units[j]);
        }
      }
    }
    return cosines;
  }

  /**
   * Cosines ({@code cosines.get(k)[i][j]}, j ≤ i, one matrix per kind of descriptor) of the pairs
   * within a fold ({@code fold[i]}), and of each image with its fold's cohort ({@code
   * toCohort.get(k)[i][c]} with image {@code cohorts[fold[i]][c]}); {@code source} says so in
   * words.
   */
  private record HeldOutCosines(
      List<double[][]> cosines,
      int[] fold,
      int[][] cohorts,
      List<double[][]> toCohort,
      String source,
      boolean heldOut) {
    /** The fused score of each pair within a fold, in [0, 1]: the fused cosine from [−1, 1]. */
    PairScores fused(Weighing weighing, double[][] networkCosines, List<String> identities) {
      return scored(identities, (i, j) -> (1 + cosine(weighing, networkCosines, i, j)) / 2);
    }

    /**
     * The normalised score of each pair within a fold ({@link ScoreNormalisation}), each image's
     * statistics those of its fused cosines with its fold's cohort.
     */
    PairScores normalised(Weighing weighing, double[][] networkCosines, List<String> identities) {
      int n = fold.length;
      double[][] statistics = new double[n][];
      for (int i = 0; i < n; i++) {
        int[] cohort = cohorts[fold[i]];
        double[] withCohort = new double[cohort.length];
        for (int c = 0; c < cohort.length; c++) {
          int image = i;
          int member = c;
          withCohort[c] =
              weighing.fused(networkCosines[i][cohort[c]], k -> toCohort.get(k)[image][member]);
        }
        statistics[i] = ScoreNormalisation.statistics(withCohort);
      }
      return scored(
          identities,
          (i, j) ->
              ScoreNormalisation.score(
                  cosine(weighing, networkCosines, i, j),
                  statistics[i][0],
                  statistics[i][1],
                  statistics[j][0],
                  statistics[j][1]));
    }

    /** The fused cosine of images i and j, j ≤ i. */
    private double cosine(Weighing weighing, double[][] networkCosines, int i, int j) {
      return weighing.fused(networkCosines[i][j], k -> cosines.get(k)[i][j]);
    }

    /** {@code score} of each pair within a fold, labelled 1 for one person, 0 for two. */
    private PairScores scored(List<String> identities, PairScore score) {
      int n = fold.length;
      int pairs = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          pairs += fold[i] == fold[j] ? 1 : 0;
        }
      }
      double[] scores = new double[pairs];
      int[] labels = new int[pairs];
      int p = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          if (fold[i] == fold[j]) {
            scores[p] = score.of(i, j);
            labels[p++] = identities.get(i).equals(identities.get(j)) ? 1 : 0;
          }
        }
      }
      return new PairScores(scores, labels);
    }
  }

  /** A pair's score, by the indices of its images. */
  private interface PairScore {
    double of(int i, int j);
  }

  /**
   * The file beside {@code model} that {@link #saveBeside} writes and {@link #loadBeside} reads.
   */
  public static Path fileFor(Path model) {
    String stem = ImageFiles.stem(model.getFileName().toString());
    return model.toAbsolutePath().getParent().resolve(stem + FILE_SUFFIX);
  }

  /** Writes the fit beside {@code model}, owner-only and atomically. */
  public void saveBeside(Path model) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(normalisation.isNone() ? views.format : NORMALISED_FORMAT);
      out.writeUTF(inner.describe().id());
      out.writeDouble(networkLength);
      out.writeDouble(threshold);
      out.writeUTF(thresholdSource);
      out.writeInt(fittedImages);
      out.writeInt(fittedIdentities);
      out.writeInt(parts.size());
      for (Part part : parts) {
        out.writeUTF(part.kind().name());
        out.writeDouble(part.length());
        part.fit().write(out);
      }
      if (!normalisation.isNone()) {
        normalisation.write(out);
      }
    }
    PrivateFiles.write(fileFor(model), bytes.toByteArray());
  }

  /**
   * {@code network}, loaded from {@code model}, fused with the Fisherfaces saved beside it.
   *
   * @throws NoSuchFileException when there are none
   * @throws IOException naming the file when it is not one, was cut short, or was fitted for other
   *     weights or another input size
   */
  public static FusedScoringNetwork loadBeside(SiameseNetwork network, Path model)
      throws IOException {
    Path file = fileFor(model);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(),
          null,
          "no Fisherfaces beside the model for fused scoring (face:train writes them)");
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      int format = in.readInt() == MAGIC ? in.readInt() : -1;
      if (format < 1 || format > FORMAT) {
        throw new IOException(file + ": not a oneshot Fisherfaces file");
      }
      String id = in.readUTF();
      String expected = network.describe().id();
      if (!id.equals(expected)) {
        throw new IOException(
            file
                + ": fitted for the model weights "
                + id
                + ", not "
                + expected
                + " (the model was trained again or replaced; face:train writes both)");
      }
      double networkLength = in.readDouble();
      double pixelLength = format < 3 ? in.readDouble() : 0;
      double threshold = in.readDouble();
      String source = format == 1 ? FORMAT_1_SOURCE : in.readUTF();
      int images = in.readInt();
      int identities = in.readInt();
      Architecture arch = Architecture.fromMap(network.describe().architecture());
      List<Part> parts = new ArrayList<>();
      if (format < 3) {
        parts.add(readFit(in, file, FaceDescriptor.PIXELS, pixelLength, arch));
      } else {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
          FaceDescriptor kind = descriptorNamed(in.readUTF(), file);
          parts.add(readFit(in, file, kind, in.readDouble(), arch));
        }
        if (parts.isEmpty() || parts.get(0).kind() != FaceDescriptor.PIXELS) {
          throw new IOException(file + ": no Fisherfaces of the pixels first");
        }
      }
      ScoreNormalisation normalisation = ScoreNormalisation.NONE;
      if (format >= NORMALISED_FORMAT) {
        normalisation = readCohort(in, file, parts);
      }
      return new FusedScoringNetwork(
          network,
          parts,
          networkLength,
          threshold,
          images,
          identities,
          source,
          ViewsDescribed.ofFormat(format),
          normalisation);
    } catch (EOFException e) {
      throw new IOException(file + ": cut short", e);
    }
  }

  /**
   * The cohort a file of format 6 ends with, its vectors longer than the {@code parts}' projections
   * alone: the network's embedding comes first.
   */
  private static ScoreNormalisation readCohort(DataInputStream in, Path file, List<Part> parts)
      throws IOException {
    ScoreNormalisation cohort;
    try {
      cohort = ScoreNormalisation.read(in);
    } catch (EOFException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    int projections = parts.stream().mapToInt(p -> p.fit().dimension()).sum();
    if (cohort.isNone() || cohort.dimension() <= projections) {
      throw new IOException(
          file
              + ": a cohort of "
              + cohort.size()
              + " vectors of "
              + cohort.dimension()
              + " values, where each must hold the network's embedding and "
              + projections
              + " projected values");
    }
    return cohort;
  }

  private static Part readFit(
      DataInputStream in, Path file, FaceDescriptor kind, double length, Architecture arch)
      throws IOException {
    Fisherfaces fit = Fisherfaces.read(in);
    if (fit.inputs() != kind.length(arch)) {
      throw new IOException(
          file
              + ": Fisherfaces of "
              + fit.inputs()
              + " values of "
              + kind.name()
              + ", this model and version describe a face in "
              + kind.length(arch));
    }
    return new Part(kind, fit, length);
  }

  private static FaceDescriptor descriptorNamed(String name, Path file) throws IOException {
    try {
      return FaceDescriptor.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          file + ": Fisherfaces of " + name + ", a descriptor this version does not know");
    }
  }

  /**
   * The id of {@code networkId}'s weights fused with the pixels' Fisherfaces; each further {@link
   * FaceDescriptor} adds its {@code idSuffix}, and {@code @} and the {@link #fingerprint} of the
   * fits and the cohort ends it, so that a gallery's cached embeddings and each person's fitted
   * threshold never mix two fusions: one read from an older file, or one fitted again on other
   * images or by another version, beside the very same weights.
   */
  public static String fusedId(String networkId) {
    return networkId + "+fisherfaces";
  }

  /**
   * The first 12 hex digits of the SHA-256 of every part's name, length and Fisherfaces as the file
   * holds them, of the network's length, of the views it describes a face by, and of its cohort:
   * what a fused embedding depends on besides the weights. Older fusions' ids are those they had
   * (one-way before stop 53, both ways in stop 53), so that their galleries' cached embeddings stay
   * theirs.
   */
  private static String fingerprint(
      List<Part> parts,
      double networkLength,
      ViewsDescribed views,
      ScoreNormalisation normalisation) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (DataOutputStream out =
          new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
        out.writeDouble(networkLength);
        for (Part part : parts) {
          out.writeUTF(part.kind().name());
          out.writeDouble(part.length());
          part.fit().write(out);
        }
        if (views != ViewsDescribed.AS_IS) {
          out.writeBoolean(true); // as format 4's ids were
        }
        if (views == ViewsDescribed.TURNED_TOO) {
          out.writeInt(views.format);
        }
        if (!normalisation.isNone()) {
          normalisation.write(out);
        }
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a null stream does not fail
    }
  }

  /**
   * What the classical half of the fusion is, in words: each whole-face descriptor, and the regions
   * whose patterns are there as well ("and the same patterns of the face's middle and centre"), or,
   * where a region does not have the whole face's very patterns, every descriptor by itself.
   */
  public String classicalHalf() {
    List<FaceDescriptor> whole = new ArrayList<>();
    Map<Region, List<FaceDescriptor>> regions = new EnumMap<>(Region.class);
    for (Part part : parts) {
      FaceDescriptor kind = part.kind();
      if (kind.region == Region.WHOLE) {
        whole.add(kind);
      } else {
        regions.computeIfAbsent(kind.region, r -> new ArrayList<>()).add(kind);
      }
    }
    List<Boolean> patterns =
        whole.stream().filter(k -> k != FaceDescriptor.PIXELS).map(k -> k.lightNormalised).toList();
    boolean alike =
        regions.values().stream()
            .allMatch(
                kinds -> kinds.stream().map(k -> k.lightNormalised).toList().equals(patterns));
    List<FaceDescriptor> listed = alike ? whole : parts.stream().map(Part::kind).toList();
    String words = inWords(listed.stream().map(k -> "of " + k.words).toList());
    return "Fisherfaces "
        + words
        + (alike && !regions.isEmpty()
            ? ", and the same patterns of the face's "
                + inWords(
                    regions.keySet().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).toList())
            : "");
  }

  /** "a", "a and b", "a, b and c". */
  private static String inWords(List<String> items) {
    int last = items.size() - 1;
    return last == 0
        ? items.get(0)
        : String.join(", ", items.subList(0, last)) + " and " + items.get(last);
  }

  /** The {@link FaceDescriptor}s whose Fisherfaces the fusion holds, in its order. */
  public List<String> descriptors() {
    return parts.stream().map(p -> p.kind().name()).toList();
  }

  /** Images the Fisherfaces were fitted on. */
  public int fittedImages() {
    return fittedImages;
  }

  /** People the Fisherfaces were fitted on. */
  public int fittedIdentities() {
    return fittedIdentities;
  }

  /**
   * The views of each face whose descriptors' mean the classical half projects. Both ways (stop
   * 53): the discriminants learnt that a face and its mirror image are one person, yet the two
   * still project apart, by the head's turn and the light's side; the mean keeps what both views
   * say. Chosen on the training people alone (numpy, 16 splits of those of {@code
   * lfw-identities.sh}: pairs 0.847 → 0.857, 16 of 16; the mean of the two unit projections instead
   * the same to 0.0002 in 8 of them; AT&T s1–s30 in 12 splits, 10-way +0.1, pairs +0.2). In the
   * application, the same models and fits: LFW's held-out people AUC 0.879 → 0.882 and 10-way 0.677
   * → 0.693 (the other half of them 0.927 → 0.931, 0.669 → 0.677); AT&T's unseen people unchanged
   * (AUC 0.981, 10-way 0.944). Turned too (stop 54, {@link ViewsDescribed#TURNED_TOO}). Training
   * images are projected the same way, so the threshold and each descriptor's weight are chosen on
   * the embeddings verification sees; it costs every face more descriptors, not more projections.
   * Fusions read from an older file describe faces as they were fitted.
   */
  ViewsDescribed viewsDescribed() {
    return views;
  }

  /**
   * {@link #viewsDescribed} in words, for the output: "each face described with its mirror image
   * and turned 0.1 radian either way", a fusion read from an older file saying so.
   */
  public String facesDescribed() {
    return "each face described "
        + views.words
        + (views == FITTED_VIEWS ? "" : " (a fit saved by an older version)");
  }

  /**
   * How scores are normalised, in words, for the output: "scores normalised against 300 fitted
   * images (S-norm)", or "scores not normalised" for a fusion of few images or from an older file.
   */
  public String scoresNormalised() {
    return normalisation.isNone()
        ? "scores not normalised"
        : "scores normalised against " + normalisation.size() + " fitted images (S-norm)";
  }

  /**
   * A fusion of the same fits that scores by the fused cosine alone, as one without a cohort does:
   * to measure what normalising adds. Its threshold is still the one chosen for normalised scores,
   * so evaluations leave it out.
   */
  FusedScoringNetwork withoutNormalisation() {
    return new FusedScoringNetwork(
        inner,
        parts,
        networkLength,
        threshold,
        fittedImages,
        fittedIdentities,
        thresholdSource,
        views,
        ScoreNormalisation.NONE);
  }

  /**
   * The Fisherfaces alone, of every descriptor, the network's part weighed zero: what the classical
   * half of the fusion does by itself, to report beside it ({@code face:eval --scoring
   * fisherfaces}). The network still embeds each image; its threshold is the fused one, so
   * evaluations leave it out. Its cohort's network parts are weighed zero as well.
   */
  public FusedScoringNetwork fisherfacesAlone() {
    int networkValues =
        normalisation.dimension() - parts.stream().mapToInt(p -> p.fit().dimension()).sum();
    return new FusedScoringNetwork(
        inner,
        parts,
        0,
        threshold,
        fittedImages,
        fittedIdentities,
        thresholdSource,
        views,
        normalisation.withFirstZeroed(networkValues));
  }

  @Override
  public ModelDescription describe() {
    return description;
  }

  @Override
  public List<Embedding> embed(List<Image> images) {
    List<Embedding> network = inner.embed(images);
    List<Double> lengths = lengths(networkLength, parts);
    List<Embedding> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      FaceViews face = new FaceViews(images.get(i));
      List<float[]> units = new ArrayList<>();
      units.add(Vectors.unit(network.get(i).toArray()));
      for (Part part : parts) {
        float[] described = views.of(part.kind(), face, arch);
        units.add(Vectors.unit(part.fit().project(described)));
      }
      float[] joined = joined(units, lengths);
      out.add(
          new Embedding(
              description.id(),
              normalisation.isNone() ? joined : normalisation.withStatistics(joined)));
    }
    return out;
  }

  @Override
  public double[] score(Embedding probe, List<Embedding> references) {
    double[] scores = new double[references.size()];
    for (int r = 0; r < scores.length; r++) {
      scores[r] =
          normalisation.isNone()
              ? (1 + CosineScoringNetwork.cosine(probe, references.get(r))) / 2
              : ScoreNormalisation.score(probe, references.get(r));
    }
    return scores;
  }

  /** The cosine of every pair of the (unit) vectors. */
  private static double[][] cosines(List<float[]> units) {
    int n = units.size();
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      float[] a = units.get(i);
      for (int j = 0; j <= i; j++) {
        out[i][j] = out[j][i] = Vectors.dot(a, units.get(j));
      }
    }
    return out;
  }

  /** The standard deviation of the cosines of distinct pairs; 1 when there is no spread. */
  static double spread(double[][] cosines) {
    double sum = 0;
    double squares = 0;
    long count = 0;
    for (int i = 0; i < cosines.length; i++) {
      for (int j = 0; j < i; j++) {
        sum += cosines[i][j];
        squares += cosines[i][j] * cosines[i][j];
        count++;
      }
    }
    if (count == 0) {
      return 1;
    }
    double mean = sum / count;
    double spread = Math.sqrt(Math.max(0, squares / count - mean * mean));
    return spread > 1e-12 ? spread : 1;
  }
}
