package org.oneshot.pipeline.internal.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.oneshot.api.Image;
import org.oneshot.pipeline.internal.image.ImageDecoder;
import org.oneshot.pipeline.internal.io.Json;
import org.oneshot.pipeline.internal.verification.FaceVerifier;
import org.oneshot.pipeline.internal.verification.FaceVerifier.Thresholds;
import org.oneshot.pipeline.internal.verification.VerificationRule;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code face:verify} (1:1) and {@code face:identify} (1:N) against the gallery. */
@Component(
    service = VerifyCommands.class,
    immediate = true,
    property = {
      "osgi.command.scope=face",
      "osgi.command.function=verify",
      "osgi.command.function=identify"
    })
public final class VerifyCommands {
  @Reference private FaceVerifier verifier;

  private final ImageDecoder decoder = new ImageDecoder();

  @Descriptor(
      "verify that an image shows an enrolled person: each of their verification images is a match"
          + " when its score reaches the detection threshold; verified when the fraction of matches"
          + " exceeds the verification threshold")
  public String verify(
      @Descriptor(
              "score a pair must reach to match (default: configured, else the model's threshold"
                  + " chosen on validation pairs)")
          @Parameter(names = "--detection-threshold", absentValue = "-1")
          double detection,
      @Descriptor("fraction of matches to exceed (default: configured, 0.5)")
          @Parameter(names = "--verification-threshold", absentValue = "-1")
          double verification,
      @Descriptor("the image is a face crop already: use it whole, without detection")
          @Parameter(names = "--cropped", absentValue = "false", presentValue = "true")
          boolean cropped,
      @Descriptor("detector name (default: configured, else the highest-ranked present)")
          @Parameter(names = "--detector", absentValue = "")
          String detector,
      @Descriptor("also write every score and the decision (\"verified\") as JSON to this file")
          @Parameter(names = "--json", absentValue = "")
          String json,
      @Descriptor("the enrolled person's name") String name,
      @Descriptor("the probe image") String image)
      throws IOException {
    Image face = verifier.face(decoder.decode(Path.of(image)), image, cropped, detector);
    FaceVerifier.Verification v =
        verifier.verify(name, face, Thresholds.of(detection, verification));
    VerificationRule.Decision d = v.decision();
    if (!json.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("person", name);
      out.put("probe", image);
      out.put("backend", v.backend());
      out.put("scoring", v.scoring());
      out.put("model", v.modelId());
      out.put("detectionThreshold", v.rule().detectionThreshold());
      out.put("detectionThresholdSource", v.detectionThresholdSource());
      out.put("verificationThreshold", v.rule().verificationThreshold());
      List<Map<String, Object>> scores = new ArrayList<>();
      for (int i = 0; i < d.scores().length; i++) {
        scores.add(
            Map.of(
                "image",
                v.images().get(i).getFileName().toString(),
                "score",
                d.scores()[i],
                "match",
                d.scores()[i] >= v.rule().detectionThreshold()));
      }
      out.put("scores", scores);
      out.put("matches", d.matches());
      out.put("fraction", d.fraction());
      out.put("meanScore", d.meanScore());
      out.put("verified", d.verified());
      Json.write(Path.of(json), out);
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s: %s %s (%s)%n  %d of %d verification images match (%.2f > %.2f needed),"
                    + " detection threshold %.3f (%s)%n  %s scores",
                image,
                d.verified() ? "VERIFIED as" : "NOT verified as",
                name,
                v.backend(),
                d.matches(),
                d.scores().length,
                d.fraction(),
                v.rule().verificationThreshold(),
                v.rule().detectionThreshold(),
                v.detectionThresholdSource(),
                v.scoring()));
    for (double s : d.scores()) {
      text.append(String.format(Locale.ROOT, " %.3f", s));
    }
    return text.toString();
  }

  @Descriptor(
      "identify who an image shows (1:N): every enrolled person ranked by the fraction of their"
          + " images that match; 'unknown' when nobody is verified")
  public String identify(
      @Descriptor("score a pair must reach to match (default: configured, else the model's)")
          @Parameter(names = "--detection-threshold", absentValue = "-1")
          double detection,
      @Descriptor("fraction of matches the best person must exceed (default: configured, 0.5)")
          @Parameter(names = "--verification-threshold", absentValue = "-1")
          double verification,
      @Descriptor("the image is a face crop already: use it whole, without detection")
          @Parameter(names = "--cropped", absentValue = "false", presentValue = "true")
          boolean cropped,
      @Descriptor("detector name (default: configured, else the highest-ranked present)")
          @Parameter(names = "--detector", absentValue = "")
          String detector,
      @Descriptor("how many of the ranking to print (default 5)")
          @Parameter(names = "--top", absentValue = "5")
          int top,
      @Descriptor("also write the ranking and the answer (\"identity\", null if unknown) as JSON")
          @Parameter(names = "--json", absentValue = "")
          String json,
      @Descriptor("the probe image") String image)
      throws IOException {
    Image face = verifier.face(decoder.decode(Path.of(image)), image, cropped, detector);
    FaceVerifier.Identification id =
        verifier.identify(face, Thresholds.of(detection, verification));
    if (!json.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("probe", image);
      out.put("backend", id.backend());
      out.put("scoring", id.scoring());
      out.put("identity", id.identity().orElse(null));
      List<Map<String, Object>> ranking = new ArrayList<>();
      for (FaceVerifier.Candidate c : id.ranking()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("person", c.person());
        row.put("fraction", c.decision().fraction());
        row.put("meanScore", c.decision().meanScore());
        row.put("detectionThreshold", c.rule().detectionThreshold());
        row.put("detectionThresholdSource", c.detectionThresholdSource());
        row.put("verificationThreshold", c.rule().verificationThreshold());
        row.put("verified", c.decision().verified());
        ranking.add(row);
      }
      out.put("ranking", ranking);
      Json.write(Path.of(json), out);
    }
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s: %s (%s), %s scores",
                image,
                id.identity().orElse("unknown"),
                id.backend(),
                id.scoring()));
    id.ranking().stream()
        .limit(Math.max(1, top))
        .forEach(
            c ->
                text.append(
                    String.format(
                        Locale.ROOT,
                        "%n  %-24s %3.0f%% match (> %.0f%% needed)  mean score %.3f  detection"
                            + " threshold %.3f (%s)%s",
                        c.person(),
                        100 * c.decision().fraction(),
                        100 * c.rule().verificationThreshold(),
                        c.decision().meanScore(),
                        c.rule().detectionThreshold(),
                        c.detectionThresholdSource(),
                        c.decision().verified() ? "  verified" : "")));
    return text.toString();
  }
}
