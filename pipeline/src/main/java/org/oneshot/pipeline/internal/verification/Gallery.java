package org.oneshot.pipeline.internal.verification;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.oneshot.api.Embedding;
import org.oneshot.api.Image;
import org.oneshot.api.SiameseNetwork;
import org.oneshot.pipeline.internal.dataset.ImageFiles;
import org.oneshot.pipeline.internal.dataset.NaturalOrder;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.image.ImageEncoder;
import org.oneshot.pipeline.internal.io.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrolled people: {@code ROOT/<name>/<NNNN>.png}, one face crop per file, owner-only. The
 * embeddings of a person's images are computed once per model and kept beside them ({@code
 * .embeddings-<model>}); a cache made by another model, or for another set of images, is replaced.
 */
public final class Gallery {
  private static final Logger LOG = LoggerFactory.getLogger(Gallery.class);
  private static final int CACHE_FORMAT = 1;
  private static final String CACHE_PREFIX = ".embeddings-";

  private final Path root;
  private final ImageDecoder decoder = new ImageDecoder();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Cached> memory = new ConcurrentHashMap<>();

  private record Cached(String modelId, List<String> files, List<Embedding> embeddings) {}

  /** A person's verification images and their embeddings by one network, in the same order. */
  public record Enrolled(List<Path> images, List<Embedding> embeddings) {}

