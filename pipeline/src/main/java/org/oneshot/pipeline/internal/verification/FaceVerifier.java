package org.oneshot.pipeline.internal.verification;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.oneshot.api.Embedding;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.oneshot.api.ModelDescription;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.TrainingLoop;
import org.oneshot.pipeline.internal.evaluation.FusedScoringNetwork;
import org.oneshot.pipeline.internal.io.Home;
import org.oneshot.pipeline.internal.plugins.FaceDetectors;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Enrolment and verification: faces found by the detector in use, cut out as training crops are,
 * scored by the network in use against the gallery with the seed's rule.
 */
@Component(service = FaceVerifier.class, configurationPid = "org.oneshot.verification")
@Designate(ocd = VerificationConfig.class)
public final class FaceVerifier {
  /** Used when neither the call, the configuration nor the model gives a detection threshold. */
  static final double FALLBACK_DETECTION_THRESHOLD = 0.5;

  @Reference private FaceDetectors detectors;
  @Reference private ActiveModels models;

  private volatile VerificationConfig config;
  private volatile Gallery gallery;
  private final PersonThresholds personThresholds = new PersonThresholds();

  /** Per-call thresholds; empty values fall back to the configuration, then to the model. */
  public record Thresholds(OptionalDouble detection, OptionalDouble verification) {
    public static final Thresholds CONFIGURED =
        new Thresholds(OptionalDouble.empty(), OptionalDouble.empty());

    /** From command options where a negative value means "not given". */
    public static Thresholds of(double detection, double verification) {
      return new Thresholds(
          detection < 0 ? OptionalDouble.empty() : OptionalDouble.of(detection),
          verification < 0 ? OptionalDouble.empty() : OptionalDouble.of(verification));
    }
  }

  /** One verification: the rule applied and what it decided. */
  public record Verification(
      String person,
      String backend,
      String scoring,
      String modelId,
      VerificationRule rule,
      String detectionThresholdSource,
      List<Path> images,
      VerificationRule.Decision decision) {}

  /** One candidate of an identification: the rule applied to them and what it decided. */
  public record Candidate(
      String person,
      VerificationRule rule,
      String detectionThresholdSource,
      VerificationRule.Decision decision) {}

  /** A 1:N identification: every enrolled person ranked, and who it is (or empty: unknown). */
  public record Identification(
      String backend, String scoring, List<Candidate> ranking, Optional<String> identity) {}

  /** A face found in an image, cut out as training crops are. */
  public record Face(FaceBox box, Image crop) {}

  @Activate
  @Modified
  void configure(BundleContext context, VerificationConfig config) {
    this.config = config;
    Path dir =
        config.gallery_dir().isBlank()
            ? Home.var(context).resolve("gallery")
            : Path.of(config.gallery_dir());
    Gallery current = gallery;
    if (current == null || !current.root().equals(dir.toAbsolutePath().normalize())) {
      gallery = new Gallery(dir);
    }
    personThresholds.cohortFolder(config.cohort_dir());
  }

  public Gallery gallery() {
    return gallery;
  }

  /** The detector in use, or the named one. */
  public Plugin<FaceDetector> detector(String name) {
    return detectors.select(name.isEmpty() ? config.detector() : name);
  }

  /** Every face in {@code image}, largest first, each cut out with the configured margin. */
  public List<Face> faces(Plugin<FaceDetector> detector, Image image, String what) {
    return faces(detector, image, what, 0);
  }

  /**
   * Every face in a camera or video frame, as {@link #faces}, detected on a copy shrunk to the
   * configured frame detection width (the crops still come from the full frame).
   */
  public List<Face> frameFaces(Plugin<FaceDetector> detector, Image frame, String what) {
    return faces(detector, frame, what, frameDetectionWidth());
  }

  /**
   * A tracker for one camera or video stream with the configured detection width, whole-frame
   * interval and tracked face width; pass it to {@link #trackedFaces} frame by frame.
   */
  public FrameFaceTracker tracker(Plugin<FaceDetector> detector) {
    VerificationConfig c = config;
    return new FrameFaceTracker(
        detector,
        frameDetectionWidth(),
        Math.max(1, c.frame_whole_every()),
        Math.max(1, c.frame_tracked_face_width()));
  }

  /** Every face in the next frame of {@code tracker}'s stream, as {@link #faces}. */
  public List<Face> trackedFaces(FrameFaceTracker tracker, Image frame, String what) {
    return cut(frame, tracker.detect(frame, what));
  }

  /** Width frames are shrunk to for detection; 0: full size. */
  public int frameDetectionWidth() {
    return Math.max(0, config.frame_detection_width());
  }

  /** As {@link #faces}, detected on a copy shrunk to {@code width} when wider; 0: full size. */
  public List<Face> faces(Plugin<FaceDetector> detector, Image image, String what, int width) {
    return cut(image, FaceDetectors.detect(detector, image, what, width));
  }

  /** The faces in {@code boxes} cut out of {@code image} with the margin, largest first. */
  private List<Face> cut(Image image, List<FaceBox> boxes) {
    List<Face> faces = new ArrayList<>();
    double margin = config.margin();
    for (FaceBox box : boxes) {
      FaceBox grown = box.expand(margin); // as FaceCrop cuts training crops
      faces.add(new Face(grown, image.crop(grown)));
    }
    faces.sort(Comparator.comparingLong((Face f) -> f.box().area()).reversed());
    return faces;
  }

