package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairSampler;
import org.oneshot.api.PairScheme;
import org.oneshot.api.UnreadableFile;
import org.oneshot.pipeline.internal.dataset.DatasetFormat;
import org.oneshot.pipeline.internal.dataset.DatasetReader;
import org.oneshot.pipeline.internal.dataset.WorkspaceVariant;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.io.Json;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code face:pairs} — samples labelled pairs from a dataset and summarises them. */
@Component(
    service = PairsCommand.class,
    immediate = true,
    property = {"osgi.command.scope=face", "osgi.command.function=pairs"})
public final class PairsCommand {
  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile PairSampler sampler;

  private final DatasetReader reader = new DatasetReader(new ImageDecoder());

  @Descriptor(
      "sample labelled pairs from a dataset (identity tree such as LFW or AT&T, Omniglot zip, or"
          + " the seed's workspace) and print identities, images, positives, negatives and"
          + " unreadable files")
  public String pairs(
      @Descriptor("dataset folder or Omniglot zip") @Parameter(names = "--data", absentValue = "")
          String data,
      @Descriptor("number of pairs, half positive and half negative (default 1000)")
          @Parameter(names = "--count", absentValue = "1000")
          int count,
      @Descriptor("random seed; the same seed gives the same pairs (default 42)")
          @Parameter(names = "--seed", absentValue = "42")
          long seed,
      @Descriptor(
              "anchor (the seed's anchor x positive/negative) or identity (same/different"
                  + " identity); default: anchor for a workspace, identity otherwise")
          @Parameter(names = "--scheme", absentValue = "")
          String scheme,
      @Descriptor("workspace crops to read: real (colour) or grayed (default real)")
          @Parameter(names = "--variant", absentValue = "real")
          String variant,
      @Descriptor("also write the summary, the unreadable files and the pairs as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json)
      throws IOException {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("--data DIR|ZIP is required");
    }
    Path path = Path.of(data);
    DatasetFormat format = DatasetReader.detect(path);
    LabelledDataset dataset = reader.open(path, parseVariant(variant));
    if (dataset.samples().isEmpty()) {
      throw new IllegalArgumentException(noImages(path, dataset.unreadable()));
    }
    PairScheme chosen = parseScheme(scheme, format);
    List<LabelledPair> pairs = sampler.sample(dataset, new PairRequest(chosen, count, seed));
    long positives = pairs.stream().filter(LabelledPair::same).count();

    if (!json.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("data", dataset.name());
      out.put("format", format.name().toLowerCase(Locale.ROOT));
      out.put("scheme", chosen.name().toLowerCase(Locale.ROOT));
      out.put("seed", seed);
      out.put("identities", dataset.identityCount());
      out.put("images", dataset.samples().size());
      out.put("positives", positives);
      out.put("negatives", pairs.size() - positives);
      out.put("unreadable", dataset.unreadable());
      out.put(
          "pairs",
          pairs.stream()
              .map(
                  p ->
                      Map.of(
                          "first",
                          p.first().location(),
                          "second",
                          p.second().location(),
                          "label",
                          p.label()))
              .toList());
      Json.write(Path.of(json), out);
    }
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%s (%s, %s pairs, seed %d)%n  identities  %d%n  images      %d%n  positives   %d%n"
                + "  negatives   %d%n  unreadable  %d",
            dataset.name(),
            format.name().toLowerCase(Locale.ROOT),
            chosen.name().toLowerCase(Locale.ROOT),
            seed,
            dataset.identityCount(),
            dataset.samples().size(),
            positives,
            pairs.size() - positives,
            dataset.unreadable().size()));
    Unreadable.append(text, dataset.unreadable());
    return text.toString();
  }

  private static PairScheme parseScheme(String scheme, DatasetFormat format) {
    if (scheme.isEmpty()) {
      return format == DatasetFormat.WORKSPACE ? PairScheme.ANCHOR : PairScheme.IDENTITY;
    }
    try {
      return PairScheme.valueOf(scheme.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--scheme must be anchor or identity, not '" + scheme + "'");
    }
  }

  private static WorkspaceVariant parseVariant(String variant) {
    try {
      return WorkspaceVariant.valueOf(variant.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--variant must be real or grayed, not '" + variant + "'");
    }
  }

  private static String noImages(Path path, List<UnreadableFile> unreadable) {
    StringBuilder message = new StringBuilder("no readable images in " + path);
    if (unreadable.isEmpty()) {
      message.append(" (expected ").append(path).append("/<identity>/<image>)");
    } else {
      message.append("; ").append(unreadable.size()).append(" unreadable:");
      Unreadable.append(message, unreadable);
    }
    return message.toString();
  }
}
