package dev.sympaappliance.builder.image;

import java.nio.file.Path;

/** Where a built image goes. The reference is validated by the caller (spec grammar). */
public sealed interface ImageTarget {
  String reference();

  /** Loaded into the local Docker daemon under {@code reference}. */
  record DockerDaemon(String reference) implements ImageTarget {}

  /** A `docker load`-able tarball at {@code path}, tagged {@code reference}. */
  record TarFile(String reference, Path path) implements ImageTarget {}
}
