package dev.sympaappliance.builder.base;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sympaappliance.builder.ImageArchives;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Wraps a root filesystem tarball into the `docker save` layout that Jib reads as a base image
 * (manifest.json, an image config, one uncompressed layer). Written by hand because the only tool
 * that makes this layout, `docker import` + `docker save`, needs a daemon.
 */
final class DockerArchiveWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerArchiveWriter() {}

  /**
   * Docker's health check timings, in nanoseconds as the image config wants them. Docker 20.10 has
   * no start interval: the first run comes one interval after the start, so the interval bounds how
   * soon a container can be healthy. The check waits inside until the container is ready (until it
   * first is), so a short interval makes "healthy" follow readiness closely; each run costs the
   * engine an exec (about 0.1 s of CPU in dockerd, containerd and runc).
   */
  private static final long HEALTH_INTERVAL_NS = 2_000_000_000L;

  private static final long HEALTH_TIMEOUT_NS = 30_000_000_000L;
  private static final long HEALTH_START_PERIOD_NS = 120_000_000_000L;
  private static final int HEALTH_RETRIES = 3;

  /** The health check's timings as the base's cache key records them: a change makes a new base. */
  static String healthTimings() {
    return "interval="
        + HEALTH_INTERVAL_NS
        + " timeout="
        + HEALTH_TIMEOUT_NS
        + " start_period="
        + HEALTH_START_PERIOD_NS
        + " retries="
        + HEALTH_RETRIES;
  }

  /**
   * @param healthCheck the image's HEALTHCHECK command (exec form), none if empty; Jib carries a
   *     base image's health check over to the images built on it
   */
  static void write(
      Path rootfsTar,
      Path archive,
      String architecture,
      java.util.List<String> healthCheck,
      String repoTag,
      String createdBy)
      throws IOException {
    String diffId = sha256(rootfsTar);
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", architecture);
    config.put("os", "linux");
    config.put("created", "1970-01-01T00:00:00Z");
    ObjectNode containerConfig = config.putObject("config");
    containerConfig
        .putArray("Env")
        .add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    if (!healthCheck.isEmpty()) {
      ObjectNode health = containerConfig.putObject("Healthcheck");
      ArrayNode test = health.putArray("Test").add("CMD");
      healthCheck.forEach(test::add);
      health.put("Interval", HEALTH_INTERVAL_NS);
      health.put("Timeout", HEALTH_TIMEOUT_NS);
      health.put("StartPeriod", HEALTH_START_PERIOD_NS);
      health.put("Retries", HEALTH_RETRIES);
    }
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add("sha256:" + diffId);
    config
        .putArray("history")
        .addObject()
        .put("created", "1970-01-01T00:00:00Z")
        .put("created_by", createdBy);
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configName = sha256(configBytes) + ".json";
    String layerName = diffId + "/layer.tar";

    ArrayNode manifest = JSON.createArrayNode();
    ObjectNode entry = manifest.addObject();
    entry.put("Config", configName);
    entry.putArray("RepoTags").add(repoTag);
    entry.putArray("Layers").add(layerName);
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);

    try (OutputStream file = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = ImageArchives.open(file)) {
      ImageArchives.putBytes(tar, "manifest.json", manifestBytes);
      ImageArchives.putBytes(tar, configName, configBytes);
      TarArchiveEntry layer = ImageArchives.entry(layerName, Files.size(rootfsTar));
      tar.putArchiveEntry(layer);
      try (InputStream in = Files.newInputStream(rootfsTar)) {
        in.transferTo(tar);
      }
      tar.closeArchiveEntry();
      tar.finish();
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
