package dev.sympaappliance.builder.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class LayerOmittingTarStreamTest {
  private static final byte[] BASE = randomBytes(200_000, 1);
  private static final byte[] CONFIG_LAYER = randomBytes(1_000, 2);

  /**
   * A docker-save archive as Jib writes it: layers base first, then config.json and manifest.json.
   */
  private static byte[] archive(String... longNames) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("a".repeat(64) + ".tar.gz", BASE);
    entries.put("b".repeat(64) + ".tar.gz", CONFIG_LAYER);
    entries.put("config.json", "{\"rootfs\":{}}".getBytes(StandardCharsets.UTF_8));
    for (String name : longNames) {
      entries.put(name, new byte[] {1});
    }
    entries.put("manifest.json", "[{}]".getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Writes in uneven pieces, as a stream does, so that headers straddle writes. */
  private static byte[] filter(byte[] archive, int omit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LayerOmittingTarStream filter = new LayerOmittingTarStream(out, omit)) {
      int at = 0;
      for (int piece = 1; at < archive.length; piece = piece * 7 % 1031 + 1) {
        int n = Math.min(piece, archive.length - at);
        filter.write(archive, at, n);
        at += n;
      }
    }
    return out.toByteArray();
  }

  private static Map<String, byte[]> read(byte[] archive) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), tar.readAllBytes());
      }
    }
    return entries;
  }

  @Test
  void leavesOutTheFirstLayerAndKeepsEverythingElseIntact() throws IOException {
    byte[] out = filter(archive(), 1);

    Map<String, byte[]> entries = read(out);
    assertThat(entries.keySet())
        .containsExactly("b".repeat(64) + ".tar.gz", "config.json", "manifest.json");
    assertThat(entries.get("b".repeat(64) + ".tar.gz")).isEqualTo(CONFIG_LAYER);
    assertThat(new String(entries.get("manifest.json"), StandardCharsets.UTF_8)).isEqualTo("[{}]");
    assertThat(out.length % 512).isZero();
    assertThat(out.length).isLessThan(BASE.length);
  }

  @Test
  void omittingNothingPassesTheArchiveThroughByteForByte() throws IOException {
    byte[] archive = archive();
    assertThat(filter(archive, 0)).isEqualTo(archive);
  }

  @Test
  void omittingMoreLayersThanThereAreLeavesOnlyTheOtherFiles() throws IOException {
    assertThat(read(filter(archive(), 5)).keySet()).containsExactly("config.json", "manifest.json");
  }

  @Test
  void anExtendedHeaderIsRefusedSoThatTheCallerSendsTheWholeArchive() {
    assertThatThrownBy(() -> filter(archive("x".repeat(150)), 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("extended tar header");
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
