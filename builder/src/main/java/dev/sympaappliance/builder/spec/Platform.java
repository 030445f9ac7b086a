package dev.sympaappliance.builder.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A platform an image is built for, named as OCI and Docker name it ({@code linux/amd64}). Each has
 * its own base root filesystem, made by mmdebstrap for that Debian architecture (on another
 * architecture than the host's, through the kernel's binfmt_misc and QEMU user emulation); the
 * rendered configuration is the same on every platform.
 */
public enum Platform {
  LINUX_AMD64("amd64", "x86_64"),
  LINUX_ARM64("arm64", "aarch64");

  private final String architecture;
  private final String machine;

  Platform(String architecture, String machine) {
    this.architecture = architecture;
    this.machine = machine;
  }

  /** Always linux. */
  public String os() {
    return "linux";
  }

  /**
   * The architecture in OCI terms, which is also Debian's name for it (mmdebstrap's {@code
   * --architectures}).
   */
  public String architecture() {
    return architecture;
  }

  /** What {@code uname -m} says on it, and the name of its binfmt_misc entry ({@code qemu-…}). */
  public String machine() {
    return machine;
  }

  /** {@code linux/amd64}. */
  public String id() {
    return os() + "/" + architecture;
  }

  @Override
  public String toString() {
    return id();
  }

  /** The platform the builder runs on, if it is one it builds for. */
  public static Optional<Platform> host() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> Optional.of(LINUX_AMD64);
      case "aarch64", "arm64" -> Optional.of(LINUX_ARM64);
      default -> Optional.empty();
    };
  }

  static final String RULE =
      "one of " + Arrays.stream(values()).map(Platform::id).collect(Collectors.joining(", "));

  /** One platform by its id, e.g. {@code linux/arm64}. */
  public static Platform parse(String field, String raw) {
    for (Platform platform : values()) {
      if (platform.id().equals(raw)) {
        return platform;
      }
    }
    throw new InvalidSpecException(field, raw == null ? "" : raw, RULE);
  }
}
