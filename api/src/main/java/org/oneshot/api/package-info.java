/**
 * The oneshot contracts: where frames come from ({@link org.oneshot.api.FrameSource}) and go
 * ({@link org.oneshot.api.FrameSink}), where faces are ({@link org.oneshot.api.FaceDetector}),
 * which image pairs to learn from ({@link org.oneshot.api.PairSampler}) and the siamese network
 * that tells two faces apart ({@link org.oneshot.api.SiameseModel}), plus the plain value types
 * they exchange.
 *
 * <p>Every interface here is a plugin contract that other bundles implement, so all are
 * {@code @ConsumerType}: a minor version may add default methods, never abstract ones. The package
 * imports nothing but the JDK, so OpenCV, DJL or DL4J never leak into a caller.
 */
@Export
@Version("1.7.0")
package org.oneshot.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
