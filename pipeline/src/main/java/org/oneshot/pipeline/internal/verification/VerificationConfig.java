package org.oneshot.pipeline.internal.verification;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** ConfigAdmin settings of face verification (PID {@code org.oneshot.verification}). */
@ObjectClassDefinition(
    name = "oneshot face verification",
    description = "Thresholds, gallery folder and face detection used by enrol, verify and live")
public @interface VerificationConfig {
  @AttributeDefinition(
      name = "Detection threshold",
      min = "-1",
      max = "1",
      description =
          "Score a (probe, verification image) pair must reach to count as a match. A negative"
              + " value uses each person's own threshold (see below), else the one chosen on the"
              + " model's validation pairs.")
  double detection_threshold() default -1;

  @AttributeDefinition(
      name = "Verification threshold",
      min = "0",
      max = "1",
      description = "Fraction of matching pairs the person must exceed to be verified")
  double verification_threshold() default 0.5;

  @AttributeDefinition(
      name = "Each person's own threshold",
      description =
          "When no detection threshold is configured or given, fit one to each enrolled person:"
              + " their verification images rehearse attempts against each other and against the"
              + " cohort (the other enrolled people and the cohort folder), and the threshold"
              + " decides them with the fewest errors, both kinds weighed alike. Needs two images"
              + " of the person and five cohort faces; otherwise, and when off, the model's"
              + " threshold applies")
  boolean person_thresholds() default true;

  @AttributeDefinition(
      name = "Scoring",
      options = {
        @Option(
            label = "auto: fused where the model has its Fisherfaces, else the head",
            value = "auto"),
        @Option(label = "head: Koch's weighted L1 head, as trained", value = "head"),
        @Option(
            label = "fused: the embeddings' cosine fused with Fisherfaces of the training people",
            value = "fused")
      },
      description =
          "How a (probe, verification image) pair is scored. head: the network's head. fused: the"
              + " cosine of the embeddings fused with that of Fisherfaces fitted on the training"
              + " people's pixels, which face:train writes beside the model (NAME.fisherfaces); a"
              + " model without them is refused. auto (default): fused where the model has them,"
              + " else the head. Each person's own threshold is fitted on the scores in use, and"
              + " the model's own threshold is the fused one under fused scoring")
  String scoring() default "auto";

  @AttributeDefinition(
      name = "Cohort folder",
      description =
          "A folder of face crops of people who are not enrolled (e.g. a workspace's"
              + " negative_grayed, which face:import-negatives fills), added to the cohort each"
              + " person's own threshold is fitted against. Empty: the other enrolled people only")
  String cohort_dir() default "";

  @AttributeDefinition(
      name = "Gallery folder",
      description = "Where enrolled faces are kept; empty: <oneshot.home>/var/gallery")
  String gallery_dir() default "";

  @AttributeDefinition(
      name = "Face detector",
      description = "detector.name of the detector to use; empty: the highest-ranked present")
  String detector() default "";

  @AttributeDefinition(
      name = "Face margin",
      min = "0",
      description = "Margin added around a detected face, as a fraction of its size")
  double margin() default 0.15;

  @AttributeDefinition(
      name = "Frame detection width",
      min = "0",
      description =
          "Camera and video frames wider than this are shrunk to this width for face detection"
              + " only; boxes are scaled back and crops come from the full frame. Detection cost"
              + " grows with the pixels scanned; the smallest face found grows in proportion (30"
              + " pixels become 48 in a 640-pixel frame at 400). 0: detect at full size")
  int frame_detection_width() default 400;

  @AttributeDefinition(
      name = "Whole-frame detection interval",
      min = "1",
      description =
          "Live video searches the whole frame every this many frames, and at once when a face is"
              + " lost; the frames between are searched only around the faces last found. A face"
              + " entering the picture is found at the next whole-frame search. 1: search every"
              + " frame whole (no tracking)")
  int frame_whole_every() default 10;

  @AttributeDefinition(
      name = "Tracked face width",
      min = "1",
      description =
          "Between whole-frame searches, the region around a face is shrunk so that the face is"
              + " this many pixels wide (never enlarged). Keep it well above the detector's"
              + " smallest face (Haar's minSize, 30) so a face moving away is still found")
  int frame_tracked_face_width() default 80;
}
