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

/** The DJL backend inside Felix: trains from the shell, survives a stop/start of its bundle. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelBackendIT {
  private static final Pattern ACCURACY = Pattern.compile("djl/small\\s+accuracy (\\d\\.\\d+)");

  @Inject private BundleContext context;
  @Inject private CommandProcessor processor;

  @Configuration
  public Option[] config() {
    return Distribution.bundles().toArray(new Option[0]);
  }

  @Test
  public void trainsInFelixAndScoresTheSameAfterTheBundleRestarts() throws Exception {
    String att = Distribution.data() + "/att_faces";
    File model = File.createTempFile("oneshot-it", ".model");
    String train =
        "face:train --backend djl --data "
            + att
            + " --out "
            + model
            + " --preset small --epochs 1"
            + " --pairs 300 --holdout-match 's(3[1-9]|40)'";
    String out = run(train);
    assertTrue(out, out.contains("epoch 1/1"));
    assertTrue(out, out.contains("saved " + model + " (djl/small, 1,345,345 parameters)"));

    String eval = "face:eval --model " + model + " --data " + att;
    String first = run(eval);
    assertTrue(first, first.contains("10 people, 30 left out as trained on"));
    double before = accuracy(first);

    Bundle djl = bundle("org.oneshot.model.djl");
    djl.stop();
    try {
      run(eval);
      fail("evaluated without a backend");
    } catch (IllegalStateException e) {
      assertEquals("no siamese backend available", e.getMessage());
    }
    assertTrue(run("face:services").matches("(?s).*SiameseModel \\(model.backend\\)\\s+none.*"));
    djl.start();
    assertEquals(before, accuracy(run(eval)), 0.0);
    model.delete();
  }

  private Bundle bundle(String symbolicName) {
    for (Bundle b : context.getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    throw new AssertionError(symbolicName + " is not installed");
  }

  private static double accuracy(String evalOutput) {
    Matcher m = ACCURACY.matcher(evalOutput);
    assertTrue(evalOutput, m.find());
    return Double.parseDouble(m.group(1));
  }

  private String run(String line) throws Exception {
    return Distribution.run(processor, line);
  }
}
