package org.oneshot.pipeline.internal.commands;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.AllPairsBatches;
import org.oneshot.api.Embedding;
import org.oneshot.api.FaceBox;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Image;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairSampler;
import org.oneshot.api.PairScheme;
import org.oneshot.api.SiameseModel;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.api.TrainingData;
import org.oneshot.api.TrainingProgress;
import org.oneshot.api.TrainingSettings;
import org.oneshot.api.model.Architecture;
import org.oneshot.pipeline.internal.bench.CpuPeak;
import org.oneshot.pipeline.internal.bench.Settling;
import org.oneshot.pipeline.internal.bench.Stats;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.evaluation.FusedScoringNetwork;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.image.ImageEncoder;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.oneshot.pipeline.internal.plugins.SiameseModels;
import org.oneshot.pipeline.internal.verification.FaceVerifier;
import org.oneshot.pipeline.internal.verification.FrameFaceTracker;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code face:bench} — speed on this machine, in one run: training pairs/s and the share of the
 * CPU's fp32 peak it reaches, batched embeddings/s, verify latency against 10/50/500 enrolled
 * images with cached embeddings beside the seed's way (every pair through the whole network), the
 * video path (640×480 frame → detect → crop → embed → verify) and peak memory.
 */
@Component(
    service = BenchCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=bench"})
public final class BenchCommand {
  private static final int WARMUP_STEPS = 5;

  /** Passes over the bench's pairs the warm-up may take: settling or its limit ends it first. */
  private static final int WARMUP_EPOCHS = 10_000;

  /** Training time of each warm-up window whose speed {@link Settling} compares. */
  private static final Duration WARMUP_WINDOW = Duration.ofSeconds(10);

  /** A warm-up window at most this much faster than the best before it counts as settled. */
  private static final double SETTLED_WITHIN = 0.03;

  private static final int WINDOW_STEPS = 5;
  private static final int BATCH = 32;
  private static final int[] GALLERY_SIZES = {10, 50, 500};

  /** Enrolled images of the fused verify latency: the target's 50. */
  private static final int FUSED_GALLERY = 50;

  /** Frames of the panning video, the first {@link #VIDEO_WARMUP} untimed. */
  private static final int VIDEO_FRAMES = 62;

  private static final int VIDEO_WARMUP = 2;

  @Reference private SiameseModels backends;
  @Reference private FaceVerifier faces;

  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile PairSampler sampler;

  private final ImageDecoder decoder = new ImageDecoder();

  @Descriptor(
      "benchmark every present backend (or one) on this machine: training pairs/s and GFLOP/s"
          + " against the CPU's fp32 peak, all-pairs steps' speed against it, embeddings/s,"
          + " verify latency p50/p99 against 10, 50 and 500 enrolled images vs the seed's way,"
          + " 640x480 video frames/s, peak RSS")
  public String bench(
      CommandSession session,
      @Descriptor("only this backend (default: every one present)")
          @Parameter(names = "--backend", absentValue = "")
          String backend,
      @Descriptor("architecture preset (default small)")
          @Parameter(names = "--preset", absentValue = "small")
          String preset,
      @Descriptor("images to train and embed: an identity tree or Omniglot zip")
          @Parameter(names = "--data", absentValue = "")
          String data,
      @Descriptor(
              "a photo with a face for the video path, panning across 640x480 frames (default: none,"
                  + " skipped)")
          @Parameter(names = "--frame", absentValue = "")
          String frame,
      @Descriptor("training steps to time, after the warm-up and 5 more steps (default 40)")
          @Parameter(names = "--steps", absentValue = "40")
          int steps,
      @Descriptor(
              "seconds of training at least before each timed run; it goes on while the steps"
                  + " still speed up (default 30; 0: none)")
          @Parameter(names = "--warmup", absentValue = "30")
          int warmup,
      @Descriptor(
              "seconds of warm-up at most, however the steps' speed moves (default 180; as"
                  + " --warmup: a fixed warm-up)")
          @Parameter(names = "--warmup-limit", absentValue = "180")
          int warmupLimit,
      @Descriptor("also write every figure as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException, InterruptedException {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("--data DIR|ZIP is required (images to train and embed)");
    }
    if (steps < WINDOW_STEPS) {
      throw new IllegalArgumentException("--steps must be at least " + WINDOW_STEPS);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must not be negative: " + warmup);
    }
    if (warmupLimit < warmup) {
      throw new IllegalArgumentException(
          "--warmup-limit " + warmupLimit + " is below --warmup " + warmup);
    }
    WarmUp warmupTime = new WarmUp(Duration.ofSeconds(warmup), Duration.ofSeconds(warmupLimit));
    PrintStream console = session.getConsole();
    LabelledDataset dataset =
        new DatasetReader(decoder).open(Path.of(data), WorkspaceVariant.GRAYED);
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < Math.min(500, dataset.samples().size()); i++) {
      images.add(dataset.load(dataset.samples().get(i)));
    }
    if (images.size() < 2) {
      throw new IllegalArgumentException(data + ": too few readable images to benchmark");
    }
    List<Image> video = frame.isEmpty() ? null : panningVideo(decoder.decode(Path.of(frame)));
    List<Plugin<SiameseModel>> chosen =
        backend.isEmpty() ? backends.all() : List.of(backends.select(backend));
    if (chosen.isEmpty()) {
      throw new IllegalStateException("no siamese backend available");
    }
    CpuPeak peak = CpuPeak.ofThisMachine();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Plugin<SiameseModel> b : chosen) {
      console.printf(Locale.ROOT, "— %s/%s —%n", b.name(), preset);
      rows.add(benchOne(b, preset, dataset, images, video, steps, warmupTime, peak, console));
    }
    long rss = Stats.peakRssBytes();
    if (!json.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("preset", preset);
      out.put("data", data);
      out.put("cpu", peak.model());
      out.put("peakGflops", peak.gflops());
      out.put("peakDerivation", peak.derivation());
      out.put("clockMeasuredGhz", peak.measuredGigahertz());
      out.put("clockReportedGhz", peak.reportedGigahertz());
      out.put("peakRssBytes", rss);
      out.put("warmupSeconds", warmup);
      out.put("warmupLimitSeconds", warmupLimit);
      out.put("startToShellMs", startMillis());
      out.put("startWarm", Boolean.getBoolean("oneshot.start.warm"));
      out.put("nativeAllocator", nativeAllocator());
      out.put("backends", rows);
      Json.write(Path.of(json), out);
    }
    return table(rows, peak, rss, warmupTime, faces.frameDetectionWidth());
  }

  /** A training run's failure as the bench reports it. */
  private static IllegalStateException trainingFailed(ExecutionException e) {
    return new IllegalStateException("training failed: " + e.getCause().getMessage(), e);
  }

  /** How long the warm-up before each timed run trains: at least, and at most. */
  private record WarmUp(Duration minimum, Duration limit) {
    /** {@link #WARMUP_WINDOW}, or a third of a shorter minimum: three windows fit in it. */
    Duration window() {
      Duration third = minimum.dividedBy(3);
      return third.compareTo(WARMUP_WINDOW) < 0 ? third : WARMUP_WINDOW;
    }

    int minimumWindows() {
      long window = Math.max(1, window().toMillis());
      return (int) Math.max(3, (minimum.toMillis() + window - 1) / window);
    }
  }

  /**
   * Training speed after a warm-up: pairs per second (for all-pairs steps, pair equivalents: two
   * tower passes each), the median over windows of steps; how long the warm-up trained and its
   * windows' speeds.
   */
  private record Speed(double pairsPerSecond, double warmupSeconds, List<Double> warmupSpeeds) {}

  /**
   * Trains until the steps settle ({@link #warmUp}), then times {@code settings}' steps: the median
   * over windows of {@value #WINDOW_STEPS} steps, after {@value #WARMUP_STEPS} untimed.
   */
  private static Speed trainingSpeed(
      SiameseNetwork network,
      TrainingData data,
      TrainingSettings settings,
      WarmUp warmup,
      PrintStream console)
      throws InterruptedException, ExecutionException {
    List<Double> stepSeconds = new ArrayList<>();
    Progress progress = new Progress(console);
    long start = System.nanoTime();
    List<Double> warmupSpeeds = warmUp(network, data, settings, warmup, progress);
    double warmupSeconds = (System.nanoTime() - start) / 1e9;
    network
        .train(
            data,
            settings,
            p -> {
              if (p.kind() == TrainingProgress.Kind.STEP) {
                stepSeconds.add(BATCH / p.pairsPerSecond());
                progress.update("training step " + p.step());
              }
            })
        .get();
    List<Double> windows = new ArrayList<>();
    for (int from = WARMUP_STEPS; from + WINDOW_STEPS <= stepSeconds.size(); from += WINDOW_STEPS) {
      double seconds = 0;
      for (int i = from; i < from + WINDOW_STEPS; i++) {
        seconds += stepSeconds.get(i);
      }
      windows.add(WINDOW_STEPS * BATCH / seconds);
    }
    return new Speed(
        Stats.median(windows.stream().mapToDouble(d -> d).toArray()), warmupSeconds, warmupSpeeds);
  }

  /**
   * Trains until the steps have stopped speeding up ({@link Settling}, fed the pairs/s of each
   * {@link WarmUp#window} of steps), for at least the warm-up's minimum and at most its limit;
   * returns the windows' speeds. One training run throughout, so that nothing restarts between
   * windows (a new run sets up its optimiser afresh): once settled, the listener interrupts its own
   * thread, the training thread, and the loop stops before its next step, as a cancelled training
   * does. DL4J's steps took minutes to settle (the JIT, SameDiff's caches, libnd4j's memory; 1.4×
   * slower after 30 s than after 90 on {@code small}), where PyTorch and DJL settle within a few
   * steps (README, face:bench).
   */
  private static List<Double> warmUp(
      SiameseNetwork network,
      TrainingData data,
      TrainingSettings settings,
      WarmUp warmup,
      Progress progress)
      throws InterruptedException, ExecutionException {
    if (warmup.minimum().isZero()) {
      return List.of();
    }
    Settling settling = new Settling(warmup.minimumWindows(), SETTLED_WITHIN);
    double windowSeconds = warmup.window().toNanos() / 1e9;
    double[] window = {0, 0}; // seconds and pairs of the window so far
    int[] steps = {0};
    network
        .train(
            data,
            settings.withEpochs(WARMUP_EPOCHS).withTimeLimit(warmup.limit()),
            p -> {
              if (p.kind() != TrainingProgress.Kind.STEP) {
                return;
              }
              progress.update("warm-up step " + ++steps[0]);
              window[0] += BATCH / p.pairsPerSecond();
              window[1] += BATCH;
              if (window[0] >= windowSeconds) {
                settling.window(window[1] / window[0]);
                window[0] = 0;
                window[1] = 0;
                if (settling.settled()) {
                  Thread.currentThread().interrupt(); // the training loop's way to stop
                }
              }
            })
        .get();
    return settling.speeds();
  }

  /**
   * glibc's malloc settings for the native arrays, as the environment gave them: both backends'
   * training speed depends on them (bin/oneshot sets its own unless the user set theirs; README,
   * face:bench).
   */
  private static String nativeAllocator() {
    String tunables = System.getenv("GLIBC_TUNABLES");
    return tunables == null || tunables.isBlank()
        ? "the C library's defaults"
        : "GLIBC_TUNABLES=" + tunables;
  }

  /**
   * Milliseconds of 40 verifications of {@code probe} (after 3 untimed): embedding it and scoring
   * it against the cached embeddings of {@code enrolled}, as face:verify does.
   */
  private static double[] verifyMillis(SiameseNetwork network, Image probe, List<Image> enrolled) {
    List<Embedding> cached = network.embed(enrolled);
    double[] ms = new double[40];
    for (int r = -3; r < ms.length; r++) {
      long t0 = System.nanoTime();
      network.score(network.embed(List.of(probe)).get(0), cached);
      if (r >= 0) {
        ms[r] = (System.nanoTime() - t0) / 1e6;
      }
    }
    return ms;
  }

  /**
   * Verify latency against {@value #FUSED_GALLERY} enrolled images under fused scoring, the
   * verification default where the model has its Fisherfaces: fitted here on the bench's data, as
   * face:train fits them on its training people. The figures go into {@code v}; returns the fused
   * network, or null where the data cannot be fitted.
   */
  private static FusedScoringNetwork fusedVerify(
      SiameseNetwork network,
      LabelledDataset dataset,
      Image probe,
      List<Image> images,
      Map<String, Object> v)
      throws IOException {
    long t0 = System.nanoTime();
    FusedScoringNetwork fused;
    try {
      fused = FusedScoringNetwork.of(network, dataset, 42);
    } catch (IllegalArgumentException e) {
      v.put("skipped", e.getMessage()); // data of one person, say: nothing to discriminate
      return null;
    }
    v.put("fitSeconds", (System.nanoTime() - t0) / 1e9);
    v.put("fittedImages", fused.fittedImages());
    List<Image> enrolled = new ArrayList<>(FUSED_GALLERY);
    for (int i = 0; i < FUSED_GALLERY; i++) {
      enrolled.add(images.get(i % images.size()));
    }
    double[] ms = verifyMillis(fused, probe, enrolled);
    v.put("enrolled", FUSED_GALLERY);
    v.put("p50Ms", Stats.median(ms));
    v.put("p99Ms", Stats.percentile(ms, 99));
    return fused;
  }

  /** Milliseconds from JVM start to a ready shell, as the launcher recorded them; -1: unknown. */
  private static long startMillis() {
    return Long.getLong("oneshot.start.ms", -1);
  }

  private Map<String, Object> benchOne(
      Plugin<SiameseModel> backend,
      String preset,
      LabelledDataset dataset,
      List<Image> images,
      List<Image> video,
      int steps,
      WarmUp warmup,
      CpuPeak peak,
      PrintStream console)
      throws IOException, InterruptedException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("backend", backend.name());
    try (SiameseNetwork network = backend.service().create(preset, Map.of(), 42)) {
      Architecture arch = Architecture.fromMap(network.describe().architecture());
      // Training: pairs/s per window of steps after the warm-up, median over windows.
      int wanted = (steps + WARMUP_STEPS) * BATCH;
      List<LabelledPair> pairs =
          sampler.sample(dataset, new PairRequest(PairScheme.IDENTITY, wanted, 42));
      TrainingSettings settings =
          TrainingSettings.defaults()
              .withEpochs(1)
              .withBatchSize(BATCH)
              .withLearningRate(1e-3)
              .withValidationFraction(0)
              .withPatience(0);
      TrainingData data = new TrainingData(dataset, pairs, List.of());
      Speed listed;
      double allPairsPerSecond;
      try {
        listed = trainingSpeed(network, data, settings, warmup, console);
      } catch (ExecutionException e) {
        throw trainingFailed(e);
      }
      double pairsPerSecond = listed.pairsPerSecond();
      row.put("warmupSeconds", listed.warmupSeconds());
      row.put("warmupWindowPairsPerSecond", listed.warmupSpeeds());
      // The same tower work as all-pairs steps (BATCH people, two images each): what the head's
      // extra pairs cost, as a ratio in the same run.
      try {
        Speed allPairs =
            trainingSpeed(
                network,
                data,
                settings.withAllPairs(new AllPairsBatches(BATCH, false)),
                warmup,
                console);
        allPairsPerSecond = allPairs.pairsPerSecond();
        row.put("allPairsWarmupSeconds", allPairs.warmupSeconds());
        row.put("allPairsWarmupWindowPairsPerSecond", allPairs.warmupSpeeds());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof IllegalArgumentException refused)) {
          throw trainingFailed(e);
        }
        // Data that all-pairs steps refuse (too few people with two images) give no figure.
        console.println("no all-pairs figure: " + refused.getMessage());
        allPairsPerSecond = Double.NaN;
      }
      Progress progress = new Progress(console);
      row.put("allPairsTrainingPairsPerSecond", allPairsPerSecond);
      row.put("allPairsSpeedRatio", allPairsPerSecond / pairsPerSecond);
      double flopsPerPair = 2 * 3.0 * arch.forwardFlops(); // two images, forward + backward
      double gflops = pairsPerSecond * flopsPerPair / 1e9;
      row.put("trainingPairsPerSecond", pairsPerSecond);
      row.put("gflopsPerPair", flopsPerPair / 1e9);
      row.put("achievedGflops", gflops);
      row.put("shareOfPeak", gflops / peak.gflops());

      // Embeddings per second, batched (the whole image list, three times).
      double[] rates = new double[3];
      for (int r = 0; r < rates.length; r++) {
        long t0 = System.nanoTime();
        network.embed(images);
        rates[r] = images.size() / ((System.nanoTime() - t0) / 1e9);
      }
      row.put("embeddingsPerSecond", Stats.median(rates));

      // Verify: one probe against N cached embeddings vs the seed's way (every pair re-run).
      List<Map<String, Object>> verify = new ArrayList<>();
      Image probe = images.get(images.size() - 1);
      for (int n : GALLERY_SIZES) {
        List<Image> enrolled = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          enrolled.add(images.get(i % images.size()));
        }
        double[] ms = verifyMillis(network, probe, enrolled);
        List<Image> probes = java.util.Collections.nCopies(n, probe);
        double[] seedMs = new double[n <= 50 ? 3 : 1];
        for (int r = 0; r < seedMs.length; r++) {
          long t0 = System.nanoTime();
          network.scorePairs(probes, enrolled);
          seedMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("enrolled", n);
        v.put("p50Ms", Stats.median(ms));
        v.put("p99Ms", Stats.percentile(ms, 99));
        v.put("seedWayMs", Stats.median(seedMs));
        v.put("speedup", Stats.median(seedMs) / Stats.median(ms));
        verify.add(v);
        progress.update("verify against " + n);
      }
      row.put("verify", verify);
      Map<String, Object> fusedRow = new LinkedHashMap<>();
      FusedScoringNetwork fused = fusedVerify(network, dataset, probe, images, fusedRow);
      row.put("verifyFused", fusedRow);
      progress.update("verify fused");

      // The video path on frames of a panning 640x480 video: detect, crop the largest face, embed,
      // score. As face:live does it (the whole frame searched every few frames, the region around
      // the face between them) and, as baselines on the same frames, with the whole frame searched
      // every frame at the configured detection width and at full size.
      if (video != null) {
        Plugin<FaceDetector> detector = faces.detector("");
        List<Embedding> ten = network.embed(images.subList(0, Math.min(10, images.size())));
        int width = faces.frameDetectionWidth();
        FrameFaceTracker tracker = faces.tracker(detector);
        VideoTiming tracked =
            videoPath(network, video, ten, f -> faces.trackedFaces(tracker, f, "bench frame"));
        VideoTiming whole =
            videoPath(network, video, ten, f -> faces.faces(detector, f, "bench frame", width));
        VideoTiming full =
            videoPath(network, video, ten, f -> faces.faces(detector, f, "bench frame", 0));
        row.put("videoFramesPerSecond", tracked.framesPerSecond());
        row.put("videoFrameP99Ms", tracked.p99Ms());
        row.put("videoFramesWithFace", tracked.withFace());
        row.put("videoWholeFrameSearches", tracker.wholeFrameSearches());
        row.put("videoRegionSearches", tracker.regionSearches());
        // How closely the tracked face follows one found by searching each frame whole: the share
        // of frames where it overlaps one by at least half (intersection over union).
        List<Double> overlaps = overlaps(tracked.faces(), whole.faces());
        row.put(
            "videoTrackedAgreement",
            overlaps.stream().filter(o -> o >= 0.5).count() / (double) overlaps.size());
        row.put("videoTrackedOverlaps", overlaps);
        row.put("videoDetectionWidth", width);
        row.put("videoWholeFramesPerSecond", whole.framesPerSecond());
        row.put("videoWholeFramesWithFace", whole.withFace());
        row.put("videoFullSizeFramesPerSecond", full.framesPerSecond());
        row.put("videoFullSizeFramesWithFace", full.withFace());
        row.put("detector", detector.name());
        if (fused != null) {
          // Tracked as face:live does by default: scored fused.
          FrameFaceTracker again = faces.tracker(detector);
          List<Embedding> fusedTen = fused.embed(images.subList(0, Math.min(10, images.size())));
          VideoTiming byFused =
              videoPath(fused, video, fusedTen, f -> faces.trackedFaces(again, f, "bench frame"));
          fusedRow.put("videoFramesPerSecond", byFused.framesPerSecond());
        }
      }
    }
    row.put("peakRssBytesSoFar", Stats.peakRssBytes());
    return row;
  }

  /** Frames/s (all frames), p99 frame time, frames with a face, the faces (largest first). */
  private record VideoTiming(
      double framesPerSecond, double p99Ms, String withFace, List<List<FaceBox>> faces) {}

  /** Every frame of {@code video} through {@code find} → embed the largest face → score it. */
  private static VideoTiming videoPath(
      SiameseNetwork network,
      List<Image> video,
      List<Embedding> enrolled,
      Function<Image, List<FaceVerifier.Face>> find)
      throws IOException {
    double[] frameMs = new double[video.size() - VIDEO_WARMUP];
    List<List<FaceBox>> faces = new ArrayList<>();
    int found = 0;
    for (int i = 0; i < video.size(); i++) {
      long t0 = System.nanoTime();
      List<FaceVerifier.Face> detected = find.apply(video.get(i));
      if (!detected.isEmpty()) {
        network.score(network.embed(List.of(detected.get(0).crop())).get(0), enrolled);
      }
      if (i >= VIDEO_WARMUP) {
        frameMs[i - VIDEO_WARMUP] = (System.nanoTime() - t0) / 1e6;
        found += detected.isEmpty() ? 0 : 1;
        faces.add(detected.stream().map(FaceVerifier.Face::box).toList());
      }
    }
    // Throughput over all frames, not the median frame: the tracked path's periodic whole-frame
    // searches are its slow frames and count.
    return new VideoTiming(
        1000 * frameMs.length / Arrays.stream(frameMs).sum(),
        Stats.percentile(frameMs, 99),
        found + "/" + frameMs.length,
        faces);
  }

  /**
   * Per frame, how well {@code tracked}'s largest face matches a face found by searching the frame
   * whole: the best overlap (intersection over union); 1 when neither found a face, 0 when only one
   * did.
   */
  private static List<Double> overlaps(List<List<FaceBox>> tracked, List<List<FaceBox>> whole) {
    List<Double> o = new ArrayList<>();
    for (int i = 0; i < tracked.size(); i++) {
      List<FaceBox> t = tracked.get(i);
      List<FaceBox> w = whole.get(i);
      if (t.isEmpty() || w.isEmpty()) {
        o.add(t.isEmpty() == w.isEmpty() ? 1.0 : 0.0);
      } else {
        o.add(w.stream().mapToDouble(b -> FrameFaceTracker.overlap(t.get(0), b)).max().orElse(0));
      }
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  private static String table(
      List<Map<String, Object>> rows, CpuPeak peak, long rss, WarmUp warmup, int width) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "fp32 peak: %s%n", peak.derivation()));
    t.append(String.format(Locale.ROOT, "native allocator: %s%n", nativeAllocator()));
    t.append(
        String.format(
            Locale.ROOT,
            "training timed after a warm-up (at least %d s, on while the steps speed up, at most %d"
                + " s) and %d steps, median of %d-step windows%n",
            warmup.minimum().toSeconds(),
            warmup.limit().toSeconds(),
            WARMUP_STEPS,
            WINDOW_STEPS));
    t.append(
        String.format(
            Locale.ROOT,
            "%-8s %9s %10s %8s %6s %8s  %-34s %-34s %-34s %9s",
            "backend",
            "pairs/s",
            "all-pairs",
            "GFLOP/s",
            "peak",
            "emb/s",
            "verify 10: p50/p99 ms (seed ×)",
            "verify 50",
            "verify 500",
            "video fps: tracked / whole (full)"));
    for (Map<String, Object> r : rows) {
      t.append(
          String.format(
              Locale.ROOT,
              "%n%-8s %9.1f %5.1f (%.2f×) %8.1f %5.1f%% %8.0f",
              r.get("backend"),
              (Double) r.get("trainingPairsPerSecond"),
              (Double) r.get("allPairsTrainingPairsPerSecond"),
              (Double) r.get("allPairsSpeedRatio"),
              (Double) r.get("achievedGflops"),
              100 * (Double) r.get("shareOfPeak"),
              (Double) r.get("embeddingsPerSecond")));
      for (Map<String, Object> v : (List<Map<String, Object>>) r.get("verify")) {
        t.append(
            String.format(
                Locale.ROOT,
                "  %-34s",
                String.format(
                    Locale.ROOT,
                    "%.2f/%.2f (%.0f×)",
                    (Double) v.get("p50Ms"),
                    (Double) v.get("p99Ms"),
                    (Double) v.get("speedup"))));
      }
      Object fps = r.get("videoFramesPerSecond");
      t.append(
          fps == null
              ? String.format("%16s", "-")
              : String.format(
                  Locale.ROOT,
                  "%7.1f / %5.1f (%5.1f)",
                  (Double) fps,
                  (Double) r.get("videoWholeFramesPerSecond"),
                  (Double) r.get("videoFullSizeFramesPerSecond")));
    }
    for (Map<String, Object> r : rows) {
      t.append(
          String.format(
              Locale.ROOT,
              "%n%s warm-up %.0f s (its windows' pairs/s: %s), all-pairs %.0f s",
              r.get("backend"),
              (Double) r.get("warmupSeconds"),
              ((List<Double>) r.get("warmupWindowPairsPerSecond"))
                  .stream()
                      .map(v -> String.format(Locale.ROOT, "%.0f", v))
                      .collect(Collectors.joining(" ")),
              (Double) r.getOrDefault("allPairsWarmupSeconds", Double.NaN)));
    }
    for (Map<String, Object> r : rows) {
      Map<String, Object> f = (Map<String, Object>) r.get("verifyFused");
      if (f == null) {
        continue;
      }
      t.append(
          f.containsKey("skipped")
              ? String.format(
                  Locale.ROOT,
                  "%n%s verify fused: not measured (%s)",
                  r.get("backend"),
                  f.get("skipped"))
              : String.format(
                  Locale.ROOT,
                  "%n%s verify %d fused (verification's default where the model has its"
                      + " Fisherfaces): p50/p99 %.2f/%.2f ms%s; Fisherfaces fitted on %d images in"
                      + " %.1f s",
                  r.get("backend"),
                  (Integer) f.get("enrolled"),
                  (Double) f.get("p50Ms"),
                  (Double) f.get("p99Ms"),
                  f.containsKey("videoFramesPerSecond")
                      ? String.format(
                          Locale.ROOT,
                          "; video tracked %.1f fps",
                          (Double) f.get("videoFramesPerSecond"))
                      : "",
                  (Integer) f.get("fittedImages"),
                  (Double) f.get("fitSeconds")));
    }
    t.append(
        String.format(
            Locale.ROOT,
            "%nseed × = the seed's way (each pair through the whole network) ÷ cached embeddings"));
    rows.stream()
        .filter(r -> r.containsKey("videoFramesPerSecond"))
        .findFirst()
        .ifPresent(
            r ->
                t.append(
                    String.format(
                        Locale.ROOT,
                        "%nvideo fps: %d frames of a panning 640x480 video. tracked: as face:live,"
                            + " %d searched whole, %d around the face last found; its face is one"
                            + " that searching the frame whole finds in %.0f%% of frames%n  whole:"
                            + " every frame searched whole, shrunk to %s (in brackets: at full"
                            + " size)",
                        VIDEO_FRAMES - VIDEO_WARMUP,
                        (Integer) r.get("videoWholeFrameSearches"),
                        (Integer) r.get("videoRegionSearches"),
                        100 * (Double) r.get("videoTrackedAgreement"),
                        width <= 0 ? "- (full size configured)" : width + " pixels wide")));
    t.append(
        String.format(
            Locale.ROOT,
            "%nstart to a ready shell %s; peak RSS %.2f GiB",
            startMillis() < 0
                ? "unknown (not started by the launcher)"
                : String.format(
                    Locale.ROOT,
                    "%.2f s (%s)",
                    startMillis() / 1000.0,
                    Boolean.getBoolean("oneshot.start.warm")
                        ? "warm: bundle cache reused"
                        : "cold: bundles installed"),
            rss / (1024.0 * 1024 * 1024)));
    return t.toString();
  }

  /**
   * A webcam-like video: {@code photo} scaled to 3/4 of a 640×480 frame's height, on grey, panning
   * across the frame and back (8 pixels a frame across, 3 down): at 30 frames/s a face crossing the
   * picture in about a second.
   */
  private static List<Image> panningVideo(Image photo) {
    BufferedImage source = ImageEncoder.toBufferedImage(photo);
    double scale = Math.min(480.0 * 3 / 4 / source.getHeight(), 640.0 / source.getWidth());
    int w = (int) Math.round(source.getWidth() * scale);
    int h = (int) Math.round(source.getHeight() * scale);
    List<Image> frames = new ArrayList<>();
    for (int i = 0; i < VIDEO_FRAMES; i++) {
      BufferedImage frame = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = frame.createGraphics();
      try {
        g.setColor(java.awt.Color.GRAY);
        g.fillRect(0, 0, 640, 480);
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, bounce(8 * i, 640 - w), bounce(3 * i, 480 - h), w, h, null);
      } finally {
        g.dispose();
      }
      frames.add(ImageDecoder.toImage(frame));
    }
    return frames;
  }

  /** {@code travel} folded into 0..{@code range}, back and forth. */
  private static int bounce(int travel, int range) {
    if (range <= 0) {
      return 0;
    }
    int t = travel % (2 * range);
    return t <= range ? t : 2 * range - t;
  }
}
