package org.oneshot.pipeline.internal.evaluation;

import java.util.ArrayList;
import java.util.List;
import org.oneshot.api.model.Architecture;

/**
 * Which views of a face a fusion describes it by — every face it projects, fitted, enrolled or
 * probed alike: each {@link FaceDescriptor} is the mean of its descriptors of those views, so that
 * a face seen a little differently, or from its other side, moves less. The fusion's file format
 * says which.
 */
enum ViewsDescribed {
  /** The face as it is: a fusion saved in format 3 or older (before stop 53). */
  AS_IS(3, "as it is"),

  /** The face and its mirror image (stop 53, format 4). */
  BOTH_WAYS(4, "with its mirror image"),

  /**
   * The face and its mirror image, and both turned by {@link #TURN} either way: six views (stop 54,
   * format 5). Chosen in numpy on the training people of {@code lfw-identities.sh}'s two splits (16
   * splits of each into fitted and held-out people, pairs): 0.857 → 0.861 (15 of 16) and 0.789 →
   * 0.795 (16 of 16) over {@link #BOTH_WAYS}; zooms as well gave no more. In the application, the
   * same models: LFW's held-out people pairs 0.797 → 0.805 (AUC 0.882 → 0.886), 10-way 0.693 →
   * 0.703; the other half of them 0.874 → 0.874 (AUC 0.944 → 0.948), 10-way 0.731 → 0.743; AT&T's
   * unseen people on the mean of three models pairs 0.936 → 0.938, 10-way 0.942 → 0.943. Each
   * turned view costs a probe about 2.3 ms of descriptors (AMD Zen 5).
   */
  TURNED_TOO(5, "with its mirror image and turned 0.1 radian either way");

  /** The angle, in radians, of {@link #TURNED_TOO}'s turned views: as the fit's own changes. */
  static final double TURN = 0.1;

  private static final List<ViewChange> TURNS =
      List.of(new ViewChange(1, TURN), new ViewChange(1, -TURN));

  /** The format of a fusion's file that describes faces so. */
  final int format;

  /** How a face is described, in words: "each face described …". */
  final String words;

  ViewsDescribed(int format, String words) {
    this.format = format;
    this.words = words;
  }

  /** What a fusion's file of {@code format} describes a face by. */
  static ViewsDescribed ofFormat(int format) {
    return format <= AS_IS.format ? AS_IS : format == BOTH_WAYS.format ? BOTH_WAYS : TURNED_TOO;
  }

  /** {@code kind}'s descriptor of {@code face}: the mean of its descriptors of these views. */
  float[] of(FaceDescriptor kind, FaceViews face, Architecture arch) {
    return switch (this) {
      case AS_IS -> kind.of(face, arch);
      case BOTH_WAYS -> kind.ofBothWays(face, arch);
      case TURNED_TOO -> {
        List<FaceViews> views = new ArrayList<>(List.of(face));
        TURNS.forEach(turn -> views.add(face.seen(turn)));
        List<float[]> described = new ArrayList<>();
        for (FaceViews view : views) {
          described.add(kind.of(view, arch));
          described.add(kind.ofMirrored(view, arch));
        }
        yield Vectors.mean(described);
      }
    };
  }
}
