package dev.sympaappliance.builder.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciIndexWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void joinsOneLayoutPerPlatformUnderOneIndexNamedByTheTag() throws Exception {
    // The configuration layer is the same bytes on both platforms; the base layers differ.
    Path amd64 = layout("amd64", "shared-config-layer", "amd64-base-layer");
    Path arm64 = layout("arm64", "shared-config-layer", "arm64-base-layer");
    Path archive = dir.resolve("multi.tar");

    String digest =
        OciIndexWriter.write(
            List.of(
                new OciIndexWriter.Part("linux", "amd64", amd64),
                new OciIndexWriter.Part("linux", "arm64", arm64)),
            archive,
            "latest");

    Map<String, byte[]> entries = read(archive);
    assertThat(new String(entries.get("oci-layout"), StandardCharsets.UTF_8))
        .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    JsonNode top = JSON.readTree(entries.get("index.json"));
    assertThat(top.path("manifests")).hasSize(1);
    JsonNode entry = top.path("manifests").get(0);
    assertThat(entry.path("mediaType").asText()).isEqualTo(OciIndexWriter.INDEX_MEDIA_TYPE);
    assertThat(entry.path("digest").asText()).isEqualTo(digest);
    assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText())
        .isEqualTo("latest");

    byte[] indexBlob = entries.get("blobs/sha256/" + digest.substring(7));
    assertThat(entry.path("size").asLong()).isEqualTo(indexBlob.length);
    assertThat("sha256:" + sha256(indexBlob)).isEqualTo(digest);
    JsonNode index = JSON.readTree(indexBlob);
    List<String> platforms = new ArrayList<>();
    for (JsonNode manifest : index.path("manifests")) {
      platforms.add(
          manifest.path("platform").path("os").asText()
              + "/"
              + manifest.path("platform").path("architecture").asText());
      // Each platform's manifest blob is in the archive, under the digest the index names.
      byte[] blob = entries.get("blobs/sha256/" + manifest.path("digest").asText().substring(7));
      assertThat(blob).isNotNull();
      assertThat(JSON.readTree(blob).path("arch").asText())
          .isEqualTo(manifest.path("platform").path("architecture").asText());
      assertThat(manifest.has("annotations")).isFalse();
    }
    assertThat(platforms).containsExactly("linux/amd64", "linux/arm64");
    // Every blob once: the shared layer, two base layers, two manifests, the index.
    assertThat(entries.keySet().stream().filter(n -> n.startsWith("blobs/sha256/"))).hasSize(6);
  }

  @Test
  void theSameLayoutsGiveTheSameArchive() throws Exception {
    Path amd64 = layout("amd64", "a", "b");
    Path arm64 = layout("arm64", "a", "c");
    List<OciIndexWriter.Part> parts =
        List.of(
            new OciIndexWriter.Part("linux", "amd64", amd64),
            new OciIndexWriter.Part("linux", "arm64", arm64));
    OciIndexWriter.write(parts, dir.resolve("one.tar"), "1.0");
    OciIndexWriter.write(parts, dir.resolve("two.tar"), "1.0");
    assertThat(dir.resolve("one.tar")).hasSameBinaryContentAs(dir.resolve("two.tar"));
  }

  @Test
  void aLayoutWithoutIndexIsRefused() throws Exception {
    Path broken = dir.resolve("broken.tar");
    writeTar(broken, Map.of("oci-layout", "{}".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(
            () ->
                OciIndexWriter.write(
                    List.of(new OciIndexWriter.Part("linux", "amd64", broken)),
                    dir.resolve("out.tar"),
                    "latest"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no index.json");
  }

  /** A one-image OCI layout as Jib writes it: blobs, one manifest, index.json naming it. */
  private Path layout(String arch, String... layers) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(
        "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    for (String layer : layers) {
      byte[] bytes = layer.getBytes(StandardCharsets.UTF_8);
      entries.put("blobs/sha256/" + sha256(bytes), bytes);
    }
    byte[] manifest = ("{\"arch\":\"" + arch + "\"}").getBytes(StandardCharsets.UTF_8);
    entries.put("blobs/sha256/" + sha256(manifest), manifest);
    String index =
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\"sha256:"
            + sha256(manifest)
            + "\",\"size\":"
            + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}";
    entries.put("index.json", index.getBytes(StandardCharsets.UTF_8));
    Path tar = dir.resolve(arch + "-" + String.join("-", layers) + ".tar");
    writeTar(tar, entries);
    return tar;
  }

  private static void writeTar(Path tar, Map<String, byte[]> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(tar);
        TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        out.putArchiveEntry(entry);
        out.write(e.getValue());
        out.closeArchiveEntry();
      }
    }
  }

  private static Map<String, byte[]> read(Path tar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream file = Files.newInputStream(tar);
        TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        assertThat(entries.put(e.getName(), in.readAllBytes())).as(e.getName()).isNull();
      }
    }
    return entries;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
