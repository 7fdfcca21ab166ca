package org.oneshot.distribution;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;

/**
 * Files a verifier meets when users (or attackers) point it at the wrong thing, built fresh by the
 * test: each bad image with the words its error must contain.
 */
final class HostileCorpus {
  /** Bad image file → a word its error must contain. */
  final Map<Path, String> badImages = new LinkedHashMap<>();

  final Path root;
  final Path good;
  final Path noFace;
  final Path tinyImage;
  final Path sixteenBit;
  final Path cmyk;
  final Path emptyFolder;
  final Path tree;
  final Path zipSlip;
  final Path badPairs;

  HostileCorpus(Path root, Path goodFace) throws IOException {
    this.root = root;
    // Spaces and non-ASCII in every path, as users' folders have them.
    Path dir = Files.createDirectories(root.resolve("Ärger mit Bildern"));
    good = Files.copy(goodFace, dir.resolve("gute Aufnahme 1.pgm"));
    badImages.put(Files.write(dir.resolve("zero bytes.jpg"), new byte[0]), "empty file");
    byte[] jpeg = jpeg(grey(200, 200));
    badImages.put(
        Files.write(dir.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 3)),
        "truncated");
    byte[] png = png(grey(200, 200));
    badImages.put(
        Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2)),
        "truncated");
    badImages.put(
        Files.write(dir.resolve("notes.jpg"), "not an image\n".getBytes(StandardCharsets.UTF_8)),
        "not a JPEG, PNG, BMP or PGM image");
    badImages.put(Files.write(dir.resolve("bomb.png"), pngBomb(100_000, 100_000)), "pixel limit");
    cmyk = Files.write(dir.resolve("cmyk.jpg"), cmykJpeg(64, 64));
    tinyImage = Files.write(dir.resolve("one pixel.png"), png(grey(1, 1)));
    sixteenBit = Files.write(dir.resolve("sixteen bit.png"), png(sixteenBitGrey(96, 112)));
    noFace = Files.write(dir.resolve("kein Gesicht.png"), png(grey(320, 240)));
    emptyFolder = Files.createDirectories(root.resolve("leerer Ordner"));
    Files.createSymbolicLink(emptyFolder.resolve("loop"), emptyFolder);

    // An identity tree for face:train: two usable people among bad files, an empty person and a
    // link loop.
    tree = root.resolve("Leute");
    for (String person : new String[] {"anna", "bert"}) {
      Path folder = Files.createDirectories(tree.resolve(person));
      for (int i = 1; i <= 3; i++) {
        Files.copy(goodFace, folder.resolve(i + ".pgm"));
      }
      Files.write(folder.resolve("zero.jpg"), new byte[0]);
      Files.write(folder.resolve("notes.png"), "text".getBytes(StandardCharsets.UTF_8));
    }
    Files.createDirectories(tree.resolve("niemand"));
    Files.createSymbolicLink(tree.resolve("anna/loop"), tree);

    zipSlip = root.resolve("evil.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipSlip))) {
      put(zip, "images_background/A/c1/1.png", png(grey(105, 105)));
      put(zip, "images_background/A/c1/2.png", png(grey(105, 105)));
      put(zip, "images_background/A/c2/1.png", png(grey(105, 105)));
      put(zip, "images_background/A/c2/2.png", png(grey(105, 105)));
      put(zip, "../../escaped.png", png(grey(105, 105)));
      put(zip, "images_background/../../../tmp/escaped.png", png(grey(105, 105)));
    }
    badPairs = root.resolve("bad pairs.txt");
    Files.writeString(
        badPairs,
        "1\t3\nAnna\t1\t2\nAnna\tone\t2\nBert\t1\nAnna\t1\tBert\t2\tExtra\t9\n",
        StandardCharsets.UTF_8);
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static BufferedImage grey(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.getRaster().setSample(x, y, 0, (x * 7 + y * 3) % 256);
      }
    }
    return image;
  }

  private static BufferedImage sixteenBitGrey(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.getRaster().setSample(x, y, 0, (x * 600 + y * 100) % 65536);
      }
    }
    return image;
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  /** A four-channel (CMYK-like) JPEG, as print workflows produce. */
  private static byte[] cmykJpeg(int w, int h) throws IOException {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (var stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A valid PNG header declaring {@code w}×{@code h} pixels, with almost no data behind it. */
  private static byte[] pngBomb(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put(new byte[] {8, 0, 0, 0, 0}));
    chunk(out, "IDAT", ByteBuffer.wrap(new byte[] {0x78, (byte) 0x9c, 3, 0, 0, 0, 0, 1}));
    chunk(out, "IEND", ByteBuffer.allocate(0));
    return out.toByteArray();
  }

  private static void chunk(OutputStream out, String type, ByteBuffer data) throws IOException {
    byte[] body = data.array();
    CRC32 crc = new CRC32();
    crc.update(type.getBytes(StandardCharsets.US_ASCII));
    crc.update(body);
    out.write(ByteBuffer.allocate(4).putInt(body.length).array());
    out.write(type.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
