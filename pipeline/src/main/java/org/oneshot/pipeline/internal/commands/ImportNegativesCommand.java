package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.gogo.runtime.Reflective;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.Image;
import org.oneshot.api.Role;
import org.oneshot.api.UnreadableFile;
import org.oneshot.pipeline.internal.dataset.ImageFiles;
import org.oneshot.pipeline.internal.dataset.WorkspaceWriter;
import org.oneshot.pipeline.internal.faces.FacePreparation;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.image.UnreadableImageException;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.plugins.FaceDetectors;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code face:import-negatives} (also {@code face:import}; help under {@code face:importNegatives})
 * — the seed's get_lfw_data step: every image of every sub-folder of an LFW-style tree,
 * face-cropped into negative_real / negative_grayed. Crops keep their file name ({@code
 * Name_0001}), so the person stays known; a re-run skips what is already there.
 */
@Component(
    service = ImportNegativesCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=importNegatives"})
public final class ImportNegativesCommand {
  @Reference private FaceDetectors detectors;

  private final ImageDecoder decoder = new ImageDecoder();

  @Descriptor(
      "import other people's faces as negatives: every image of every sub-folder of an LFW-style"
          + " tree, face-cropped into the workspace's negative_real and negative_grayed")
  public String importNegatives(
      CommandSession session,
      @Descriptor("the workspace folder (created owner-only if missing)")
          @Parameter(names = "--workspace", absentValue = "")
          String workspace,
      @Descriptor("detector name (default: the highest-ranked detector present)")
          @Parameter(names = "--detector", absentValue = "")
          String detector,
      @Descriptor("margin added around the face, as a fraction of its size (default 0.15)")
          @Parameter(names = "--margin", absentValue = "0.15")
          double margin,
      @Descriptor("also write the counts and unreadable files as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json,
      @Descriptor("root of the tree: ROOT/<person>/<image>, as LFW") String root)
      throws IOException {
    if (workspace.isEmpty()) {
      throw new IllegalArgumentException("--workspace DIR is required");
    }
    Path tree = Path.of(root);
    if (!Files.isDirectory(tree)) {
      throw new NoSuchFileException(root, null, "no such folder");
    }
    List<Path> files =
        ImageFiles.under(tree, 2).stream().filter(p -> !p.getParent().equals(tree)).toList();
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          root + ": no images in its sub-folders (expected ROOT/<person>/<image>)");
    }
    FacePreparation preparation =
        new FacePreparation(
            detectors.select(detector),
            margin,
            new WorkspaceWriter(Path.of(workspace)),
            Role.NEGATIVE,
            0);
    Progress progress = new Progress(session.getConsole());
    int done = 0;
    for (Path file : files) {
      String name = ImageFiles.stem(file.getFileName().toString());
      if (!preparation.skipIfPresent(name)) {
        try {
          Image image = decoder.decode(file);
          preparation.add(image, name, file.toString());
        } catch (UnreadableImageException e) {
          preparation.unreadable(new UnreadableFile(e.file(), e.reason()));
        }
      }
      done++;
      progress.update(
          done + "/" + files.size() + " images, " + preparation.report().saved() + " faces saved");
    }
    FacePreparation.Report report = preparation.report();
    if (!json.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("root", root);
      out.put("workspace", workspace);
      out.put("detector", report.detector());
      out.put("images", report.images());
      out.put("saved", report.saved());
      out.put("noFace", report.noFace());
      out.put("alreadyPresent", report.alreadyPresent());
      out.put("unreadable", report.unreadable());
      out.put("msPerImage", report.detectMillisPerImage());
      Json.write(Path.of(json), out);
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s → %s (negative, %s)%n  images           %d%n  saved            %d%n"
                    + "  no face          %d%n  already present  %d%n  unreadable       %d",
                root,
                workspace,
                report.detector(),
                report.images(),
                report.saved(),
                report.noFace(),
                report.alreadyPresent(),
                report.unreadable().size()));
    return Unreadable.append(text, report.unreadable()).toString();
  }

  /**
   * {@code face:import-negatives}, the name the seed's step goes by. Gogo maps a command to a
   * method of the same name, which a hyphen rules out, so this alias forwards the call, options and
   * all.
   */
  @Component(
      service = Function.class,
      property = {
        "osgi.command.scope=face",
        "osgi.command.function=import-negatives",
        "osgi.command.function=import"
      })
  public static final class Alias implements Function {
    @Reference private ImportNegativesCommand command;

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
      return Reflective.invoke(session, command, "importNegatives", arguments);
    }
  }
}
