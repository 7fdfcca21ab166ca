package org.oneshot.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The verification workflow inside Felix: enrol, verify on the backend in use, and hot swap —
 * stopping the active model bundle in the middle of a series of verify calls moves them to the
 * other backend; with none left, calls get the plain "no backend" answer.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VerifySwapIT {
  private static final String NO_BACKEND = "no siamese backend available";

  @Inject private BundleContext context;
  @Inject private CommandProcessor processor;
  @Inject private ConfigurationAdmin configAdmin;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    return Distribution.bundles().toArray(new Option[0]);
  }

  @Test
  public void verifyCallsSurviveTheActiveBackendLeavingMidSeries() throws Exception {
    String att = Distribution.data() + "/att_faces";
    // face:compare trains both on the same pairs; face:use then names each one's model.
    File compared = Distribution.scratch("oneshot-compare-it").toFile();
    String table =
        run(
            "face:compare --data "
                + att
                + " --holdout-match 's(3[1-9]|40)' --epochs 1 --pairs 200 --out "
                + compared
                + " --json "
                + compared
                + "/compare.json");
    assertTrue(table, table.matches("(?s).*djl/small +0\\.\\d+ +0\\.\\d+ .*"));
    assertTrue(table, table.matches("(?s).*dl4j/small +0\\.\\d+ +0\\.\\d+ .*"));
    assertTrue(table, table.contains("pixel NN floor"));
    // Each model's own threshold, as face:verify would apply it, on the same unseen pairs.
    assertTrue(table, table.contains("djl/small  at its own threshold"));
    assertTrue(table, table.contains("dl4j/small  at its own threshold"));
    assertTrue(new File(compared, "compare.pairs.roc.png").length() > 1000);
    File djl = new File(compared, "djl-small.model");
    File dl4j = new File(compared, "dl4j-small.model");
    run("face:use dl4j --model " + dl4j);
    String backends = run("face:use djl --model " + djl);
    assertTrue(backends, backends.contains("* djl"));
    assertTrue(backends, backends.contains("model " + dl4j.getAbsolutePath()));

    String enrolled =
        run(
            "face:enrol --cropped s35 "
                + att
                + "/s35/1.pgm "
                + att
                + "/s35/2.pgm "
                + att
                + "/s35/3.pgm");
    assertTrue(enrolled, enrolled.contains("enrolled 3 faces of s35"));
    assertTrue(run("face:people"), run("face:people").contains("s35"));
    String probe = att + "/s35/10.pgm";
    // By default (auto) scored fused: face:compare wrote each model's Fisherfaces beside it.
    assertTrue(new File(compared, "djl-small.fisherfaces").isFile());
    assertTrue(new File(compared, "dl4j-small.fisherfaces").isFile());
    String byDefault = run("face:verify --cropped s35 " + probe);
    assertTrue(byDefault, byDefault.contains("(djl)") && byDefault.contains("fused scores"));

    // Fused scoring named through ConfigAdmin, on each backend in turn; then the head, with s35's
    // images embedded again under the network's own id.
    Configuration verification = configAdmin.getConfiguration("org.oneshot.verification", "?");
    Hashtable<String, Object> fused = new Hashtable<>();
    fused.put("scoring", "fused");
    verification.update(fused);
    String fusedSource = "(fused scores of the training people's pairs in ";
    try {
      String byDjl = awaitOutput("face:verify --cropped s35 " + probe, fusedSource);
      assertTrue(byDjl, byDjl.contains("(djl)"));
      run("face:use dl4j");
      String byDl4j = run("face:verify --cropped s35 " + probe);
      assertTrue(byDl4j, byDl4j.contains("(dl4j)") && byDl4j.contains(fusedSource));
      run("face:use djl");
      Hashtable<String, Object> head = new Hashtable<>();
      head.put("scoring", "head");
      verification.update(head);
      String byHead = awaitOutput("face:verify --cropped s35 " + probe, "head scores");
      assertTrue(byHead, byHead.contains("(djl)") && byHead.contains("(model's validation pairs)"));
    } finally {
      verification.delete();
    }
    // Fisherfaces that appear after the model was loaded (face:train writes them seconds after
    // the model, and a verification may come between) are used once they are there.
    awaitOutput("face:verify --cropped s35 " + probe, "fused scores");
    File djlFisherfaces = new File(compared, "djl-small.fisherfaces");
    File away = new File(compared, "djl-small.fisherfaces.away");
    assertTrue(djlFisherfaces.renameTo(away));
    run("face:use djl --model " + djl);
    String headOnly = run("face:verify --cropped s35 " + probe);
    assertTrue(headOnly, headOnly.contains("head scores"));
    assertTrue(away.renameTo(djlFisherfaces));
    String fusedOnceThere = run("face:verify --cropped s35 " + probe);
    assertTrue(fusedOnceThere, fusedOnceThere.contains("fused scores"));

    // A series of verify calls on another thread; the djl bundle stops once it is under way.
    Bundle djlBundle = bundle("org.oneshot.model.djl");
    Bundle dl4jBundle = bundle("org.oneshot.model.dl4j");
    ExecutorService caller = Executors.newSingleThreadExecutor();
    CountDownLatch started = new CountDownLatch(3);
    AtomicBoolean stopped = new AtomicBoolean();
    List<String> outcomes = new ArrayList<>();
    Future<?> series =
        caller.submit(
            () -> {
              // Until the bundle has stopped and five more calls have run after that.
              for (int after = 0, i = 0; after < 5 && i < 2000; i++) {
                after += stopped.get() ? 1 : 0;
                try {
                  String out = run("face:verify --cropped s35 " + probe);
                  synchronized (outcomes) {
                    outcomes.add(
                        out.contains("(djl)") ? "djl" : out.contains("(dl4j)") ? "dl4j" : out);
                  }
                } catch (IllegalStateException e) {
                  synchronized (outcomes) {
                    outcomes.add(NO_BACKEND.equals(e.getMessage()) ? "none" : e.toString());
                  }
                } catch (Exception e) {
                  synchronized (outcomes) {
                    outcomes.add(e.toString());
                  }
                }
                started.countDown();
              }
              return null;
            });
    assertTrue(started.await(120, TimeUnit.SECONDS));
    djlBundle.stop();
    stopped.set(true);
    try {
      series.get(300, TimeUnit.SECONDS);
    } finally {
      caller.shutdownNow();
    }
    assertTrue(outcomes.toString(), outcomes.size() >= 8);
    for (String outcome : outcomes) {
      assertTrue(
          "every call verified on a backend: " + outcomes,
          outcome.equals("djl") || outcome.equals("dl4j"));
    }
    assertEquals("djl", outcomes.get(0));
    assertEquals(
        "after the stop, calls ran on dl4j: " + outcomes,
        "dl4j",
        outcomes.get(outcomes.size() - 1));
    assertTrue(run("face:backends").contains("* dl4j"));

    // Both engines have trained, loaded and verified in this JVM: none of it listens on the
    // network.
    assertEquals(List.of(), ListeningSockets.ofThisProcess());

    // No backend at all: the plain answer, and the app goes on.
    dl4jBundle.stop();
    try {
      run("face:verify --cropped s35 " + probe);
      fail("verified without a backend");
    } catch (IllegalStateException e) {
      assertEquals(NO_BACKEND, e.getMessage());
    }
    assertEquals(NO_BACKEND, run("face:backends").trim());

    // Back again: djl is preferred (face:use), its model reloads.
    djlBundle.start();
    dl4jBundle.start();
    assertTrue(run("face:verify --cropped s35 " + probe).contains("(djl)"));

    String forgot = run("face:forget s35");
    // Every trace: the images, the cached embeddings and the folder itself.
    assertTrue(
        forgot,
        forgot.matches(
            "(?s)forgot s35: deleted [1-9]\\d* face images and [1-9]\\d* cached embedding files, and the"
                + " folder .*s35\\s*"));
    java.nio.file.Path folder =
        java.nio.file.Path.of(forgot.substring(forgot.indexOf("the folder ") + 11).strip());
    assertFalse(folder.toString(), Files.exists(folder));
    try {
      run("face:verify --cropped s35 " + probe);
      fail("verified a forgotten person");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("nobody called 's35' is enrolled"));
    }
  }

  /** The source of the model's threshold under the default scoring, fused (the model has it). */
  private static final String MODEL_THRESHOLD = "(fused scores of the training people's pairs in ";

  @Test
  public void thresholdsComeFromConfigAdminUnlessTheCallGivesThem() throws Exception {
    // Runs after or before the other test: it brings its own model and person.
    String att = Distribution.data() + "/att_faces";
    File djl = train("djl", att);
    run("face:use djl --model " + djl);
    run("face:enrol --replace --cropped s33 " + att + "/s33/1.pgm " + att + "/s33/2.pgm");
    Configuration config = configAdmin.getConfiguration("org.oneshot.verification", "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("detection.threshold", 1.0); // nothing reaches a score of 1
    config.update(props);
    try {
      String out = awaitOutput("face:verify --cropped s33 " + att + "/s33/3.pgm", "(configured)");
      assertTrue(out, out.contains("NOT verified as s33"));
      assertTrue(out, out.contains("0 of 2 verification images match"));
      String given = run("face:verify --cropped --detection-threshold 0 s33 " + att + "/s33/3.pgm");
      assertTrue(given, given.contains("VERIFIED as s33") && given.contains("(given)"));
    } finally {
      config.delete();
    }
    awaitOutput("face:verify --cropped s33 " + att + "/s33/3.pgm", MODEL_THRESHOLD);
    String identified = run("face:identify --cropped " + att + "/s33/4.pgm");
    assertTrue(identified, identified.contains("s33"));

    // With five faces of someone else enrolled, s33 gets a threshold of their own...
    StringBuilder s34 = new StringBuilder("face:enrol --replace --cropped s34");
    for (int i = 1; i <= 5; i++) {
      s34.append(' ').append(att).append("/s34/").append(i).append(".pgm");
    }
    run(s34.toString());
    String own = run("face:verify --cropped s33 " + att + "/s33/3.pgm");
    assertTrue(own, own.contains("(person's own: 2 images rehearsed against 5 cohort faces)"));
    String ranked = run("face:identify --cropped " + att + "/s34/6.pgm");
    // Each candidate by their own rule: s33 against s34's five faces; s34's cohort, s33's two
    // faces, is too small, so the model's threshold decides for s34.
    assertTrue(
        ranked, ranked.contains("(person's own: 2 images rehearsed against 5 cohort faces)"));
    assertTrue(ranked, ranked.contains(MODEL_THRESHOLD));
    assertTrue(ranked, ranked.contains("(djl), fused scores"));
    // ... unless the configuration turns it off, and a missing cohort folder is named.
    props = new Hashtable<>();
    props.put("person.thresholds", false);
    config = configAdmin.getConfiguration("org.oneshot.verification", "?");
    config.update(props);
    try {
      awaitOutput("face:verify --cropped s33 " + att + "/s33/3.pgm", MODEL_THRESHOLD);
      props.put("person.thresholds", true);
      props.put("cohort.dir", "/nonexistent/cohort");
      config.update(props);
      String missing = "";
      for (int i = 0; i < 50 && !missing.contains("/nonexistent/cohort"); i++) {
        try {
          run("face:verify --cropped s33 " + att + "/s33/3.pgm");
          Thread.sleep(100);
        } catch (IllegalArgumentException e) {
          missing = e.getMessage();
        }
      }
      assertTrue(missing, missing.contains("cohort folder /nonexistent/cohort"));
    } finally {
      config.delete();
    }
    run("face:forget s34");
    run("face:forget s33");
    djl.delete();
  }

  /** Configuration reaches the component asynchronously: retries until the output says so. */
  private String awaitOutput(String line, String expected) throws Exception {
    String out = "";
    for (int i = 0; i < 50; i++) {
      out = run(line);
      if (out.contains(expected)) {
        return out;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never saw " + expected + " in: " + out);
  }

  private File train(String backend, String att) throws Exception {
    File model = Distribution.scratch("oneshot-verify-it").resolve(backend + ".model").toFile();
    String out =
        run(
            "face:train --backend "
                + backend
                + " --data "
                + att
                + " --out "
                + model
                + " --preset small --epochs 1 --pairs 200 --holdout-match 's(3[1-9]|40)'");
    assertTrue(out, out.contains("saved " + model));
    return model;
  }

  private Bundle bundle(String symbolicName) {
    return Distribution.installed(context, symbolicName);
  }

  private String run(String line) throws Exception {
    return Distribution.run(processor, line);
  }
}
