package org.oneshot.api;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Images labelled with who they show. Holds the samples (not their pixels, which are loaded on
 * demand), the files that were skipped as unreadable, and the loader that reads the pixels.
 */
public final class LabelledDataset {
  private final String name;
  private final List<Sample> samples;
  private final List<UnreadableFile> unreadable;
  private final ImageLoader loader;

  public LabelledDataset(
      String name, List<Sample> samples, List<UnreadableFile> unreadable, ImageLoader loader) {
    this.name = Objects.requireNonNull(name, "name");
    this.samples = List.copyOf(samples);
    this.unreadable = List.copyOf(unreadable);
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /** Where the dataset came from, e.g. its folder. */
  public String name() {
    return name;
  }

  public List<Sample> samples() {
    return samples;
  }

  public List<UnreadableFile> unreadable() {
    return unreadable;
  }

  public Image load(Sample sample) throws IOException {
    return loader.load(sample);
  }

  public ImageLoader loader() {
    return loader;
  }

  /** The samples grouped by identity, identities in order of first appearance. */
  public Map<String, List<Sample>> byIdentity() {
    Map<String, List<Sample>> groups = new LinkedHashMap<>();
    for (Sample s : samples) {
      groups.computeIfAbsent(s.identity(), k -> new java.util.ArrayList<>()).add(s);
    }
    return groups;
  }

  public int identityCount() {
    return (int) samples.stream().map(Sample::identity).distinct().count();
  }

  /** The samples that pass {@code keep}, with the same loader and unreadable files. */
  public LabelledDataset filter(Predicate<Sample> keep) {
    return new LabelledDataset(name, samples.stream().filter(keep).toList(), unreadable, loader);
  }

  /** Only the samples of the given identities. */
  public LabelledDataset withIdentities(Collection<String> identities) {
    java.util.Set<String> wanted = java.util.Set.copyOf(identities);
    return filter(s -> wanted.contains(s.identity()));
  }

  @Override
  public String toString() {
    return "LabelledDataset["
        + name
        + ", "
        + samples.size()
        + " images, "
        + identityCount()
        + " identities, "
        + unreadable.size()
        + " unreadable]";
  }
}
