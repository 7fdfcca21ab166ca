package org.oneshot.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot swap under load: 8 threads verify and identify in a loop while both model bundles are stopped
 * and started 20 times and a detector plugin comes and goes. Every answer is the one that backend
 * gave before the storm, or the plain "no backend" answer; nothing else is allowed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StormIT {
  private static final Logger LOG = LoggerFactory.getLogger(StormIT.class);
  private static final String NO_BACKEND = "no siamese backend available";

  @Inject private BundleContext context;
  @Inject private CommandProcessor processor;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() throws Exception {
    File plugins = new File("target/plugins").getAbsoluteFile();
    plugins.mkdirs();
    DetectorPluginIT.build(
        org.oneshot.distribution.plugins.CentreDetector.class,
        "centre",
        5,
        new File(plugins, "storm-centre-detector.jar"));
    List<Option> options = Distribution.bundles();
    options.add(
        org.ops4j.pax.exam.CoreOptions.systemProperty("oneshot.plugins").value(plugins.getPath()));
    return options.toArray(new Option[0]);
  }

  @Test
  public void callsAnswerRightOrSayNoBackendWhileBundlesComeAndGo() throws Exception {
    String att = Distribution.data() + "/att_faces";
    File models = Distribution.scratch("oneshot-storm").toFile();
    run(
        "face:compare --data "
            + att
            + " --holdout-match 's(3[1-9]|40)' --epochs 1 --pairs 200 --out "
            + models);
    run("face:use dl4j --model " + new File(models, "dl4j-small.model"));
    run("face:use djl --model " + new File(models, "djl-small.model"));
    for (String person : new String[] {"s35", "s36"}) {
      run(
          "face:enrol --cropped --replace "
              + person
              + " "
              + String.join(
                  " ",
                  List.of(1, 2, 3, 4).stream()
                      .map(i -> att + "/" + person + "/" + i + ".pgm")
                      .toList()));
    }
    List<String> calls = new ArrayList<>();
    for (String probe : new String[] {"s35/10", "s36/10", "s37/10"}) {
      calls.add("face:verify --cropped s35 " + att + "/" + probe + ".pgm");
      calls.add("face:identify --cropped " + att + "/" + probe + ".pgm");
    }
    // A photo goes through the detector, whose set changes during the storm.
    calls.add(
        "face:verify s35 "
            + Distribution.data()
            + "/fixtures/debian-facedetect/grace_hopper_512x512.jpg");
    Bundle djl = Distribution.installed(context, "org.oneshot.model.djl");
    Bundle dl4j = Distribution.installed(context, "org.oneshot.model.dl4j");

    // What each backend answers, alone: the only right answers.
    Map<String, String> expected = new HashMap<>();
    dl4j.stop();
    for (String call : calls) {
      expected.put(call + " djl", firstLine(run(call)));
    }
    dl4j.start();
    djl.stop();
    for (String call : calls) {
      expected.put(call + " dl4j", firstLine(run(call)));
    }
    djl.start();
    run(calls.get(0)); // both engines loaded and warm before the baseline
    int threadsBefore = threads();
    long rssBefore = rssKiB();

    AtomicBoolean storming = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger noBackend = new AtomicInteger();
    Map<String, String> wrong = new ConcurrentHashMap<>();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    List<Future<?>> loops = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int first = t;
      loops.add(
          callers.submit(
              () -> {
                for (int i = first; storming.get(); i++) {
                  String call = calls.get(i % calls.size());
                  try {
                    String line = firstLine(run(call));
                    String backend = line.contains("(dl4j") ? "dl4j" : "djl";
                    if (line.equals(expected.get(call + " " + backend))) {
                      answered.incrementAndGet();
                    } else {
                      wrong.put(call, line);
                    }
                  } catch (Exception e) {
                    if (NO_BACKEND.equals(e.getMessage())) {
                      noBackend.incrementAndGet();
                    } else {
                      wrong.put(call, e.toString());
                    }
                  }
                }
                return null;
              }));
    }
    File plugin = new File(System.getProperty("oneshot.plugins"), "storm-centre-detector.jar");
    for (int cycle = 0; cycle < 20; cycle++) {
      Bundle detector = context.installBundle(plugin.toURI().toString());
      detector.start();
      (cycle % 2 == 0 ? djl : dl4j).stop();
      Thread.sleep(150);
      (cycle % 2 == 0 ? dl4j : djl).stop();
      Thread.sleep(150);
      djl.start();
      dl4j.start();
      detector.uninstall();
      Thread.sleep(300);
    }
    Thread.sleep(2000); // calls on the reloaded models
    storming.set(false);
    for (Future<?> loop : loops) {
      loop.get(300, TimeUnit.SECONDS);
    }
    callers.shutdown();
    assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS));
    System.gc();
    Thread.sleep(1000);
    long rssAfter = rssKiB();
    int threadsAfter = threads();
    String report =
        String.format(
            "storm: %d right answers, %d 'no backend', %d wrong; threads %d -> %d; RSS %d -> %d MiB",
            answered.get(),
            noBackend.get(),
            wrong.size(),
            threadsBefore,
            threadsAfter,
            rssBefore / 1024,
            rssAfter / 1024);
    LOG.info(report);
    Files.writeString(Path.of("target/storm-report.txt"), report + System.lineSeparator());
    assertEquals("wrong answers: " + wrong, 0, wrong.size());
    assertTrue("too few calls: " + answered.get(), answered.get() >= 40);
    assertEquals(Bundle.ACTIVE, djl.getState());
    assertEquals(Bundle.ACTIVE, dl4j.getState());
    // No leaked threads: engines may keep their own pools, but not one per restart.
    assertTrue(threadsBefore + " -> " + threadsAfter, threadsAfter <= threadsBefore + 8);
    // Native memory back near its level: 20 reloads of two engines' models may not pile up.
    assertTrue(
        rssBefore / 1024 + " MiB -> " + rssAfter / 1024 + " MiB",
        rssAfter <= rssBefore + 1024 * 1024);
  }

  /** Live threads, less the plugin-call pools' idle workers (they expire after 60 s). */
  private static int threads() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !t.getName().matches("oneshot-(detector|model)-call-\\d+"))
            .count();
  }

  private static String firstLine(String out) {
    return out.strip().split("\\R", 2)[0];
  }

  private static long rssKiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new AssertionError("no VmRSS in /proc/self/status");
  }

  private String run(String line) throws Exception {
    return Distribution.run(processor, line);
  }
}
