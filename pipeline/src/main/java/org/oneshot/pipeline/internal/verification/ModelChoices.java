package org.oneshot.pipeline.internal.verification;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.oneshot.pipeline.internal.io.PrivateFiles;

/**
 * What the user chose, kept across restarts in one small owner-only file: the model file of each
 * backend (the last one trained, or one named with {@code face:use}) and the backend to prefer.
 */
public final class ModelChoices {
  private static final String ACTIVE = "active.backend";
  private static final String MODEL = "model.";

  private final Path file;
  private final Properties values = new Properties();

  public ModelChoices(Path file) throws IOException {
    this.file = file;
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        values.load(in);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": not a properties file (" + e.getMessage() + ")", e);
      }
    }
  }

  public synchronized Optional<Path> model(String backend) {
    return Optional.ofNullable(values.getProperty(MODEL + backend)).map(Path::of);
  }

  public synchronized void setModel(String backend, Path model) throws IOException {
    values.setProperty(MODEL + backend, model.toAbsolutePath().normalize().toString());
    save();
  }

  /** The backend chosen with {@code face:use}, or empty for "the highest-ranked present". */
  public synchronized String active() {
    return values.getProperty(ACTIVE, "");
  }

  public synchronized void setActive(String backend) throws IOException {
    values.setProperty(ACTIVE, backend);
    save();
  }

  private void save() throws IOException {
    StringWriter text = new StringWriter();
    values.store(text, "oneshot: model file per backend and the backend in use");
    PrivateFiles.writeString(file, text.toString());
  }
}
