package org.oneshot.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Every command that reads files, fed a corpus of broken and hostile ones: each bad file gets a
 * one-line error naming it and the reason, commands go on with the rest where that makes sense,
 * nothing already saved changes, and the application stays up.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostileInputIT {
  @Inject private BundleContext context;
  @Inject private CommandProcessor processor;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    return Distribution.bundles().toArray(new Option[0]);
  }

  @Test
  public void everyFileReadingCommandNamesEachBadFileAndKeepsWhatWasSaved() throws Exception {
    String att = Distribution.data() + "/att_faces";
    HostileCorpus corpus =
        new HostileCorpus(Distribution.scratch("oneshot-hostile"), Path.of(att, "s35", "1.pgm"));
    Path model = corpus.root.resolve("tiny.model");
    run(
        "face:train --data "
            + att
            + " --out '"
            + model
            + "' --epochs 1 --pairs 64 --holdout-match 's(3[1-9]|40)'");

    // enrol: a good person first; then only bad files — refused, the person unchanged.
    assertTrue(run("face:enrol --cropped --replace carla " + quoted(corpus.good)).contains("1"));
    String before = run("face:people");
    for (Map.Entry<Path, String> bad : corpus.badImages.entrySet()) {
      String error = failure("face:enrol --cropped carla " + quoted(bad.getKey()));
      assertOneLineNaming(error, bad.getKey(), bad.getValue());
    }
    assertEquals(before, run("face:people"));
    // ... a folder mixing them: the good one enrolled, every bad one listed by name.
    String mixed = run("face:enrol --cropped dora " + quoted(corpus.good.getParent()));
    for (Path bad : corpus.badImages.keySet()) {
      assertTrue(mixed, mixed.contains(bad.toString()));
    }
    // 1×1, 16-bit and four-channel images are images: small, deep or odd, they decode.
    assertTrue(
        run("face:enrol --cropped erik "
                + quoted(corpus.tinyImage)
                + " "
                + quoted(corpus.sixteenBit)
                + " "
                + quoted(corpus.cmyk))
            .contains("enrolled 3 faces of erik"));
    assertTrue(failure("face:enrol fritz " + quoted(corpus.noFace)).contains("no face"));
    assertTrue(
        failure("face:enrol --cropped gina " + quoted(corpus.emptyFolder))
            .contains("no face enrolled"));

    // verify, identify and detect: one probe, one clear error.
    for (Map.Entry<Path, String> bad : corpus.badImages.entrySet()) {
      assertOneLineNaming(
          failure("face:verify --cropped carla " + quoted(bad.getKey())),
          bad.getKey(),
          bad.getValue());
      assertOneLineNaming(
          failure("face:identify --cropped " + quoted(bad.getKey())), bad.getKey(), bad.getValue());
    }
    String noFace = failure("face:verify carla " + quoted(corpus.noFace));
    assertOneLineNaming(noFace, corpus.noFace, "no face");
    String detected = run("face:detect " + quoted(corpus.good.getParent()));
    for (Path bad : corpus.badImages.keySet()) {
      assertTrue(detected, detected.contains(bad.toString()));
    }

    // train on a tree with bad files, an empty person and a link loop: trains on the rest and
    // lists what it skipped; the existing model file is untouched when training is refused.
    byte[] modelBefore = Files.readAllBytes(model);
    String trained =
        run(
            "face:train --data "
                + quoted(corpus.tree)
                + " --out "
                + quoted(corpus.root.resolve("tree.model"))
                + " --epochs 1 --holdout 0");
    assertTrue(trained, trained.contains("skipped 4 unreadable files"));
    assertTrue(trained, trained.contains(corpus.tree.resolve("anna/zero.jpg") + ": empty file"));
    // Both people are copies of one face: no Fisherfaces to fit, the model is kept all the same.
    assertTrue(
        trained,
        trained.contains("no Fisherfaces for fused scoring: the people's images do not differ"));
    assertTrue(Files.isRegularFile(corpus.root.resolve("tree.model")));
    assertFalse(Files.exists(corpus.root.resolve("tree.fisherfaces")));
    assertTrue(
        failure("face:train --data " + quoted(corpus.emptyFolder) + " --out " + quoted(model))
            .contains(corpus.emptyFolder.toString()));
    assertTrue(java.util.Arrays.equals(modelBefore, Files.readAllBytes(model)));

    // a zip whose entries escape its root: refused by name, nothing written outside.
    String pairs = run("face:pairs --count 2 --data " + quoted(corpus.zipSlip));
    assertTrue(pairs, pairs.contains("../../escaped.png: entry escapes the archive root"));
    assertFalse(Files.exists(corpus.root.getParent().resolve("escaped.png")));
    assertFalse(Files.exists(Path.of("/tmp/escaped.png")));

    // an LFW pairs file with bad lines (listed by number on the console; LfwPairsTest) and no
    // pair the tree can score: a clear error naming the tree.
    String lfw =
        failure(
            "face:eval --model "
                + quoted(model)
                + " --protocol lfw-pairs --pairs "
                + quoted(corpus.badPairs)
                + " --data "
                + quoted(corpus.tree));
    assertTrue(lfw, lfw.startsWith(corpus.tree + ": 0 of "));

    // import of negatives from a tree of bad files: each listed, the good ones imported.
    Path workspace = corpus.root.resolve("workspace");
    String imported =
        run("face:import --workspace " + quoted(workspace) + " " + quoted(corpus.tree));
    assertTrue(imported, imported.contains(corpus.tree.resolve("bert/notes.png").toString()));

    // Still up: every bundle active, commands answer.
    for (String name : new String[] {"org.oneshot.pipeline", "org.oneshot.model.djl"}) {
      assertEquals(name, Bundle.ACTIVE, Distribution.installed(context, name).getState());
    }
    assertTrue(run("face:people").contains("carla"));
    try (Stream<Path> left = Files.list(corpus.root)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }

  private static void assertOneLineNaming(String error, Path file, String reason) {
    assertFalse(error, error.strip().contains("\n"));
    assertTrue(error, error.contains(file.toString()));
    assertTrue(error, error.toLowerCase().contains(reason.toLowerCase()));
  }

  /** Gogo quoting for paths with spaces. */
  private static String quoted(Path path) {
    return "'" + path + "'";
  }

  private String failure(String line) {
    try {
      String out = run(line);
      fail(line + " did not fail: " + out);
      return out;
    } catch (Exception e) {
      return String.valueOf(e.getMessage());
    }
  }

  private String run(String line) throws Exception {
    return Distribution.run(processor, line);
  }
}
