package dev.sympaappliance.builder.base;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A cached base image: a `docker save`-format archive holding the root filesystem as one layer, for
 * one architecture (OCI's name: amd64, arm64), which images built on it inherit.
 */
public record BaseImage(Path archive, String cacheKey, String architecture) {
  /** The tag the archive carries, and the base's name in a Docker daemon it was loaded into. */
  public String reference() {
    return reference(cacheKey);
  }

  static String reference(String cacheKey) {
    return "sympa-appliance-base:" + BaseImageBuilder.shortKey(cacheKey);
  }

  /**
   * The image ID the archive loads as ({@code sha256:…} of its config), from its manifest, which
   * {@link DockerArchiveWriter} writes first: a daemon's image of the same name is this base only
   * if its ID is this one.
   */
  public String imageId() throws IOException {
    try (InputStream file = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        if (entry.getName().equals("manifest.json")) {
          String config = new ObjectMapper().readTree(tar).path(0).path("Config").asText();
          if (config.matches("[0-9a-f]{64}\\.json")) {
            return "sha256:" + config.substring(0, 64);
          }
          break;
        }
      }
    }
    throw new IOException(
        "the cached base "
            + archive
            + " has no manifest naming its config; delete "
            + archive.getParent()
            + " and build again");
  }
}
