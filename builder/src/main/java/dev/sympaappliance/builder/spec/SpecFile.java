package dev.sympaappliance.builder.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Reads a YAML spec file into the same raw {@link UserInput} the flags give, remembering where each
 * value stands (file:line:column and key path) so that every error, from the structure of the file
 * or from the grammar of a value, names its place. Here: the file itself (its path, size and
 * encoding); {@link SpecYaml}: the YAML (SnakeYAML's nodes and positions, no duplicate keys, no
 * aliases or tags); {@link SpecReader}: the structure (known keys, types, limits). The values are
 * checked by {@link ApplianceSpec#fromUserInput}, with the same rules as the flags.
 */
public final class SpecFile {
  private SpecFile() {}

  /** Larger files are refused before they are parsed. */
  public static final int MAX_FILE_BYTES = 8 * 1024 * 1024;

  /** Lists of one list domain. */
  public static final int MAX_LISTS = 10_000;

  /** Entries of domains: (Sympa's virtual hosts), besides the top-level domain. */
  public static final int MAX_DOMAINS = 100;

  /** Subscribers of all lists together. */
  public static final int MAX_SUBSCRIBERS = 100_000;

  /**
   * Reads and checks the structure of the spec file named {@code raw} (as given to {@code --spec}).
   */
  public static UserInput read(String raw) {
    String name = requirePath(raw);
    return parse(name, readText(name));
  }

  /** Parses YAML text; {@code name} is how errors name the file. */
  public static UserInput parse(String name, String yaml) {
    SpecYaml.Source source = new SpecYaml.Source(name);
    return new SpecReader(source).userInput(SpecYaml.document(source, yaml));
  }

  private static String requirePath(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidSpecException("--spec", "", "must not be empty; expected a file path");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isISOControl(c)
          || Character.getType(c) == Character.LINE_SEPARATOR
          || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
        throw new InvalidSpecException(
            "--spec", raw, "expected a file path without control characters");
      }
    }
    return raw;
  }

  private static String readText(String name) {
    Path path;
    try {
      path = Path.of(name);
    } catch (InvalidPathException e) {
      throw new InvalidSpecException(
          "--spec", name, "cannot read the file: " + e.getClass().getSimpleName());
    }
    return UserFiles.readUtf8(
        path,
        "--spec",
        name,
        "the file",
        MAX_FILE_BYTES,
        "the file is larger than "
            + MAX_FILE_BYTES / (1024 * 1024)
            + " MB, the most a spec file may be");
  }
}