  /**
   * The face to verify or enrol: the largest one the detector finds, or the whole image when it is
   * already a face crop ({@code cropped}).
   *
   * @throws IllegalArgumentException naming {@code what} when no face is found
   */
  public Image face(Image image, String what, boolean cropped, String detectorName) {
    if (cropped) {
      return image;
    }
    Plugin<FaceDetector> detector = detector(detectorName);
    List<Face> faces = faces(detector, image, what);
    if (faces.isEmpty()) {
      throw new IllegalArgumentException(
          what
              + ": no face found by the "
              + detector.name()
              + " detector (give --cropped if the image is a face crop already)");
    }
    return faces.get(0).crop();
  }

  /** Scores {@code face} against {@code person}'s verification images. */
  public Verification verify(String person, Image face, Thresholds thresholds) throws IOException {
    Gallery g = gallery;
    return models.call(
        config.scoring(),
        (backend, network) -> {
          Gallery.Enrolled enrolled = g.enrolled(person, network);
          Embedding probe = network.embed(List.of(face)).get(0);
          double[] scores = network.score(probe, enrolled.embeddings());
          Rule rule =
              rule(
                  network,
                  thresholds,
                  person,
                  enrolled.embeddings(),
                  () -> PersonThresholds.others(g, person, network));
          return new Verification(
              person,
              backend,
              scoring(network),
              network.describe().id(),
              rule.rule(),
              rule.source(),
              enrolled.images(),
              rule.rule().decide(scores));
        });
  }

  /** {@value ActiveModels#FUSED} or {@value ActiveModels#HEAD}: how {@code network} scores. */
  private static String scoring(SiameseNetwork network) {
    return network instanceof FusedScoringNetwork ? ActiveModels.FUSED : ActiveModels.HEAD;
  }

  /** Ranks every enrolled person for {@code face}; the best verified one is the answer. */
  public Identification identify(Image face, Thresholds thresholds) throws IOException {
    Gallery g = gallery;
    List<String> people = g.people();
    if (people.isEmpty()) {
      throw new IllegalStateException("nobody is enrolled: use face:enrol NAME IMAGE... first");
    }
    return models.call(
        config.scoring(),
        (backend, network) -> {
          Embedding probe = network.embed(List.of(face)).get(0);
          // Every person's embeddings once: each candidate's cohort is the others'.
          Map<String, List<Embedding>> everyone = new LinkedHashMap<>();
          for (String person : people) {
            everyone.put(person, g.enrolled(person, network).embeddings());
          }
          List<Candidate> ranking = new ArrayList<>();
          for (String person : people) {
            List<Embedding> enrolled = everyone.get(person);
            double[] scores = network.score(probe, enrolled);
            Rule rule =
                rule(network, thresholds, person, enrolled, () -> othersThan(person, everyone));
            ranking.add(
                new Candidate(person, rule.rule(), rule.source(), rule.rule().decide(scores)));
          }
          ranking.sort(
              Comparator.comparingDouble((Candidate c) -> c.decision().fraction())
                  .thenComparingDouble(c -> c.decision().meanScore())
                  .reversed());
          Optional<String> identity =
              ranking.get(0).decision().verified()
                  ? Optional.of(ranking.get(0).person())
                  : Optional.empty();
          return new Identification(backend, scoring(network), ranking, identity);
        });
  }

  private record Rule(VerificationRule rule, String source) {}

  /** The other enrolled people's embeddings, read only when a person's own threshold is fitted. */
  @FunctionalInterface
  private interface OtherPeople {
    List<List<Embedding>> get() throws IOException;
  }

  private static List<List<Embedding>> othersThan(
      String person, Map<String, List<Embedding>> everyone) {
    return everyone.entrySet().stream()
        .filter(e -> !e.getKey().equals(person))
        .map(Map.Entry::getValue)
        .toList();
  }

  /**
   * The detection threshold a model gives verification when nobody sets one: the one it chose on
   * its validation pairs, within [0, 1]; empty when it records none.
   */
  public static OptionalDouble modelThreshold(ModelDescription description) {
    String recorded = description.properties().get(TrainingLoop.THRESHOLD);
    if (recorded == null) {
      return OptionalDouble.empty();
    }
    double t = Double.parseDouble(recorded);
    return Double.isFinite(t)
        ? OptionalDouble.of(Math.min(1, Math.max(0, t)))
        : OptionalDouble.empty();
  }

  /**
   * The rule for {@code person}: a detection threshold given with the call, else the configured
   * one, else the person's own (fitted to their images against the cohort), else the model's.
   */
  private Rule rule(
      SiameseNetwork network,
      Thresholds thresholds,
      String person,
      List<Embedding> enrolled,
      OtherPeople otherPeople)
      throws IOException {
    VerificationConfig c = config;
    double verification = thresholds.verification().orElse(c.verification_threshold());
    if (thresholds.detection().isPresent()) {
      return new Rule(
          new VerificationRule(thresholds.detection().getAsDouble(), verification), "given");
    }
    if (c.detection_threshold() >= 0) {
      return new Rule(new VerificationRule(c.detection_threshold(), verification), "configured");
    }
    if (c.person_thresholds()) {
      Optional<PersonThresholds.Fit> own =
          personThresholds.of(person, enrolled, otherPeople.get(), network, verification);
      if (own.isPresent()) {
        return new Rule(
            new VerificationRule(own.get().threshold(), verification), own.get().source());
      }
    }
    ModelDescription description = network.describe();
    OptionalDouble fromModel = modelThreshold(description);
    if (fromModel.isPresent()) {
      return new Rule(
          new VerificationRule(fromModel.getAsDouble(), verification),
          description
              .properties()
              .getOrDefault(FusedScoringNetwork.THRESHOLD_SOURCE, "model's validation pairs"));
    }
    return new Rule(
        new VerificationRule(FALLBACK_DETECTION_THRESHOLD, verification),
        "fallback (the model records no validation threshold)");
  }
}
