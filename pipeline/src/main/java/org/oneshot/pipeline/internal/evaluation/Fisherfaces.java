package org.oneshot.pipeline.internal.evaluation;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Fisherfaces (Belhumeur, Hespanha & Kriegman 1997): a linear projection of raw pixel vectors that
 * keeps what tells people apart and drops what varies within one person — PCA to {@link
 * #PCA_DIMENSIONS} dimensions, or more for many people ({@link #principalAxes}), then Fisher's
 * linear discriminant in that space, to at most one dimension fewer than those people. Fitted on
 * training people only; it projects anyone's images.
 */
final class Fisherfaces {
  /** The principal axes kept, unless many people widen them ({@link #principalAxes}). */
  static final int PCA_DIMENSIONS = 100;

  /** Within-person scatter gets this share of its mean variance added, so it always inverts. */
  private static final double REGULARISATION = 1e-3;

  /**
   * The share added instead where the axes were widened for many people ({@link #principalAxes}):
   * the further axes hold little variance, and the within-person scatter, estimated in several
   * hundred dimensions from a few images a person, needs shrinking towards its mean.
   */
  private static final double WIDE_REGULARISATION = 0.1;

  /** {@link #WIDE_REGULARISATION} where the discriminant also sees changed views ({@link #fit}). */
  private static final double WIDE_REGULARISATION_WITH_VIEW_CHANGES = 0.01;

  private final float[] mean;

  /** {@code axes[j]} maps a centred pixel vector to component j. */
  private final float[][] axes;

  private Fisherfaces(float[] mean, float[][] axes) {
    this.mean = mean;
    this.axes = axes;
  }

  /**
   * Fits the projection on {@code pixels[i]}, an image of {@code identities.get(i)}.
   *
   * @throws IllegalArgumentException for fewer than two identities, images of unequal sizes, or
   *     images that are all alike
   */
  static Fisherfaces fit(List<float[]> pixels, List<String> identities) {
    return fit(pixels, identities, List.of(), List.of());
  }

  /**
   * {@link #fit(List, List)} with {@code more} images ({@code moreIdentities}: mirror images, say)
   * that join the discriminant but not the PCA, whose Gram matrix costs the square of the images it
   * sees: they still say what varies within a person. On AT&T (numpy, s1–s30 fitted, 10-way on
   * s31–s40) mirror images in the discriminant only did as well as in both: 0.869 against 0.870,
   * without them 0.866.
   */
  static Fisherfaces fit(
      List<float[]> pixels,
      List<String> identities,
      List<float[]> more,
      List<String> moreIdentities) {
    return fit(pixels, identities, more, moreIdentities, false);
  }

  /**
   * {@link #fit(List, List, List, List)} where {@code more} holds, where {@code changedViews},
   * changed views of the images too ({@link ViewChange}): their rows fill the within-person
   * scatter's further directions, so a wide fit shrinks it by {@link
   * #WIDE_REGULARISATION_WITH_VIEW_CHANGES} instead. Chosen on training people alone (numpy, 16
   * splits of the training people of {@code lfw-identities.sh}, all seven descriptors): with the
   * changed views, pairs 0.843 at 0.03 and 0.847 at 0.01, against 0.836 at 0.1 without them (0.838
   * at 0.03).
   */
  static Fisherfaces fit(
      List<float[]> pixels,
      List<String> identities,
      List<float[]> more,
      List<String> moreIdentities,
      boolean changedViews) {
    int people =
        (int) Stream.concat(identities.stream(), moreIdentities.stream()).distinct().count();
    int axes = principalAxes(people, pixels.size());
    double shrinkage =
        changedViews && axes > PCA_DIMENSIONS
            ? WIDE_REGULARISATION_WITH_VIEW_CHANGES
            : regularisation(axes);
    return fit(pixels, identities, more, moreIdentities, axes, shrinkage);
  }

  /**
   * {@link #fit(List, List, List, List)} keeping at most {@code mostAxes} principal axes and adding
   * {@code shrinkage} of its mean variance to the within-person scatter, whatever the people.
   */
  static Fisherfaces fit(
      List<float[]> pixels,
      List<String> identities,
      List<float[]> more,
      List<String> moreIdentities,
      int mostAxes,
      double shrinkage) {
    int n = pixels.size();
    if (identities.size() != n) {
      throw new IllegalArgumentException(n + " images but " + identities.size() + " identities");
    }
    if (moreIdentities.size() != more.size()) {
      throw new IllegalArgumentException(
          more.size() + " more images but " + moreIdentities.size() + " identities");
    }
    int rows = n + more.size(); // the images, then the discriminant's more
    Map<String, List<Integer>> byIdentity = new LinkedHashMap<>();
    for (int i = 0; i < rows; i++) {
      String identity = i < n ? identities.get(i) : moreIdentities.get(i - n);
      byIdentity.computeIfAbsent(identity, k -> new ArrayList<>()).add(i);
    }
    int classes = byIdentity.size();
    if (classes < 2) {
      throw new IllegalArgumentException("a discriminant needs two identities or more");
    }
    int d = pixels.get(0).length;
    double[] mu = new double[d];
    for (float[] x : more) {
      requireLength(x, d);
    }
    for (float[] x : pixels) {
      requireLength(x, d);
      for (int k = 0; k < d; k++) {
        mu[k] += x[k];
      }
    }
    for (int k = 0; k < d; k++) {
      mu[k] /= n;
    }
    double[][] centred = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        centred[i][k] = pixels.get(i)[k] - mu[k];
      }
    }
    // PCA through the n×n Gram matrix (n images, far fewer than pixels): for its eigenpair
    // (λ, u) the principal axis is Xᵀu/√λ and the images' coordinates on it are u√λ.
    double[][] gram = new double[n][n];
    // Rows in parallel: each entry is one dot product, the same whichever core computes it.
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              for (int j = 0; j <= i; j++) {
                gram[i][j] = Vectors.dot(centred[i], centred[j]);
              }
            });
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        gram[j][i] = gram[i][j];
      }
    }
    SymmetricEigen pca = SymmetricEigen.largest(gram, Math.min(mostAxes, n));
    int k = 0;
    // Fisher's rule: no more dimensions than the within-person scatter has (rows − people), so it
    // inverts; the discriminant's more images add rows to it, not to the PCA's n − 1.
    int most = Math.min(mostAxes, Math.max(1, Math.min(n - 1, rows - classes)));
    // Directions whose variance is rounding noise (pixels in [0, 1]) are not kept.
    double floor = Math.max(1e-9 * pca.values[0], 1e-12 * n * d);
    while (k < most && pca.values[k] > floor) {
      k++;
    }
    if (k == 0) {
      throw new IllegalArgumentException("the images do not vary: there is nothing to fit");
    }
    double[][] principal = new double[k][d];
    // Axes in parallel, as the Gram matrix's rows: each is summed by one core in one order.
    IntStream.range(0, k)
        .parallel()
        .forEach(
            c -> {
              double root = Math.sqrt(pca.values[c]);
              for (int i = 0; i < n; i++) {
                double weight = pca.vectors[c][i] / root;
                for (int p = 0; p < d; p++) {
                  principal[c][p] += weight * centred[i][p];
                }
              }
            });
    double[][] coordinates = new double[rows][k];
    for (int c = 0; c < k; c++) {
      double root = Math.sqrt(pca.values[c]);
      for (int i = 0; i < n; i++) {
        coordinates[i][c] = pca.vectors[c][i] * root;
      }
    }
    int components = k;
    IntStream.range(n, rows)
        .parallel()
        .forEach(
            i -> {
              float[] x = more.get(i - n);
              double[] centredX = new double[d];
              for (int p = 0; p < d; p++) {
                centredX[p] = x[p] - mu[p];
              }
              for (int c = 0; c < components; c++) {
                coordinates[i][c] = Vectors.dot(centredX, principal[c]);
              }
            });
    double[][] lda = discriminant(coordinates, byIdentity, Math.min(classes - 1, k), shrinkage);
    // Both steps in one: component j of a centred image x is Σ_c x·axis_c · lda[c][j].
    float[][] axes = new float[lda[0].length][d];
    int kept = k;
    IntStream.range(0, axes.length)
        .parallel()
        .forEach(
            j -> {
              for (int c = 0; c < kept; c++) {
                for (int p = 0; p < d; p++) {
                  axes[j][p] += (float) (principal[c][p] * lda[c][j]);
                }
              }
            });
    float[] mean = new float[d];
    for (int p = 0; p < d; p++) {
      mean[p] = (float) mu[p];
    }
    return new Fisherfaces(mean, axes);
  }

  /**
   * The principal axes the discriminant chooses its directions from, for {@code people} in {@code
   * images}: {@link #PCA_DIMENSIONS}, or twice as many as people where that is more — but no more
   * than half the images, so that the PCA still drops what varies least. The discriminant finds one
   * direction fewer than people; a fixed 100 axes left LFW's 326 training people fewer axes than
   * directions. Chosen on training people alone (numpy, LFW's shared faces, 6 splits by person of
   * 168 people fitted, the three descriptors): pairs 0.749 → 0.771 (higher in 6 of 6) with {@link
   * #WIDE_REGULARISATION}, 0.773 without the cap and 0.754 with a third of the images as the cap;
   * with the usual 0.001 only +1.0 and unsteady (with stop 50's Gabor magnitudes in). Fits of up to
   * 50 people, AT&amp;T's included, are as before: there 0.1 cost each person's own threshold 0.969
   * → 0.965 (AT&amp;T s31–s40, three models), and stop 49's 300 axes for everyone cost 0.4 points
   * of 10-way.
   */
  static int principalAxes(int people, int images) {
    return Math.max(PCA_DIMENSIONS, Math.min(2 * people, images / 2));
  }

  /**
   * Whether a fit of {@code people} whose PCA sees {@code images} is wide: more principal axes than
   * {@link #PCA_DIMENSIONS} ({@link #principalAxes}), shrunk by more than {@link #REGULARISATION}.
   */
  static boolean isWide(int people, int images) {
    return principalAxes(people, images) > PCA_DIMENSIONS;
  }

  /** The share of its mean variance added to the within-person scatter, fitted in {@code axes}. */
  static double regularisation(int axes) {
    return axes > PCA_DIMENSIONS ? WIDE_REGULARISATION : REGULARISATION;
  }

  /**
   * Fisher's discriminant of {@code x} (rows: images): the k×m matrix whose columns maximise the
   * between-person scatter over the within-person scatter — the within scatter whitened, then the
   * between scatter's leading eigenvectors in the whitened space.
   */
  private static double[][] discriminant(
      double[][] x, Map<String, List<Integer>> byIdentity, int m, double shrinkage) {
    int n = x.length;
    int k = x[0].length;
    double[] mu = new double[k];
    for (double[] row : x) {
      for (int c = 0; c < k; c++) {
        mu[c] += row[c] / n;
      }
    }
    double[][] within = new double[k][k];
    double[][] between = new double[k][k];
    List<double[]> centres = new ArrayList<>();
    for (List<Integer> members : byIdentity.values()) {
      double[] centre = new double[k];
      for (int i : members) {
        for (int c = 0; c < k; c++) {
          centre[c] += x[i][c] / members.size();
        }
      }
      centres.add(centre);
      addOuter(between, centre, mu, (double) members.size() / n);
    }
    // Rows of the within scatter in parallel (rows·k² products: most of a fit of many people),
    // each summed over the images in the same order as one core would.
    List<List<Integer>> groups = List.copyOf(byIdentity.values());
    IntStream.range(0, k)
        .parallel()
        .forEach(
            r -> {
              double[] row = within[r];
              for (int g = 0; g < groups.size(); g++) {
                double[] centre = centres.get(g);
                for (int i : groups.get(g)) {
                  double[] a = x[i];
                  double dr = (a[r] - centre[r]) * (1.0 / n);
                  for (int c = 0; c < k; c++) {
                    row[c] += dr * (a[c] - centre[c]);
                  }
                }
              }
            });
    double trace = 0;
    double betweenTrace = 0;
    for (int c = 0; c < k; c++) {
      trace += within[c][c];
      betweenTrace += between[c][c];
    }
    if (betweenTrace <= 1e-9 * (betweenTrace + trace)) {
      throw new IllegalArgumentException(
          "the people's images do not differ: there is nothing to tell them apart by");
    }
    for (int c = 0; c < k; c++) {
      within[c][c] += shrinkage * trace / k;
    }
    symmetrise(within);
    SymmetricEigen w = SymmetricEigen.of(within);
    double[][] whiten = new double[k][k]; // column j: eigenvector j / √value j
    for (int j = 0; j < k; j++) {
      double root = Math.sqrt(Math.max(w.values[j], 1e-300));
      for (int c = 0; c < k; c++) {
        whiten[c][j] = w.vectors[j][c] / root;
      }
    }
    double[][] whitenedBetween = multiply(transpose(whiten), multiply(between, whiten));
    symmetrise(whitenedBetween);
    SymmetricEigen b = SymmetricEigen.of(whitenedBetween);
    double[][] out = new double[k][m];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < m; j++) {
        double sum = 0;
        for (int l = 0; l < k; l++) {
          sum += whiten[c][l] * b.vectors[j][l];
        }
        out[c][j] = sum;
      }
    }
    return out;
  }

  /** Components of {@code pixels}, an image preprocessed as the fitted ones were. */
  float[] project(float[] pixels) {
    if (pixels.length != mean.length) {
      throw new IllegalArgumentException(
          "image of " + pixels.length + " values where the fit had " + mean.length);
    }
    float[] centred = new float[pixels.length];
    for (int p = 0; p < pixels.length; p++) {
      centred[p] = pixels[p] - mean[p];
    }
    float[] out = new float[axes.length];
    for (int j = 0; j < axes.length; j++) {
      out[j] = (float) Vectors.dot(centred, axes[j]);
    }
    return out;
  }

  int dimension() {
    return axes.length;
  }

  /** Values per image it projects. */
  int inputs() {
    return mean.length;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(mean.length);
    out.writeInt(axes.length);
    for (float v : mean) {
      out.writeFloat(v);
    }
    for (float[] axis : axes) {
      for (float v : axis) {
        out.writeFloat(v);
      }
    }
  }

  /**
   * What {@link #write} wrote.
   *
   * @throws IOException when the sizes are implausible or the data ends early
   */
  static Fisherfaces read(DataInputStream in) throws IOException {
    int d = in.readInt();
    int m = in.readInt();
    if (d < 1 || d > 1 << 24 || m < 1 || m > 4096) {
      throw new IOException("implausible Fisherfaces of " + m + " × " + d + " values");
    }
    float[] mean = new float[d];
    for (int p = 0; p < d; p++) {
      mean[p] = in.readFloat();
    }
    float[][] axes = new float[m][d];
    for (float[] axis : axes) {
      for (int p = 0; p < d; p++) {
        axis[p] = in.readFloat();
      }
    }
    return new Fisherfaces(mean, axes);
  }

  private static void requireLength(float[] image, int d) {
    if (image.length != d) {
      throw new IllegalArgumentException("images of " + d + " and " + image.length + " values");
    }
  }

  private static void addOuter(double[][] into, double[] a, double[] centre, double weight) {
    int k = a.length;
    for (int r = 0; r < k; r++) {
      double dr = (a[r] - centre[r]) * weight;
      for (int c = 0; c < k; c++) {
        into[r][c] += dr * (a[c] - centre[c]);
      }
    }
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int rows = a.length;
    int inner = b.length;
    int cols = b[0].length;
    double[][] out = new double[rows][cols];
    IntStream.range(0, rows)
        .parallel()
        .forEach(
            r -> {
              for (int l = 0; l < inner; l++) {
                double v = a[r][l];
                for (int c = 0; c < cols; c++) {
                  out[r][c] += v * b[l][c];
                }
              }
            });
    return out;
  }

  private static double[][] transpose(double[][] a) {
    double[][] out = new double[a[0].length][a.length];
    for (int r = 0; r < a.length; r++) {
      for (int c = 0; c < a[0].length; c++) {
        out[c][r] = a[r][c];
      }
    }
    return out;
  }

  /** Averages rounding differences out of a matrix that is symmetric in exact arithmetic. */
  private static void symmetrise(double[][] a) {
    for (int r = 0; r < a.length; r++) {
      for (int c = 0; c < r; c++) {
        a[r][c] = a[c][r] = (a[r][c] + a[c][r]) / 2;
      }
    }
  }
}
