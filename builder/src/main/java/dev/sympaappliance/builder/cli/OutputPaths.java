package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.spec.InvalidSpecException;
import dev.sympaappliance.builder.spec.Text;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where the commands write (--tar, --cache-dir, --out): checked against the filesystem before
 * anything is built.
 */
final class OutputPaths {
  private OutputPaths() {}

  /** A file the builder writes: printable characters only, and not an existing directory. */
  static Path file(String field, String raw) {
    Path path = path(field, raw, "a file path");
    if (Files.isDirectory(path)) {
      throw new InvalidSpecException(field, raw, "a file path, not an existing directory");
    }
    return path;
  }

  /** A directory the builder writes into: printable characters only, and not an existing file. */
  static Path directory(String field, String raw) {
    Path path = path(field, raw, "a directory path");
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new InvalidSpecException(field, raw, "a directory path, not an existing file");
    }
    return path;
  }

  private static Path path(String field, String raw, String rule) {
    String value = Text.requirePrintableOrSpace(field, raw, rule);
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new InvalidSpecException(field, raw, rule);
    }
  }
}
