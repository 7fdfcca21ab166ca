package org.oneshot.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Both backends inside Felix: train from the shell, hot-swap, survive a stop/start of their bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelBackendIT {
  @Inject private BundleContext context;
  @Inject private CommandProcessor processor;

  @Configuration
  public Option[] config() {
    return Distribution.bundles().toArray(new Option[0]);
  }

  @Test
  public void eachBackendTrainsInFelixAndSurvivesARestartWhileTheOtherKeepsServing()
      throws Exception {
    String att = Distribution.data() + "/att_faces";
    File djlModel = train("djl", att);
    File dl4jModel = train("dl4j", att);
    double djl = accuracy("djl", run("face:eval --model " + djlModel + " --data " + att));
    double dl4j = accuracy("dl4j", run("face:eval --model " + dl4jModel + " --data " + att));

    restart("org.oneshot.model.djl", "djl", djlModel, dl4jModel, "dl4j", att, djl, dl4j);
    restart("org.oneshot.model.dl4j", "dl4j", dl4jModel, djlModel, "djl", att, dl4j, djl);

    // With no backend at all, commands say so plainly.
    Bundle a = bundle("org.oneshot.model.djl");
    Bundle b = bundle("org.oneshot.model.dl4j");
    a.stop();
    b.stop();
    try {
      run("face:eval --model " + djlModel + " --data " + att);
      fail("evaluated without a backend");
    } catch (IllegalStateException e) {
      assertEquals("no siamese backend available", e.getMessage());
    } finally {
      a.start();
      b.start();
    }
    djlModel.delete();
    dl4jModel.delete();
  }

  private File train(String backend, String att) throws Exception {
    File model = Distribution.scratch("oneshot-it").resolve(backend + ".model").toFile();
    String out =
        run(
            "face:train --backend "
                + backend
                + " --data "
                + att
                + " --out "
                + model
                + " --preset small --epochs 1 --pairs 300 --holdout-match 's(3[1-9]|40)'");
    assertTrue(out, out.contains("epoch 1/1"));
    assertTrue(
        out, out.contains("saved " + model + " (" + backend + "/small, 1,345,345 parameters)"));
    return model;
  }

  /** Stops one backend's bundle: its models cannot load, the other's still can; then starts it. */
  private void restart(
      String bundle,
      String name,
      File model,
      File otherModel,
      String other,
      String att,
      double accuracy,
      double otherAccuracy)
      throws Exception {
    Bundle b = bundle(bundle);
    b.stop();
    try {
      run("face:eval --model " + model + " --data " + att);
      fail("evaluated a " + name + " model without its backend");
    } catch (IllegalArgumentException e) {
      assertEquals("no siamese backend named '" + name + "'; present: " + other, e.getMessage());
    }
    assertEquals(
        otherAccuracy,
        accuracy(other, run("face:eval --model " + otherModel + " --data " + att)),
        0.0);
    b.start();
    assertEquals(
        accuracy, accuracy(name, run("face:eval --model " + model + " --data " + att)), 0.0);
  }

  private Bundle bundle(String symbolicName) {
    return Distribution.installed(context, symbolicName);
  }

  private static double accuracy(String backend, String evalOutput) {
    assertTrue(evalOutput, evalOutput.contains("10 people, 30 left out as trained on"));
    Matcher m = Pattern.compile(backend + "/small\\s+accuracy (\\d\\.\\d+)").matcher(evalOutput);
    assertTrue(evalOutput, m.find());
    return Double.parseDouble(m.group(1));
  }

  private String run(String line) throws Exception {
    return Distribution.run(processor, line);
  }
}
