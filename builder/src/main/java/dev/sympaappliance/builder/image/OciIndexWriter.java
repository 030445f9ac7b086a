package dev.sympaappliance.builder.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sympaappliance.builder.ImageArchives;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Joins one OCI image layout tarball per platform (as Jib writes them) into one multi-platform OCI
 * archive: every blob once, an image index over the platforms' manifests, and an {@code index.json}
 * whose one entry is that index, named by the image's tag. skopeo and other OCI tools read it
 * ({@code oci-archive:FILE}) and pick a platform from it, or push it whole. Written by hand because
 * jib-core writes one platform per tarball, and its multi-platform support only pushes to a
 * registry, which a build here cannot reach.
 */
final class OciIndexWriter {
  static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One platform's OCI layout tarball. */
  record Part(String os, String architecture, Path ociTar) {}

  private OciIndexWriter() {}

  /**
   * Writes the archive to {@code archive} and returns its index's digest ({@code sha256:…}).
   *
   * @param refName the name {@code index.json} gives the index (the image's tag)
   */
  static String write(List<Part> parts, Path archive, String refName) throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX_MEDIA_TYPE);
    ArrayNode manifests = index.putArray("manifests");
    Set<String> written = new HashSet<>();
    try (OutputStream file = Files.newOutputStream(archive);
        TarArchiveOutputStream out = ImageArchives.open(file)) {
      ImageArchives.putBytes(
          out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      for (Part part : parts) {
        JsonNode partIndex = copyBlobs(part.ociTar(), out, written);
        JsonNode descriptors = partIndex.path("manifests");
        if (descriptors.size() != 1) {
          throw new IOException(
              part.ociTar() + " holds " + descriptors.size() + " images; expected one");
        }
        ObjectNode descriptor = (ObjectNode) descriptors.get(0).deepCopy();
        descriptor.remove("annotations");
        descriptor
            .putObject("platform")
            .put("architecture", part.architecture())
            .put("os", part.os());
        manifests.add(descriptor);
      }
      byte[] indexBytes = JSON.writeValueAsBytes(index);
      String digest = "sha256:" + sha256(indexBytes);
      ImageArchives.putBytes(
          out, "blobs/sha256/" + digest.substring("sha256:".length()), indexBytes);

      ObjectNode top = JSON.createObjectNode();
      top.put("schemaVersion", 2);
      top.put("mediaType", INDEX_MEDIA_TYPE);
      ObjectNode entry = top.putArray("manifests").addObject();
      entry.put("mediaType", INDEX_MEDIA_TYPE);
      entry.put("digest", digest);
      entry.put("size", indexBytes.length);
      entry.putObject("annotations").put(REF_NAME, refName);
      ImageArchives.putBytes(out, "index.json", JSON.writeValueAsBytes(top));
      out.finish();
      return digest;
    }
  }

  /** Copies the blobs of one layout not yet written; returns its {@code index.json}. */
  private static JsonNode copyBlobs(Path ociTar, TarArchiveOutputStream out, Set<String> written)
      throws IOException {
    JsonNode index = null;
    try (InputStream file = Files.newInputStream(ociTar);
        TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        String name = entry.getName();
        if (name.equals("index.json")) {
          index = JSON.readTree(in.readAllBytes());
        } else if (name.startsWith("blobs/sha256/") && entry.isFile() && written.add(name)) {
          TarArchiveEntry copy = ImageArchives.entry(name, entry.getSize());
          out.putArchiveEntry(copy);
          in.transferTo(out);
          out.closeArchiveEntry();
        }
      }
    }
    if (index == null) {
      throw new IOException(ociTar + " is not an OCI image layout (no index.json)");
    }
    return index;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
