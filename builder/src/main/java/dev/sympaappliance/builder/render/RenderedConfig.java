package dev.sympaappliance.builder.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The exact files a spec puts into the image, in a stable order, the directories the image declares
 * as volumes (what must outlive a container: queues and spools) and the TCP ports it serves (SMTP;
 * HTTP when it has the web interface).
 */
public record RenderedConfig(List<RenderedFile> files, List<String> volumes, List<Integer> ports) {
  public RenderedConfig {
    files = List.copyOf(files);
    volumes = List.copyOf(volumes);
    ports = List.copyOf(ports);
  }

  public Optional<RenderedFile> file(String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst();
  }

  /**
   * Writes every file below {@code root}, mirroring its image path, with its mode (ownership is
   * left to the image layer: a non-root user cannot chown). Returns the written paths in order.
   */
  public List<Path> writeTo(Path root) throws IOException {
    Files.createDirectories(root);
    return files.stream()
        .map(
            file -> {
              Path target = root.resolve(file.path().substring(1));
              try {
                Files.createDirectories(target.getParent());
                Files.write(target, file.content());
                Files.setPosixFilePermissions(target, permissions(file.mode()));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return target;
            })
        .toList();
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }
}
