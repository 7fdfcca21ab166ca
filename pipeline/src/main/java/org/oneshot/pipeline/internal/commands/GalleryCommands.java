package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.FaceDetector;
import org.oneshot.api.Frame;
import org.oneshot.api.FrameStream;
import org.oneshot.api.Image;
import org.oneshot.api.UnreadableFile;
import org.oneshot.pipeline.internal.dataset.ImageFiles;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.image.UnreadableImageException;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.FrameSources;
import org.oneshot.pipeline.internal.plugins.Plugin;
import org.oneshot.pipeline.internal.verification.FaceVerifier;
import org.oneshot.pipeline.internal.verification.Gallery;
import org.oneshot.pipeline.internal.verification.PersonName;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code face:enrol}, {@code face:people}, {@code face:forget} — the gallery of people to verify.
 * Enrolling needs no training: the network embeds the new faces the first time they are used.
 */
@Component(
    service = GalleryCommands.class,
    immediate = true,
    property = {
      "osgi.command.scope=face",
      "osgi.command.function=enrol",
      "osgi.command.function=people",
      "osgi.command.function=forget"
    })
public final class GalleryCommands {
  private static final int FOLDER_DEPTH = 4;

  @Reference private FaceVerifier verifier;
  @Reference private FrameSources sources;

  private final ImageDecoder decoder = new ImageDecoder();

  @Descriptor(
      "enrol a person: the largest face of each image (or of frames from a source) becomes one of"
          + " their verification images; no retraining needed")
  public String enrol(
      CommandSession session,
      @Descriptor(
              "take faces from a source instead of files: camera:INDEX, video:FILE or folder:DIR")
          @Parameter(names = "--source", absentValue = "")
          String source,
      @Descriptor("with --source: how many faces to enrol (default 10)")
          @Parameter(names = "--count", absentValue = "10")
          int count,
      @Descriptor("the images are face crops already: use them whole, without detection")
          @Parameter(names = "--cropped", absentValue = "false", presentValue = "true")
          boolean cropped,
      @Descriptor("detector name (default: configured, else the highest-ranked present)")
          @Parameter(names = "--detector", absentValue = "")
          String detector,
      @Descriptor("replace the person's verification images instead of adding to them")
          @Parameter(names = "--replace", absentValue = "false", presentValue = "true")
          boolean replace,
      @Descriptor("also write the result as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json,
      @Descriptor("the person's name (letters, digits, '_', '.', '-')") String name,
      @Descriptor("image files or folders (searched recursively)") String... targets)
      throws IOException {
    Gallery gallery = verifier.gallery();
    PersonName.check(name);
    // Faces are gathered first: when none is usable, the person's images stay as they were.
    List<Image> saved = new ArrayList<>();
    List<UnreadableFile> skipped = new ArrayList<>();
    Progress progress = new Progress(session.getConsole());
    if (!source.isEmpty()) {
      if (targets.length > 0) {
        throw new IllegalArgumentException("give either --source or image files, not both");
      }
      if (count <= 0) {
        throw new IllegalArgumentException("--count must be positive");
      }
      Plugin<FaceDetector> chosen = verifier.detector(detector);
      try (FrameStream stream = sources.open(source)) {
        while (saved.size() < count) {
          Optional<Frame> frame = stream.next();
          if (frame.isEmpty()) {
            break;
          }
          String what = stream.sourceId() + " frame " + frame.get().index();
          List<FaceVerifier.Face> faces = verifier.frameFaces(chosen, frame.get().image(), what);
          if (!faces.isEmpty()) {
            saved.add(faces.get(0).crop());
          }
          progress.update(saved.size() + "/" + count + " faces enrolled");
        }
      }
    } else {
      if (targets.length == 0) {
        throw new IllegalArgumentException("give image files or folders, or --source SRC");
      }
      for (Path file : files(targets)) {
        try {
          Image image = decoder.decode(file);
          saved.add(verifier.face(image, file.toString(), cropped, detector));
        } catch (UnreadableImageException e) {
          skipped.add(new UnreadableFile(e.file(), e.reason()));
        } catch (IllegalArgumentException e) {
          skipped.add(new UnreadableFile(file.toString(), e.getMessage()));
        }
        progress.update(saved.size() + " faces enrolled, " + skipped.size() + " skipped");
      }
    }
    if (saved.isEmpty()) {
      throw new IllegalArgumentException(
          "no face enrolled for '"
              + name
              + "'"
              + (skipped.isEmpty() ? "" : ": " + skipped.get(0) + " (and " + (skipped.size() - 1))
              + (skipped.isEmpty() ? "" : " more)"));
    }
    if (replace) {
      gallery.replace(name, saved);
    } else {
      for (Image face : saved) {
        gallery.add(name, face);
      }
    }
    int total = gallery.images(name).size();
    if (!json.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("person", name);
      out.put("enrolled", saved.size());
      out.put("images", total);
      out.put("skipped", skipped);
      Json.write(Path.of(json), out);
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "enrolled %d face%s of %s (%d verification images in all)",
                saved.size(),
                saved.size() == 1 ? "" : "s",
                name,
                total));
    if (!skipped.isEmpty()) {
      text.append(String.format(Locale.ROOT, "%n  skipped %d:", skipped.size()));
      Unreadable.append(text, skipped);
    }
    return text.toString();
  }

  @Descriptor("list the enrolled people and how many verification images each has")
  public String people(
      @Descriptor("also write the list as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException {
    Gallery gallery = verifier.gallery();
    Map<String, Integer> people = new LinkedHashMap<>();
    for (String person : gallery.people()) {
      people.put(person, gallery.images(person).size());
    }
    if (!json.isEmpty()) {
      Json.write(Path.of(json), Map.of("gallery", gallery.root().toString(), "people", people));
    }
    if (people.isEmpty()) {
      return "nobody is enrolled (gallery " + gallery.root() + ")";
    }
    StringBuilder text = new StringBuilder(people.size() + " enrolled (" + gallery.root() + ")");
    people.forEach(
        (person, images) ->
            text.append(String.format(Locale.ROOT, "%n  %-24s %d images", person, images)));
    return text.toString();
  }

  @Descriptor("forget a person: delete their verification images and cached embeddings")
  public String forget(@Descriptor("the person's name") String name) throws IOException {
    Gallery.Forgotten gone = verifier.gallery().forget(name);
    return String.format(
        Locale.ROOT,
        "forgot %s: deleted %d face images and %d cached embedding files, and the folder %s",
        name,
        gone.images(),
        gone.embeddingCaches(),
        gone.folder());
  }

  private static List<Path> files(String[] targets) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String t : targets) {
      Path p = Path.of(t);
      if (!Files.exists(p)) {
        throw new NoSuchFileException(t, null, "no such image or folder");
      }
      files.addAll(ImageFiles.under(p, FOLDER_DEPTH));
    }
    return files;
  }
}
