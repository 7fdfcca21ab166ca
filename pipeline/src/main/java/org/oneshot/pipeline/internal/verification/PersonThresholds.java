package org.oneshot.pipeline.internal.verification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import org.oneshot.api.Embedding;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.pipeline.internal.image.UnreadableImageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each enrolled person's own detection threshold ({@link PersonThreshold}) under one network,
 * fitted against a cohort of other faces: the other enrolled people and, when configured, a folder
 * of crops of people who are not enrolled. A fit is kept until the person's images, the cohort, the
 * network or the verification threshold change, so live video pays for it once.
 */
final class PersonThresholds {
  private static final Logger LOG = LoggerFactory.getLogger(PersonThresholds.class);

  /** Fewer cohort faces than this make a threshold that rests on chance: the model's applies. */
  static final int MIN_COHORT = 5;

  /** A person's own threshold, and what it was fitted on. */
  record Fit(double threshold, int images, int cohort) {
    String source() {
      return "person's own: " + images + " images rehearsed against " + cohort + " cohort faces";
    }
  }

  /**
   * What a fit was made from: embedding lists are immutable and replaced whenever their files
   * change ({@link Gallery#enrolled}), so comparing them by identity tells whether it still holds.
   */
  private record Fitted(
      String modelId,
      double verification,
      List<Embedding> own,
      List<List<Embedding>> cohort,
      Optional<Fit> fit) {
    boolean holdsFor(
        String id, double fraction, List<Embedding> images, List<List<Embedding>> others) {
      if (!modelId.equals(id) || verification != fraction || own != images) {
        return false;
      }
      if (cohort.size() != others.size()) {
        return false;
      }
      for (int i = 0; i < others.size(); i++) {
        if (cohort.get(i) != others.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** The cohort folder read as a gallery of one "person", for the gallery's embedding cache. */
  private record CohortFolder(Path dir, Gallery store, String name) {}

  private final Map<String, Fitted> fitted = new ConcurrentHashMap<>();
  private volatile CohortFolder cohortFolder;

  /** Sets the folder of face crops of people not enrolled; null or blank: none. */
  void cohortFolder(String folder) {
    if (folder == null || folder.isBlank()) {
      cohortFolder = null;
      return;
    }
    Path dir = Path.of(folder).toAbsolutePath().normalize();
    CohortFolder current = cohortFolder;
    if (current == null || !current.dir().equals(dir)) {
      Path parent = dir.getParent() == null ? dir : dir.getParent();
      cohortFolder =
          new CohortFolder(
              dir,
              new Gallery(parent),
              dir.getFileName() == null ? "" : dir.getFileName().toString());
    }
  }

  /**
   * {@code person}'s own threshold under {@code network}, or empty when they have fewer than two
   * images or the cohort fewer than {@value #MIN_COHORT} faces.
   */
  Optional<Fit> of(
      String person,
      List<Embedding> own,
      Gallery gallery,
      SiameseNetwork network,
      double verificationThreshold)
      throws IOException {
    return of(person, own, others(gallery, person, network), network, verificationThreshold);
  }

  /**
   * The same with the other enrolled people's embeddings gathered by the caller: {@code
   * face:identify} reads every person's once for all candidates, where gathering them per candidate
   * listed every folder once per candidate.
   */
  Optional<Fit> of(
      String person,
      List<Embedding> own,
      List<List<Embedding>> otherPeople,
      SiameseNetwork network,
      double verificationThreshold)
      throws IOException {
    List<List<Embedding>> cohort = new ArrayList<>(otherPeople);
    CohortFolder folder = cohortFolder;
    if (folder != null) {
      cohort.add(folderEmbeddings(folder, network));
    }
    String modelId = network.describe().id();
    Fitted last = fitted.get(person);
    if (last != null && last.holdsFor(modelId, verificationThreshold, own, cohort)) {
      return last.fit();
    }
    Optional<Fit> fit = fit(own, cohort, network, verificationThreshold);
    fitted.put(person, new Fitted(modelId, verificationThreshold, own, List.copyOf(cohort), fit));
    fit.ifPresentOrElse(
        f ->
            LOG.info(
                "{}'s own detection threshold under model {}: {} ({} images, {} cohort faces)",
                person,
                modelId,
                f.threshold(),
                f.images(),
                f.cohort()),
        () ->
            LOG.info(
                "{} keeps the model's threshold: {} images, cohort of {} faces (needs 2 and {})",
                person,
                own.size(),
                cohort.stream().mapToInt(List::size).sum(),
                MIN_COHORT));
    return fit;
  }

  /**
   * The embeddings of everyone enrolled but {@code person}; someone whose image cannot be read is
   * left out with a warning: another person's damaged image must not stop this one's verification.
   */
  static List<List<Embedding>> others(Gallery gallery, String person, SiameseNetwork network)
      throws IOException {
    List<List<Embedding>> others = new ArrayList<>();
    for (String other : gallery.people()) {
      if (!other.equals(person) && !gallery.images(other).isEmpty()) {
        try {
          others.add(gallery.enrolled(other, network).embeddings());
        } catch (UnreadableImageException e) {
          LOG.warn("{} left out of {}'s cohort: {}", other, person, e.getMessage());
        }
      }
    }
    return others;
  }

  private static Optional<Fit> fit(
      List<Embedding> own,
      List<List<Embedding>> cohort,
      SiameseNetwork network,
      double verificationThreshold) {
    List<double[]> cohortScores = new ArrayList<>();
    for (List<Embedding> faces : cohort) {
      for (Embedding face : faces) {
        cohortScores.add(network.score(face, own)); // as a probe is scored in face:verify
      }
    }
    if (own.size() < 2 || cohortScores.size() < MIN_COHORT) {
      return Optional.empty();
    }
    double[][] ownScores = new double[own.size()][];
    for (int i = 0; i < ownScores.length; i++) {
      ownScores[i] = network.score(own.get(i), own);
    }
    OptionalDouble t = PersonThreshold.fit(ownScores, cohortScores, verificationThreshold);
    return t.isPresent()
        ? Optional.of(
            new Fit(Math.min(1, Math.max(0, t.getAsDouble())), own.size(), cohortScores.size()))
        : Optional.empty();
  }

  /** The cohort folder's faces, embedded once per network and cached beside them. */
  private static List<Embedding> folderEmbeddings(CohortFolder folder, SiameseNetwork network)
      throws IOException {
    if (!Files.isDirectory(folder.dir())) {
      throw new IllegalArgumentException(
          "cohort folder "
              + folder.dir()
              + " (cohort.dir of org.oneshot.verification) is not a folder; set it to a folder of"
              + " face crops, or to \"\" for none");
    }
    if (folder.store().images(folder.name()).isEmpty()) {
      return List.of();
    }
    return folder.store().enrolled(folder.name(), network).embeddings();
  }
}
