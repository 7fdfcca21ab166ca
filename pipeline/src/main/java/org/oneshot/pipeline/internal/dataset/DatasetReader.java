package org.oneshot.pipeline.internal.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.oneshot.api.Image;
import org.oneshot.api.ImageLoader;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.Role;
import org.oneshot.api.Sample;
import org.oneshot.api.UnreadableFile;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.image.UnreadableImageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a dataset as it lies on disk: an identity tree, an Omniglot zip or the seed's workspace.
 * Every image is decoded once on opening, so that unreadable files are found, named and skipped up
 * front instead of failing a training run halfway; pixels are then loaded again on demand.
 */
public final class DatasetReader {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetReader.class);
  private static final Pattern NUMBERED_STEM = Pattern.compile("(.+)_\\d+");

  private final ImageDecoder decoder;
  private final int threads;

  public DatasetReader(ImageDecoder decoder) {
    this(decoder, Runtime.getRuntime().availableProcessors());
  }

  public DatasetReader(ImageDecoder decoder, int threads) {
    this.decoder = decoder;
    this.threads = Math.max(1, threads);
  }

  /** The layout of {@code path}, judged from what is there. */
  public static DatasetFormat detect(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
        return DatasetFormat.OMNIGLOT_ZIP;
      }
      throw new IOException(path + ": not a dataset (expected a folder or an Omniglot .zip)");
    }
    if (!Files.isDirectory(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such dataset folder or zip");
    }
    return WorkspaceLayout.isWorkspace(path)
        ? DatasetFormat.WORKSPACE
        : DatasetFormat.IDENTITY_TREE;
  }

  /** Opens {@code path} in whatever supported layout it has; workspaces are read as real crops. */
  public LabelledDataset open(Path path) throws IOException {
    return open(path, WorkspaceVariant.REAL);
  }

  public LabelledDataset open(Path path, WorkspaceVariant variant) throws IOException {
    return switch (detect(path)) {
      case IDENTITY_TREE -> openIdentityTree(path);
      case OMNIGLOT_ZIP -> openOmniglotZip(path);
      case WORKSPACE -> openWorkspace(path, variant);
    };
  }

  /** {@code ROOT/<identity>/<image>}: each sub-folder is an identity. */
  public LabelledDataset openIdentityTree(Path root) throws IOException {
    List<Sample> candidates = new ArrayList<>();
    int loose = 0;
    for (Path child : sortedChildren(root)) {
      if (Files.isDirectory(child)) {
        String identity = child.getFileName().toString();
        for (Path file : sortedChildren(child)) {
          if (isImageFile(file)) {
            candidates.add(new Sample(identity, file.toString(), Role.NONE));
          }
        }
      } else if (isImageFile(child)) {
        loose++;
      }
    }
    if (candidates.isEmpty() && loose > 0) {
      throw new IOException(
          root
              + ": "
              + loose
              + " images lie directly in the folder but there are no identity"
              + " folders (expected "
              + root
              + "/<identity>/<image>)");
    }
    return validated(root.toString(), candidates, new ArrayList<>(), this::loadFile);
  }

  /**
   * An Omniglot zip read in place: {@code <set>/<alphabet>/<character>/<image>.png}, the identity
   * being {@code <alphabet>/<character>}. The compressed entries (a few hundred bytes each) are
   * kept in memory so that loading needs no open file.
   */
  public LabelledDataset openOmniglotZip(Path zipPath) throws IOException {
    List<Sample> candidates = new ArrayList<>();
    List<UnreadableFile> unreadable = new ArrayList<>();
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipFile zip = new ZipFile(zipPath.toFile())) {
      List<? extends ZipEntry> sorted =
          zip.stream()
              .filter(e -> !e.isDirectory())
              .sorted(Comparator.comparing(ZipEntry::getName, NaturalOrder.INSTANCE))
              .toList();
      for (ZipEntry entry : sorted) {
        String name = entry.getName();
        String location = zipPath + "!/" + name;
        if (escapesRoot(name)) {
          unreadable.add(new UnreadableFile(location, "entry escapes the archive root"));
          continue;
        }
        String[] parts = name.split("/");
        if (!ImageFiles.isImageName(name)) {
          continue;
        }
        if (parts.length != 4) {
          unreadable.add(
              new UnreadableFile(location, "not at <set>/<alphabet>/<character>/<image>"));
          continue;
        }
        entries.put(location, zip.getInputStream(entry).readAllBytes());
        candidates.add(new Sample(parts[1] + "/" + parts[2], location, Role.NONE));
      }
    } catch (ZipException e) {
      throw new IOException(zipPath + ": not a readable zip (" + e.getMessage() + ")", e);
    }
    ImageLoader loader =
        sample -> {
          byte[] bytes = entries.get(sample.location());
          if (bytes == null) {
            throw new IOException(sample.location() + ": not in this dataset");
          }
          return decoder.decode(bytes, sample.location());
        };
    return validated(zipPath.toString(), candidates, unreadable, loader);
  }

  /**
   * The seed's workspace. Anchors and positives are the user ({@link WorkspaceLayout#USER}); a
   * negative's identity is its file name without a trailing {@code _NNNN} (so LFW crops keep their
   * person), or the whole name.
   */
  public LabelledDataset openWorkspace(Path workspace, WorkspaceVariant variant)
      throws IOException {
    WorkspaceVariant chosen = hasImages(workspace, variant) ? variant : variant.other();
    List<Sample> candidates = new ArrayList<>();
    for (Role role : WorkspaceLayout.roles()) {
      Path folder = WorkspaceLayout.folder(workspace, role, chosen);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      for (Path file : sortedChildren(folder)) {
        if (isImageFile(file)) {
          String identity = role == Role.NEGATIVE ? negativeIdentity(file) : WorkspaceLayout.USER;
          candidates.add(new Sample(identity, file.toString(), role));
        }
      }
    }
    return validated(
        workspace + " (" + chosen.suffix().substring(1) + ")",
        candidates,
        new ArrayList<>(),
        this::loadFile);
  }

  private Image loadFile(Sample sample) throws IOException {
    return decoder.decode(Path.of(sample.location()));
  }

  private static String negativeIdentity(Path file) {
    String stem = ImageFiles.stem(file.getFileName().toString());
    var m = NUMBERED_STEM.matcher(stem);
    return "negative:" + (m.matches() ? m.group(1) : stem);
  }

  private static boolean hasImages(Path workspace, WorkspaceVariant variant) throws IOException {
    for (Role role : WorkspaceLayout.roles()) {
      Path folder = WorkspaceLayout.folder(workspace, role, variant);
      if (Files.isDirectory(folder)) {
        for (Path file : sortedChildren(folder)) {
          if (isImageFile(file)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Decodes every candidate (in parallel) and keeps those that decode. */
  private LabelledDataset validated(
      String name, List<Sample> candidates, List<UnreadableFile> unreadable, ImageLoader loader)
      throws IOException {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
    try {
      List<Future<String>> checks = new ArrayList<>(candidates.size());
      for (Sample sample : candidates) {
        checks.add(pool.submit(() -> problemWith(loader, sample)));
      }
      List<Sample> readable = new ArrayList<>(candidates.size());
      for (int i = 0; i < candidates.size(); i++) {
        String problem = checks.get(i).get();
        if (problem == null) {
          readable.add(candidates.get(i));
        } else {
          unreadable.add(new UnreadableFile(candidates.get(i).location(), problem));
        }
      }
      for (UnreadableFile bad : unreadable) {
        LOG.warn("skipping {}", bad);
      }
      LOG.info(
          "read {}: {} images, {} unreadable, in {} ms",
          name,
          readable.size(),
          unreadable.size(),
          (System.nanoTime() - start) / 1_000_000);
      return new LabelledDataset(name, readable, unreadable, loader);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + name, e);
    } catch (ExecutionException e) {
      throw new IOException("failed to read " + name + ": " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Null when the sample decodes, else why not. */
  private static String problemWith(ImageLoader loader, Sample sample) {
    try {
      loader.load(sample);
      return null;
    } catch (UnreadableImageException e) {
      return e.reason();
    } catch (IOException | UncheckedIOException e) {
      return String.valueOf(e.getMessage());
    } catch (OutOfMemoryError e) {
      return "too large to decode";
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return r -> {
      Thread t = new Thread(r, "oneshot-dataset-reader");
      t.setDaemon(true);
      return t;
    };
  }

  private static boolean escapesRoot(String entryName) {
    if (entryName.startsWith("/") || entryName.startsWith("\\") || entryName.contains(":")) {
      return true;
    }
    for (String part : entryName.split("[/\\\\]")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isImageFile(Path file) {
    // Follows a link to a file; a link loop or a dangling link is simply not a regular file.
    return ImageFiles.isImageName(file.getFileName().toString()) && Files.isRegularFile(file);
  }

  private static List<Path> sortedChildren(Path dir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    }
    children.sort(Comparator.comparing(p -> p.getFileName().toString(), NaturalOrder.INSTANCE));
    return children;
  }
}
