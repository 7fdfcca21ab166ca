package org.oneshot.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.oneshot.distribution.plugins.CentreDetector;
import org.oneshot.distribution.plugins.DetectorActivator;
import org.oneshot.distribution.plugins.FailingDetector;
import org.oneshot.distribution.plugins.HangingDetector;
import org.oneshot.distribution.plugins.NonsenseDetector;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Third-party detector plugins, as the README's guide describes them: bundles built here on the fly
 * (TinyBundles), installed into the running application, chosen by name, removed again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DetectorPluginIT {
  @Inject private BundleContext context;
  @Inject private CommandProcessor processor;
  @Inject private ConfigurationAdmin configAdmin;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() throws Exception {
    File plugins = new File("target/plugins").getAbsoluteFile();
    plugins.mkdirs();
    build(CentreDetector.class, "centre", 5, new File(plugins, "centre-detector.jar"));
    build(FailingDetector.class, "failing", 100, new File(plugins, "failing-detector.jar"));
    build(HangingDetector.class, "hanging", 1, new File(plugins, "hanging-detector.jar"));
    build(NonsenseDetector.class, "nonsense", 1, new File(plugins, "nonsense-detector.jar"));
    List<Option> options = Distribution.bundles();
    options.add(systemProperty("oneshot.plugins").value(plugins.getPath()));
    return options.toArray(new Option[0]);
  }

  /** A plugin bundle: one detector class and the activator that registers it. */
  static void build(Class<?> detector, String name, int ranking, File jar) throws Exception {
    try (InputStream in =
        TinyBundles.bundle()
            .symbolicName("com.example.detector." + name)
            .addClass(detector)
            .addClass(DetectorActivator.class)
            .activator(DetectorActivator.class)
            .setHeader("Detector-Class", detector.getName())
            .setHeader("Detector-Name", name)
            .setHeader("Detector-Ranking", String.valueOf(ranking))
            .setHeader("Private-Package", detector.getPackageName())
            .build(TinyBundles.bndBuilder())) {
      Files.copy(in, jar.toPath(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  public void aThirdPartyDetectorIsInstalledChosenByNameAndRemoved() throws Exception {
    String photo = Distribution.data() + "/fixtures/debian-facedetect/grace_hopper_512x512.jpg";
    Bundle plugin = install("centre-detector.jar");
    try {
      String services = run("face:services");
      assertTrue(
          services,
          services.matches("(?s).*  centre\\s+ranking 5 .*com\\.example\\.detector\\.centre.*"));
      assertTrue(services, services.matches("(?s).*\\* haar .*"));
      String out = run("face:detect --detector centre " + photo);
      assertTrue(out, out.contains("1 face (centre"));
      assertTrue(out, out.contains("x 128  y 128  256x256"));
      assertTrue(run("face:detect " + photo).contains("(haar"));
    } finally {
      plugin.uninstall();
    }
    try {
      run("face:detect --detector centre " + photo);
      fail("the uninstalled detector is still chosen");
    } catch (IllegalArgumentException e) {
      assertEquals("no face detector named 'centre'; present: haar, lbp", e.getMessage());
    }
  }

  @Test
  public void aFailingDetectorFailsItsOwnCallsClearlyWhileHaarKeepsWorking() throws Exception {
    String photo = Distribution.data() + "/fixtures/debian-facedetect/grace_hopper_512x512.jpg";
    Bundle plugin = install("failing-detector.jar");
    try {
      // Ranked 100, the broken plugin is now the default detector.
      try {
        run("face:detect " + photo);
        fail("the failing detector did not fail");
      } catch (Exception e) {
        assertTrue(
            e.getMessage(),
            e.getMessage().startsWith("face detector 'failing' failed on " + photo));
        assertTrue(e.getMessage(), e.getMessage().contains("broken on purpose"));
      }
      assertTrue(run("face:detect --detector haar " + photo).contains("1 face (haar"));
    } finally {
      plugin.uninstall();
    }
    String out = run("face:detect " + photo);
    assertTrue(out, out.contains("1 face (haar"));
    assertFalse(out, out.contains("failing"));
  }

  @Test
  public void aHangingDetectorTimesOutByNameAndANonsenseOneIsRefusedByName() throws Exception {
    String photo = Distribution.data() + "/fixtures/debian-facedetect/grace_hopper_512x512.jpg";
    Configuration config = configAdmin.getConfiguration("org.oneshot.plugins", "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("detector.timeout.ms", 500L);
    config.update(props);
    Bundle hanging = install("hanging-detector.jar");
    Bundle nonsense = install("nonsense-detector.jar");
    try {
      assertTrue(
          Distribution.waitFor(
              () ->
                  Distribution.message(() -> run("face:detect --detector hanging " + photo))
                      .equals(
                          "face detector 'hanging' failed on "
                              + photo
                              + ": did not answer within 500 ms")));
      for (int i = 0; i < 2; i++) {
        String error = Distribution.message(() -> run("face:detect --detector nonsense " + photo));
        assertTrue(error, error.startsWith("face detector 'nonsense' failed on " + photo + ": "));
        assertTrue(error, error.contains(i == 0 ? "size must be positive" : "answered null"));
      }
      // Neither took the pipeline down: the default detector still answers, at once.
      assertTrue(run("face:detect " + photo).contains("1 face (haar"));
    } finally {
      hanging.uninstall();
      nonsense.uninstall();
      config.delete();
    }
  }

  @Test
  public void haarParametersComeFromConfigAdmin() throws Exception {
    String photo = Distribution.data() + "/fixtures/debian-facedetect/grace_hopper_512x512.jpg";
    assertTrue(run("face:detect " + photo).contains("1 face (haar"));
    Configuration config = configAdmin.getConfiguration("org.oneshot.detector.haar", "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("minSize", 300); // her face is 228 px wide
    config.update(props);
    try {
      assertTrue(Distribution.waitFor(() -> run("face:detect " + photo).contains("0 faces (haar")));
    } finally {
      config.delete();
    }
    assertTrue(Distribution.waitFor(() -> run("face:detect " + photo).contains("1 face (haar")));
  }

  @Test
  public void faceConfigShowsChecksAndAppliesSettingsBeforeTheNextCommandOnTheLine()
      throws Exception {
    String photo = Distribution.data() + "/fixtures/debian-facedetect/grace_hopper_512x512.jpg";
    String listed = run("face:config");
    for (String pid :
        List.of(
            "org.oneshot.verification",
            "org.oneshot.detector.haar",
            "org.oneshot.capture.camera",
            "org.oneshot.plugins")) {
      assertTrue(listed, listed.contains(pid));
    }
    try {
      // The next command already runs with the change: the detector was re-created in between.
      String changed = run("face:config org.oneshot.detector.haar minSize=300");
      assertTrue(changed, changed.contains("minSize                  300 (default 30)"));
      String detected = run("face:detect --detector haar " + photo);
      assertTrue(detected, detected.contains(": 0 faces (haar")); // her face is 228 px wide
      assertEquals(300, stored("org.oneshot.detector.haar").get("minSize"));
      String reset = run("face:config --reset org.oneshot.detector.haar");
      assertTrue(reset, reset.contains("minSize                  30 (default)"));
      detected = run("face:detect --detector haar " + photo);
      assertTrue(detected, detected.contains(": 1 face (haar"));
      assertNull(stored("org.oneshot.detector.haar"));

      // Refused before anything is stored, each with the setting and the reason.
      assertEquals(
          "minSize: 'big' is not a whole number",
          Distribution.message(() -> run("face:config org.oneshot.detector.haar minSize=big")));
      assertTrue(
          Distribution.message(() -> run("face:config org.oneshot.detector.haar scaleFactor=1.0"))
              .startsWith("scaleFactor: '1.0' refused: "));
      assertTrue(
          Distribution.message(
                  () -> run("face:config org.oneshot.verification verification.threshold=2"))
              .startsWith("verification.threshold: '2' refused: "));
      assertEquals(
          "org.oneshot.detector.haar has no setting 'colour'; its settings: scaleFactor,"
              + " minNeighbors, minSize",
          Distribution.message(
              () -> run("face:config org.oneshot.detector.haar minSize=40 colour=red")));
      assertTrue(
          Distribution.message(() -> run("face:config org.oneshot.nothing"))
              .startsWith("no component describes settings under 'org.oneshot.nothing'"));
      assertNull(stored("org.oneshot.detector.haar"));
      assertNull(stored("org.oneshot.verification"));
      assertTrue(run("face:detect " + photo).contains("1 face (haar"));
    } finally {
      Configuration[] left =
          configAdmin.listConfigurations("(service.pid=org.oneshot.detector.haar)");
      if (left != null) {
        left[0].delete();
      }
    }
  }

  /** The stored settings of {@code pid}, or null when it has none. */
  private java.util.Dictionary<String, Object> stored(String pid) throws Exception {
    Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
    return found == null ? null : found[0].getProperties();
  }

  private Bundle install(String jar) throws Exception {
    File file = new File(System.getProperty("oneshot.plugins"), jar);
    Bundle bundle = context.installBundle(file.toURI().toString());
    bundle.start();
    return bundle;
  }

  private String run(String line) throws Exception {
    return Distribution.run(processor, line);
  }
}