  public Gallery(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Everyone enrolled, in natural order. */
  public List<String> people() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted(NaturalOrder.INSTANCE)
          .toList();
    }
  }

  public boolean contains(String name) {
    return Files.isDirectory(folder(name));
  }

  /** The person's verification images. */
  public List<Path> images(String name) throws IOException {
    Path folder = folder(name);
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "nobody called '" + name + "' is enrolled; enrolled: " + describe(people()));
    }
    return ImageFiles.under(folder, 1);
  }

  /** Saves one more face crop of {@code name}; returns its file. */
  public Path add(String name, Image crop) throws IOException {
    synchronized (lock(name)) {
      Path folder = folder(name);
      PrivateFiles.createDirectories(folder);
      int next = 1;
      for (Path existing : ImageFiles.under(folder, 1)) {
        String stem = ImageFiles.stem(existing.getFileName().toString());
        if (stem.matches("\\d+")) {
          next = Math.max(next, Integer.parseInt(stem) + 1);
        }
      }
      Path file = folder.resolve(String.format("%04d.png", next));
      PrivateFiles.write(file, ImageEncoder.png(crop));
      return file;
    }
  }

  /**
   * Makes {@code crops} the person's only verification images. The new images are written first and
   * the old ones deleted after, so a crash in between leaves the person with both sets, never with
   * none; a later replace tidies up. Returns how many old images went.
   */
  public int replace(String name, List<Image> crops) throws IOException {
    if (crops.isEmpty()) {
      throw new IllegalArgumentException("no new images to replace those of '" + name + "' with");
    }
    synchronized (lock(name)) {
      Path folder = folder(name);
      List<Path> old = Files.isDirectory(folder) ? ImageFiles.under(folder, 1) : List.of();
      for (Image crop : crops) {
        add(name, crop);
      }
      memory.remove(name);
      for (Path p : old) {
        Files.deleteIfExists(p);
      }
      // Caches name the files they were made from, so stale ones would only be recomputed; and
      // temporary files of a write a crash cut short hold face pixels: both go.
      try (Stream<Path> leftovers = Files.list(folder)) {
        for (Path p : leftovers.toList()) {
          String file = p.getFileName().toString();
          if (file.startsWith(CACHE_PREFIX) || (file.startsWith(".") && file.endsWith(".tmp"))) {
            Files.deleteIfExists(p);
          }
        }
      }
      LOG.info("replaced the {} images of {} with {} new ones", old.size(), name, crops.size());
      return old.size();
    }
  }

  /** What {@link #forget} removed: the person's folder, their images and cached embeddings. */
  public record Forgotten(Path folder, int images, int embeddingCaches) {
    public int files() {
      return images + embeddingCaches;
    }
  }

  /** Removes the person's folder: every image and every cached embedding file in it. */
  public Forgotten forget(String name) throws IOException {
    synchronized (lock(name)) {
      Path folder = folder(name);
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException(
            "nobody called '" + name + "' is enrolled; enrolled: " + describe(people()));
      }
      memory.remove(name);
      List<Path> files;
      try (Stream<Path> all = Files.walk(folder)) {
        files = all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
      }
      int images = 0;
      int caches = 0;
      for (Path p : files) {
        if (Files.isRegularFile(p)) {
          if (p.getFileName().toString().startsWith(CACHE_PREFIX)) {
            caches++;
          } else {
            images++;
          }
        }
        Files.delete(p);
      }
      LOG.info("forgot {}: {} images, {} embedding caches deleted", name, images, caches);
      return new Forgotten(folder, images, caches);
    }
  }

  /**
   * The embeddings of the person's images by {@code network}: from memory or the cache file when
   * they were made by this very network from these very files, computed (and cached) otherwise.
   */
  public Enrolled enrolled(String name, SiameseNetwork network) throws IOException {
    String modelId = network.describe().id();
    synchronized (lock(name)) {
      List<Path> images = images(name);
      if (images.isEmpty()) {
        throw new IllegalArgumentException("'" + name + "' has no verification images");
      }
      List<String> files = images.stream().map(p -> p.getFileName().toString()).toList();
      Cached cached = memory.get(name);
      if (cached == null || !cached.modelId().equals(modelId) || !cached.files().equals(files)) {
        cached = readCache(name, modelId);
      }
      if (cached == null || !cached.files().equals(files)) {
        List<Image> decoded = new ArrayList<>(images.size());
        for (Path p : images) {
          decoded.add(decoder.decode(p));
        }
        cached = new Cached(modelId, files, network.embed(decoded));
        writeCache(name, cached);
        LOG.info("embedded {} images of {} with model {}", files.size(), name, modelId);
      }
      memory.put(name, cached);
      return new Enrolled(images, cached.embeddings());
    }
  }

  private Cached readCache(String name, String modelId) {
    Path file = folder(name).resolve(CACHE_PREFIX + key(modelId));
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      if (in.readInt() != CACHE_FORMAT || !in.readUTF().equals(modelId)) {
        return null;
      }
      int count = in.readInt();
      List<String> files = new ArrayList<>(count);
      List<Embedding> embeddings = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        files.add(in.readUTF());
        float[] v = new float[in.readInt()];
        for (int k = 0; k < v.length; k++) {
          v[k] = in.readFloat();
        }
        embeddings.add(new Embedding(modelId, v));
      }
      return new Cached(modelId, List.copyOf(files), List.copyOf(embeddings));
    } catch (IOException | RuntimeException e) {
      // A damaged cache costs a recomputation, nothing more.
      LOG.warn("ignoring unreadable embedding cache {}: {}", file, e.toString());
      return null;
    }
  }

  private void writeCache(String name, Cached cached) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(CACHE_FORMAT);
      out.writeUTF(cached.modelId());
      out.writeInt(cached.files().size());
      for (int i = 0; i < cached.files().size(); i++) {
        out.writeUTF(cached.files().get(i));
        float[] v = cached.embeddings().get(i).toArray();
        out.writeInt(v.length);
        for (float f : v) {
          out.writeFloat(f);
        }
      }
    }
    Path folder = folder(name);
    String keep = CACHE_PREFIX + key(cached.modelId());
    // Caches of other models are stale the moment this one exists.
    try (Stream<Path> children = Files.list(folder)) {
      for (Path p : children.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(CACHE_PREFIX) && !n.equals(keep)) {
          Files.deleteIfExists(p);
        }
      }
    }
    PrivateFiles.write(folder.resolve(keep), bytes.toByteArray());
  }

  private Path folder(String name) {
    return root.resolve(PersonName.check(name));
  }

  private Object lock(String name) {
    return locks.computeIfAbsent(name, n -> new Object());
  }

  private static String key(String modelId) {
    if (modelId.matches("[A-Za-z0-9_-]{1,64}")) {
      return modelId;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(modelId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String describe(List<String> people) {
    return people.isEmpty() ? "nobody" : String.join(", ", people);
  }
}
