package org.oneshot.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.oneshot.api.DatasetSplit;
import org.oneshot.api.LabelledDataset;
import org.oneshot.api.LabelledPair;
import org.oneshot.api.PairRequest;
import org.oneshot.api.PairSampler;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * Boots the distribution's bundle set (target/oneshot/bundle) in Felix and drives the face:*
 * commands through Gogo's CommandProcessor, as the shell does.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT {
  @Inject private BundleContext context;
  @Inject private CommandProcessor processor;

  @Configuration
  public Option[] config() {
    return Distribution.bundles().toArray(new Option[0]);
  }

  @Test
  public void servicesListsThePairSamplerInUse() throws Exception {
    String out = run("face:services");
    assertTrue(out, out.contains("PairSampler (sampler.name)"));
    assertTrue(out, out.matches("(?s).*\\* default\\s+ranking 0 .*org\\.oneshot\\.pipeline.*"));
    assertTrue(out, out.contains("SiameseModel (model.backend)"));
  }

  @Test
  public void pairsSamplesAttThroughTheShell() throws Exception {
    String out = run("face:pairs --data " + data() + "/att_faces --count 1000 --seed 7");
    assertTrue(out, out.contains("identities  40"));
    assertTrue(out, out.contains("images      400"));
    assertTrue(out, out.contains("positives   500"));
    assertTrue(out, out.contains("negatives   500"));
  }

  @Test
  public void aHigherRankedSamplerTakesOverAndTheDefaultReturnsWhenItLeaves() throws Exception {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(PairSampler.NAME, "refusing");
    props.put(Constants.SERVICE_RANKING, 10);
    ServiceRegistration<PairSampler> registration =
        context.registerService(PairSampler.class, new RefusingSampler(), props);
    String command = "face:pairs --data " + data() + "/att_faces --count 10";
    try {
      assertTrue(run("face:services").matches("(?s).*\\* refusing\\s+ranking 10 .*"));
      try {
        run(command);
        fail("the refusing sampler should have been used");
      } catch (IllegalStateException e) {
        assertEquals("refusing sampler in use", e.getMessage());
      }
    } finally {
      registration.unregister();
    }
    assertTrue(run(command).contains("positives   5"));
  }

  private String run(String line) throws Exception {
    return Distribution.run(processor, line);
  }

  private static String data() {
    return Distribution.data();
  }

  /** A third-party sampler that refuses every request, to see which sampler the shell uses. */
  private static final class RefusingSampler implements PairSampler {
    @Override
    public List<LabelledPair> sample(LabelledDataset dataset, PairRequest request) {
      throw new IllegalStateException("refusing sampler in use");
    }

    @Override
    public DatasetSplit splitByIdentity(LabelledDataset dataset, double testFraction, long seed) {
      throw new IllegalStateException("refusing sampler in use");
    }
  }
}
