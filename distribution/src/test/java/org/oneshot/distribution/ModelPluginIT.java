package org.oneshot.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
import org.oneshot.api.model.ModelArchive;
import org.oneshot.api.model.Presets;
import org.oneshot.distribution.plugins.MisbehavingModel;
import org.oneshot.distribution.plugins.ModelActivator;
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
 * Third-party model backends that misbehave, installed into the running application: one whose
 * embeddings never come (a timeout names it), one that answers NaN and one that throws (refused by
 * name). Neither takes verification down: choosing our own backend again verifies as before.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelPluginIT {
  @Inject private BundleContext context;
  @Inject private CommandProcessor processor;
  @Inject private ConfigurationAdmin configAdmin;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() throws Exception {
    File plugins = new File("target/plugins").getAbsoluteFile();
    plugins.mkdirs();
    for (String name : List.of("hanging", "stubborn", "nonsense", "throwing")) {
      build(name, new File(plugins, name + "-model.jar"));
    }
    List<Option> options = Distribution.bundles();
    options.add(
        org.ops4j.pax.exam.CoreOptions.systemProperty("oneshot.plugins").value(plugins.getPath()));
    return options.toArray(new Option[0]);
  }

  private static void build(String name, File jar) throws Exception {
    try (InputStream in =
        TinyBundles.bundle()
            .symbolicName("com.example.model." + name)
            .addClass(MisbehavingModel.class)
            .addClass(MisbehavingModel.Network.class)
            .addClass(ModelActivator.class)
            .activator(ModelActivator.class)
            .setHeader("Model-Name", name)
            .setHeader("Model-Ranking", "100")
            .setHeader("Private-Package", MisbehavingModel.class.getPackageName())
            .build(TinyBundles.bndBuilder())) {
      Files.copy(in, jar.toPath(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  public void hangingAndNonsenseBackendsFailTheirCallsByNameAndOursTakesOver() throws Exception {
    String att = Distribution.data() + "/att_faces";
    File work = Distribution.scratch("oneshot-model-plugin-it").toFile();
    File djl = new File(work, "djl.model");
    run(
        "face:train --backend djl --data "
            + att
            + " --out "
            + djl
            + " --epochs 1 --pairs 200 --holdout-match 's(3[1-9]|40)'");
    run(
        "face:enrol --replace --cropped s35 "
            + att
            + "/s35/1.pgm "
            + att
            + "/s35/2.pgm "
            + att
            + "/s35/3.pgm");
    String probe = "face:verify --cropped s35 " + att + "/s35/10.pgm";
    String before = run(probe);
    assertTrue(before, before.contains("(djl)"));

    Configuration config = configAdmin.getConfiguration("org.oneshot.plugins", "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("model.timeout.ms", 500L);
    config.update(props);
    Bundle hanging = install("hanging");
    Bundle nonsense = install("nonsense");
    Bundle throwing = install("throwing");
    Bundle stubborn = install("stubborn");
    try {
      run("face:use throwing --model " + modelFile(work, "throwing"));
      assertEquals(
          "siamese backend 'throwing' failed to embed 3 images: java.lang.IllegalStateException:"
              + " broken on purpose",
          Distribution.message(() -> run(probe)));

      run("face:use nonsense --model " + modelFile(work, "nonsense"));
      String error = Distribution.message(() -> run(probe));
      assertTrue(error, error.startsWith("siamese backend 'nonsense' failed to embed 3 images: "));
      assertTrue(error, error.endsWith("embedding 1 holds NaN"));

      run("face:use hanging --model " + modelFile(work, "hanging"));
      assertTrue(
          Distribution.waitFor(
              () ->
                  Distribution.message(() -> run(probe))
                      .equals(
                          "siamese backend 'hanging' failed to embed 3 images: did not answer"
                              + " within 500 ms")));
      assertEquals(Bundle.ACTIVE, hanging.getState());

      // A backend that ignores the interrupt keeps its call; until it returns, it is not called
      // again: later verifications fail at once instead of each waiting out the timeout.
      run("face:use stubborn --model " + modelFile(work, "stubborn"));
      String stuck = "siamese backend 'stubborn' failed to embed 3 images: ";
      assertEquals(stuck + "did not answer within 500 ms", Distribution.message(() -> run(probe)));
      String again = Distribution.message(() -> run(probe));
      assertTrue(
          again, again.startsWith(stuck + "still inside a call that did not answer within 500 ms"));
      // Its call returns after 3 s; then it is called (and times out) again.
      assertTrue(
          Distribution.waitFor(
              () ->
                  Distribution.message(() -> run(probe))
                      .equals(stuck + "did not answer within 500 ms")));

      // Our backend, chosen again, answers as it did before the plugins came.
      run("face:use djl");
      assertEquals(before, run(probe));
    } finally {
      hanging.uninstall();
      nonsense.uninstall();
      throwing.uninstall();
      stubborn.uninstall();
      config.delete();
    }
    assertEquals(before, run(probe));
  }

  /** A model file that names {@code backend}, which is all the misbehaving backends read. */
  private static File modelFile(File dir, String backend) throws Exception {
    File file = new File(dir, backend + ".model");
    ModelArchive.write(
        file.toPath(),
        MisbehavingModel.description(backend),
        Presets.SMALL,
        out -> out.write(new byte[] {1}));
    return file;
  }

  private Bundle install(String name) throws Exception {
    File file = new File(System.getProperty("oneshot.plugins"), name + "-model.jar");
    Bundle bundle = context.installBundle(file.toURI().toString());
    bundle.start();
    return bundle;
  }

  private String run(String line) throws Exception {
    return Distribution.run(processor, line);
  }
}
