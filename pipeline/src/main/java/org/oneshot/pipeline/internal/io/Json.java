package org.oneshot.pipeline.internal.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Path;

/** The JSON that commands write for scripts ({@code --json FILE}). */
public final class Json {
  private static final Gson GSON =
      new GsonBuilder()
          .setPrettyPrinting()
          .disableHtmlEscaping()
          .serializeSpecialFloatingPointValues()
          .create();

  private Json() {}

  public static String toJson(Object value) {
    return GSON.toJson(value);
  }

  public static void write(Path file, Object value) throws IOException {
    PrivateFiles.writeString(file, toJson(value) + "\n");
  }
}
