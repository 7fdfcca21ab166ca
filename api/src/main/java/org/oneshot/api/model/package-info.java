/**
 * Engine-neutral building blocks that every siamese backend shares, so that the backends differ
 * only in the engine: the architecture presets and their parameter count, the preprocessing and
 * Koch's affine distortions, the model file format, and the training loop (validation split, early
 * stopping, progress, cancellation).
 */
@Export
@Version("2.2.0")
package org.oneshot.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
