package org.oneshot.api.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.oneshot.api.ModelDescription;

/**
 * The one model file format of every backend: a zip holding {@value #METADATA} (backend, preset,
 * every architecture value, training summary, metrics, oneshot version, weights checksum) and
 * {@value #WEIGHTS} (the backend's own serialisation). Written aside and moved into place, owner
 * only; read back with checks that name the file and the reason.
 */
public final class ModelArchive {
  public static final String METADATA = "oneshot-model.properties";
  public static final String WEIGHTS = "weights.bin";
  static final String FORMAT = "oneshot-siamese/1";

  /** Writes a backend's weights. */
  @FunctionalInterface
  public interface WeightsWriter {
    void write(OutputStream out) throws IOException;
  }

  /** A model file's contents, checked. */
  public record Contents(ModelDescription description, Architecture architecture, byte[] weights) {}

  private ModelArchive() {}

  /** Writes {@code file} atomically: the old file stays whole until the new one is complete. */
  public static void write(
      Path file, ModelDescription description, Architecture architecture, WeightsWriter weights)
      throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    weights.write(buffer);
    byte[] bytes = buffer.toByteArray();

    Properties props = new Properties();
    props.setProperty("format", FORMAT);
    props.setProperty("id", description.id());
    props.setProperty("backend", description.backend());
    props.setProperty("preset", description.preset());
    props.setProperty("parameters", String.valueOf(architecture.parameterCount()));
    architecture.toMap().forEach((k, v) -> props.setProperty("architecture." + k, v));
    description.properties().forEach((k, v) -> props.setProperty("property." + k, v));
    props.setProperty("weights.bytes", String.valueOf(bytes.length));
    props.setProperty("weights.sha256", sha256(bytes));

    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not POSIX: the platform's defaults apply
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          ZipOutputStream zip =
              new ZipOutputStream(java.nio.channels.Channels.newOutputStream(channel))) {
        zip.putNextEntry(new ZipEntry(METADATA));
        props.store(zip, "oneshot siamese model");
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(WEIGHTS));
        zip.write(bytes);
        zip.closeEntry();
        zip.finish();
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads and checks {@code file}.
   *
   * @throws IOException naming the file: missing, not a model, truncated or corrupt, or saved by
   *     another backend than {@code backend}
   */
  public static Contents read(Path file, String backend) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such model file");
    }
    Properties props = null;
    byte[] weights = null;
    try (InputStream in = Files.newInputStream(file);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(METADATA)) {
          props = new Properties();
          props.load(new java.io.InputStreamReader(zip, StandardCharsets.ISO_8859_1));
        } else if (e.getName().equals(WEIGHTS)) {
          weights = zip.readAllBytes();
        }
      }
    } catch (ZipException | java.io.EOFException e) {
      throw new IOException(file + ": truncated or corrupt model file (" + e.getMessage() + ")", e);
    }
    if (props == null || !FORMAT.equals(props.getProperty("format"))) {
      throw new IOException(
          file + ": not a oneshot model file (no " + METADATA + " of format " + FORMAT + ")");
    }
    String savedBy = props.getProperty("backend", "?");
    if (!savedBy.equals(backend)) {
      throw new IOException(
          file
              + ": saved by the "
              + savedBy
              + " backend, not "
              + backend
              + "; load it with --backend "
              + savedBy);
    }
    if (weights == null) {
      throw new IOException(file + ": truncated model file (no " + WEIGHTS + ")");
    }
    if (!String.valueOf(weights.length).equals(props.getProperty("weights.bytes"))
        || !sha256(weights).equals(props.getProperty("weights.sha256"))) {
      throw new IOException(
          file + ": truncated or corrupt model file (weights do not match their checksum)");
    }
    Map<String, String> architecture = new TreeMap<>();
    Map<String, String> properties = new LinkedHashMap<>();
    for (String key : props.stringPropertyNames()) {
      if (key.startsWith("architecture.")) {
        architecture.put(key.substring("architecture.".length()), props.getProperty(key));
      } else if (key.startsWith("property.")) {
        properties.put(key.substring("property.".length()), props.getProperty(key));
      }
    }
    Architecture arch;
    try {
      arch = Architecture.fromMap(architecture);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": bad architecture in " + METADATA + ": " + e.getMessage(), e);
    }
    ModelDescription description =
        new ModelDescription(
            props.getProperty("id", "?"),
            savedBy,
            props.getProperty("preset", "?"),
            arch.toMap(),
            arch.inputWidth(),
            arch.inputHeight(),
            arch.channels(),
            arch.parameterCount(),
            properties);
    return new Contents(description, arch, weights);
  }

  /**
   * The backend that saved {@code file}, read from its metadata alone.
   *
   * @throws IOException naming the file when it is missing or not a model file
   */
  public static String backendOf(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such model file");
    }
    try (InputStream in = Files.newInputStream(file);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(METADATA)) {
          Properties props = new Properties();
          props.load(new java.io.InputStreamReader(zip, StandardCharsets.ISO_8859_1));
          if (FORMAT.equals(props.getProperty("format")) && props.getProperty("backend") != null) {
            return props.getProperty("backend");
          }
        }
      }
    } catch (ZipException | java.io.EOFException e) {
      throw new IOException(file + ": truncated or corrupt model file (" + e.getMessage() + ")", e);
    }
    throw new IOException(
        file + ": not a oneshot model file (no " + METADATA + " of format " + FORMAT + ")");
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }
}
