package org.oneshot.pipeline.internal.verification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.model.ModelArchive;
import org.oneshot.pipeline.internal.evaluation.FusedScoringNetwork;
import org.oneshot.pipeline.internal.io.Home;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.oneshot.pipeline.internal.plugins.PluginCallConfig;
import org.oneshot.pipeline.internal.plugins.PluginSet;
import org.oneshot.pipeline.internal.plugins.TimedCalls;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network verification runs on: the model file of the backend in use, loaded once and kept. The
 * backend is the one chosen with {@code face:use} while it is present, else the highest-ranked
 * present backend that has a model. When a backend leaves, its network is closed once the calls
 * running on it have finished, and the next call moves to another backend. Backends are plugins:
 * loading, embedding and scoring go through a guard ({@link GuardedNetwork}) with the timeout of
 * ConfigAdmin PID {@code org.oneshot.plugins}, {@code model.timeout.ms}.
 */
@Component(service = ActiveModels.class, configurationPid = "org.oneshot.plugins")
public final class ActiveModels {
  /** Said when no backend is present at all. */
  public static final String NO_BACKEND = "no siamese backend available";

  /** Scoring by the network's own head. */
  public static final String HEAD = "head";

  /** Scoring by the embeddings' cosine fused with Fisherfaces ({@link FusedScoringNetwork}). */
  public static final String FUSED = "fused";

  /**
   * Fused scoring where the model has its Fisherfaces ({@code NAME.fisherfaces} of these weights),
   * the head otherwise: the default, since fused scoring decided better wherever it was measured
   * (README, "Fused scoring").
   */
  public static final String AUTO = "auto";

  private static final FileTime NO_FILE = FileTime.fromMillis(Long.MIN_VALUE);

  /** Every scoring verification knows. */
  public static final List<String> SCORINGS = List.of(AUTO, HEAD, FUSED);

  private static final Logger LOG = LoggerFactory.getLogger(ActiveModels.class);

  private final PluginSet<SiameseModel> backends =
      new PluginSet<>("siamese backend", SiameseModel.BACKEND);
  private final Map<SiameseModel, Loaded> loaded = new ConcurrentHashMap<>();
  private volatile ModelChoices choices;
  private final TimedCalls calls = new TimedCalls("oneshot-model-call");
  private volatile long timeoutMillis = 60_000;

  /** Work done with a network; the network may only be used inside the call. */
  @FunctionalInterface
  public interface Call<T> {
    T apply(String backend, SiameseNetwork network) throws IOException;
  }

  /** One backend as {@code face:backends} shows it. */
  public record BackendStatus(
      String name, int ranking, String device, Optional<Path> model, boolean inUse) {}

  private static final class Loaded {
    final SiameseNetwork network;
    final Path file;
    final ReadWriteLock lock = new ReentrantReadWriteLock();
    boolean closed;
    private FusedScoringNetwork fused;

    /**
     * The Fisherfaces file as {@value #AUTO} scoring last found it unusable ({@link #NO_FILE}: not
     * there); null until it looked. Looked at again once the file changes: face:train writes it
     * seconds after the model, and a verification may come between.
     */
    private FileTime unusable;

    Loaded(SiameseNetwork network, Path file) {
      this.network = network;
      this.file = file;
    }

    /**
     * The network as {@code scoring} scores it; the Fisherfaces are read on first use, and for
     * {@value #AUTO} scoring looked for again only when their file has changed.
     */
    synchronized SiameseNetwork scoredBy(String scoring) throws IOException {
      if (scoring.equals(HEAD)) {
        return network;
      }
      // Only auto scoring remembers an unusable file, so only it needs the file's version.
      boolean fusedAsked = scoring.equals(FUSED);
      FileTime version = fused == null && !fusedAsked ? fisherfacesVersion() : null;
      if (fused == null && (fusedAsked || !version.equals(unusable))) {
        try {
          fused = FusedScoringNetwork.loadBeside(network, file);
          LOG.info("fused scoring with {}", FusedScoringNetwork.fileFor(file));
        } catch (IOException e) {
          if (fusedAsked) {
            throw e;
          }
          unusable = version;
          if (e instanceof NoSuchFileException) {
            LOG.info("scoring by the head of {}: {}", file, e.getMessage());
          } else {
            LOG.warn("scoring by the head of {}: {}", file, e.getMessage());
          }
        }
      }
      return fused != null ? fused : network;
    }

    /** When the Fisherfaces file beside the model was last written; {@link #NO_FILE}: none. */
    private FileTime fisherfacesVersion() {
      try {
        return Files.getLastModifiedTime(FusedScoringNetwork.fileFor(file));
      } catch (IOException e) {
        return NO_FILE;
      }
    }

