package org.oneshot.pipeline.internal.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The LFW protocol files, unchanged: {@code pairs.txt} (View 2: a header {@code folds n}, then per
 * fold n matched and n mismatched lines) and {@code pairsDevTrain.txt}/{@code pairsDevTest.txt}
 * (View 1: a header {@code n}, then n matched and n mismatched lines, one fold). A matched line is
 * {@code name i j}, a mismatched one {@code name1 i name2 j}. Bad lines are collected, not fatal.
 */
public record LfwPairs(List<List<Pair>> folds, List<String> errors) {

  /** One protocol pair; {@code matched} when both images show the same person. */
  public record Pair(String name1, int index1, String name2, int index2, boolean matched) {
    /** Where the first image lies in an LFW tree: {@code ROOT/Name/Name_0001.jpg}. */
    public Path first(Path root) {
      return image(root, name1, index1);
    }

    public Path second(Path root) {
      return image(root, name2, index2);
    }

    private static Path image(Path root, String name, int index) {
      return root.resolve(name).resolve(String.format(Locale.ROOT, "%s_%04d.jpg", name, index));
    }
  }

  public LfwPairs {
    folds = folds.stream().map(List::copyOf).toList();
    errors = List.copyOf(errors);
  }

  public int pairCount() {
    return folds.stream().mapToInt(List::size).sum();
  }

  public static LfwPairs read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> errors = new ArrayList<>();
    int first = 0;
    while (first < lines.size() && lines.get(first).isBlank()) {
      first++;
    }
    if (first == lines.size()) {
      throw new IOException(file + ": empty pairs file");
    }
    String[] header = lines.get(first).trim().split("\\s+");
    int folds;
    int perSide;
    try {
      if (header.length == 2) {
        folds = Integer.parseInt(header[0]);
        perSide = Integer.parseInt(header[1]);
      } else if (header.length == 1) {
        folds = 1;
        perSide = Integer.parseInt(header[0]);
      } else {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IOException(
          file
              + ": line "
              + (first + 1)
              + ": expected a header 'folds pairs' or 'pairs', got '"
              + lines.get(first).trim()
              + "'");
    }
    if (folds <= 0 || perSide <= 0) {
      throw new IOException(file + ": line " + (first + 1) + ": header counts must be positive");
    }
    List<Pair> pairs = new ArrayList<>();
    for (int i = first + 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      try {
        pairs.add(parse(line));
      } catch (IllegalArgumentException e) {
        errors.add(file + ": line " + (i + 1) + ": " + e.getMessage());
      }
    }
    int expected = folds * perSide * 2;
    if (pairs.size() != expected) {
      errors.add(
          file
              + ": the header promises "
              + expected
              + " pairs ("
              + folds
              + " folds of "
              + perSide
              + " matched + "
              + perSide
              + " mismatched) but "
              + pairs.size()
              + " lines parse");
    }
    // Folds are consecutive blocks; if lines were lost, the last fold is short.
    List<List<Pair>> byFold = new ArrayList<>();
    int foldSize = perSide * 2;
    for (int start = 0; start < pairs.size(); start += foldSize) {
      byFold.add(pairs.subList(start, Math.min(pairs.size(), start + foldSize)));
    }
    return new LfwPairs(byFold, errors);
  }

  private static Pair parse(String line) {
    String[] f = line.split("\\s+");
    if (f.length == 3) {
      return new Pair(f[0], index(f[1]), f[0], index(f[2]), true);
    }
    if (f.length == 4) {
      return new Pair(f[0], index(f[1]), f[2], index(f[3]), false);
    }
    throw new IllegalArgumentException(
        "expected 'name i j' or 'name1 i name2 j', got " + f.length + " fields: '" + line + "'");
  }

  private static int index(String field) {
    try {
      int value = Integer.parseInt(field);
      if (value <= 0) {
        throw new IllegalArgumentException("image number must be positive: '" + field + "'");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an image number: '" + field + "'");
    }
  }
}
