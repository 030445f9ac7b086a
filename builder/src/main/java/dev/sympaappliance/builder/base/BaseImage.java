package dev.sympaappliance.builder.base;

import java.nio.file.Path;

/** A cached base image: a `docker save`-format archive holding the root filesystem as one layer. */
public record BaseImage(Path archive, String cacheKey) {}