    /** Waits for the calls running on it, then frees the network. */
    void close() {
      lock.writeLock().lock();
      try {
        if (!closed) {
          closed = true;
          network.close();
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  @Activate
  void activate(BundleContext context, PluginCallConfig config) throws IOException {
    configure(config);
    choices = new ModelChoices(Home.var(context).resolve("models.properties"));
  }

  @Modified
  void configure(PluginCallConfig config) {
    if (config.model_timeout_ms() <= 0) {
      throw new IllegalArgumentException(
          "model.timeout.ms must be positive: " + config.model_timeout_ms());
    }
    timeoutMillis = config.model_timeout_ms();
  }

  @Deactivate
  void deactivate() {
    List<Loaded> all = new ArrayList<>(loaded.values());
    loaded.clear();
    all.forEach(Loaded::close);
    calls.close();
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addBackend(SiameseModel backend, Map<String, Object> properties) {
    backends.add(backend, properties);
  }

  void removeBackend(SiameseModel backend) {
    Loaded gone;
    synchronized (this) {
      backends.remove(backend);
      gone = loaded.remove(backend);
    }
    if (gone != null) {
      gone.close();
      LOG.info("closed the network of a departed backend ({})", gone.file);
    }
  }

  /**
   * Runs {@code call} on the network in use. A backend that leaves mid-call lets the call finish
   * first; a call that finds its backend gone moves to the next.
   *
   * @throws IllegalStateException {@value #NO_BACKEND} when none is present, or a message naming
   *     what to do when no present backend has a model
   */
  public <T> T call(Call<T> call) throws IOException {
    return call(HEAD, call);
  }

  /**
   * As {@link #call(Call)}, on the network scored as {@code scoring} says: {@value #HEAD} (Koch's
   * head, as trained), {@value #FUSED} (its embeddings' cosine fused with the Fisherfaces that
   * face:train writes beside the model file) or {@value #AUTO} (fused where they are there).
   * Whether a network is scored fused: it is a {@link FusedScoringNetwork}.
   *
   * @throws java.nio.file.NoSuchFileException for fused scoring of a model without Fisherfaces
   */
  public <T> T call(String scoring, Call<T> call) throws IOException {
    if (!SCORINGS.contains(scoring)) {
      throw new IllegalArgumentException(
          "scoring is " + String.join(", ", SCORINGS) + ", not '" + scoring + "'");
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      Plugin<SiameseModel> backend = choose();
      Loaded network = loadedFor(backend);
      if (network == null) {
        continue; // it left while we chose it
      }
      network.lock.readLock().lock();
      try {
        if (network.closed) {
          continue;
        }
        return call.apply(backend.name(), network.scoredBy(scoring));
      } finally {
        network.lock.readLock().unlock();
      }
    }
    throw new IllegalStateException(NO_BACKEND);
  }

  /** The backend a call would run on now. */
  public Plugin<SiameseModel> choose() {
    List<Plugin<SiameseModel>> present = backends.all();
    if (present.isEmpty()) {
      throw new IllegalStateException(NO_BACKEND);
    }
    String active = choices.active();
    for (Plugin<SiameseModel> p : present) {
      if (p.name().equals(active) && choices.model(p.name()).isPresent()) {
        return p;
      }
    }
    for (Plugin<SiameseModel> p : present) {
      if (choices.model(p.name()).isPresent()) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no model for the backends present ("
            + String.join(", ", backends.names())
            + "): train one with face:train, or name one with face:use BACKEND --model FILE");
  }

  private synchronized Loaded loadedFor(Plugin<SiameseModel> backend) throws IOException {
    if (!backends.contains(backend.service())) {
      return null;
    }
    Path file = choices.model(backend.name()).orElseThrow();
    Loaded current = loaded.get(backend.service());
    if (current != null && current.file.equals(file)) {
      return current;
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "the " + backend.name() + " model file is gone");
    }
    Loaded fresh =
        new Loaded(
            GuardedNetwork.load(
                backend.name(), backend.service(), file, calls, () -> timeoutMillis),
            file);
    loaded.put(backend.service(), fresh);
    LOG.info("loaded {} on {}", file, backend.name());
    if (current != null) {
      current.close();
    }
    return fresh;
  }

  /** Makes {@code model} the model of {@code backend}, e.g. after training it. */
  public void setModel(String backend, Path model) throws IOException {
    String owner = ModelArchive.backendOf(model);
    if (!owner.equals(backend)) {
      throw new IllegalArgumentException(
          model + " is a " + owner + " model; the " + backend + " backend cannot run it");
    }
    choices.setModel(backend, model);
    // The file may hold new weights under the same name: load it afresh on the next call.
    Loaded stale = null;
    synchronized (this) {
      for (Plugin<SiameseModel> p : backends.all()) {
        if (p.name().equals(backend)) {
          stale = loaded.remove(p.service());
        }
      }
    }
    if (stale != null) {
      stale.close();
    }
  }

  /** Prefers {@code backend} from now on (and across restarts). */
  public void use(String backend) throws IOException {
    backends.select(backend); // fails clearly when absent
    choices.setActive(backend);
  }

  public String preferred() {
    return choices.active();
  }

  public List<BackendStatus> status() {
    String inUse;
    try {
      inUse = choose().name();
    } catch (IllegalStateException e) {
      inUse = "";
    }
    List<BackendStatus> result = new ArrayList<>();
    for (Plugin<SiameseModel> p : backends.all()) {
      String device;
      try {
        device = p.service().device();
      } catch (RuntimeException e) {
        device = "unknown (" + e.getMessage() + ")";
      }
      result.add(
          new BackendStatus(
              p.name(), p.ranking(), device, choices.model(p.name()), p.name().equals(inUse)));
    }
    return result;
  }
}
