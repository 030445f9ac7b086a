package dev.sympaappliance.testcontainers;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.BuildFailedException;
import dev.sympaappliance.builder.image.BuiltImage;
import dev.sympaappliance.builder.image.ImageTarget;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.builder.spec.UserInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.utility.DockerImageName;

/**
 * Builds images into the local Docker daemon through the builder's Java API, the path {@code
 * builder image} takes: the same spec gives the same image. Each image is built once per JVM; the
 * Debian bases are cached across runs (as the builder caches them).
 */
public final class SympaApplianceImages {
  private static final Map<String, DockerImageName> BUILT = new ConcurrentHashMap<>();

  private SympaApplianceImages() {}

  /**
   * The image of a spec file, as {@code builder image --spec FILE --tag TAG} builds it.
   *
   * @param specFile a spec file, such as {@code lists.yaml}
   * @param tag the image reference to load it as, such as {@code lists-under-test:latest}
   * @return the image's name
   * @throws IllegalArgumentException when the spec is invalid (the message is the builder's one
   *     line)
   * @throws IllegalStateException when the build fails
   */
  public static DockerImageName fromSpec(Path specFile, String tag) {
    return build(tag, read(specFile));
  }

  /**
   * The spec a file holds, validated as {@code builder image --spec FILE} validates it.
   *
   * @param specFile a spec file
   * @return the spec
   * @throws IllegalArgumentException when the spec is invalid (the message is the builder's one
   *     line)
   */
  public static ApplianceSpec read(Path specFile) {
    try {
      return ApplianceSpec.fromUserInput(SpecFile.read(specFile.toString()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * The sink role ({@code builder image --role sink}): Postfix's smtp-sink keeping every message
   * under {@code /sink}. Tagged {@code sympa-appliance-sink:latest}.
   *
   * @return the image's name
   */
  public static DockerImageName sink() {
    return build(
        "sympa-appliance-sink:latest",
        ApplianceSpec.fromUserInput(
            UserInput.builder()
                .set(Settings.ROLE, "sink")
                .set(Settings.DOMAIN, "example.net")
                .build()));
  }

  /**
   * Builds {@code spec} as {@code tag}, once per JVM and tag.
   *
   * @param tag the image reference
   * @param spec the appliance to build
   * @return the image's name
   * @throws IllegalStateException when the build fails
   */
  public static DockerImageName build(String tag, ApplianceSpec spec) {
    return BUILT.computeIfAbsent(
        tag,
        reference -> {
          ApplianceBuilder builder =
              new ApplianceBuilder(
                  ApplianceBuilder.defaultCacheDirectory(), SympaApplianceImages::progress);
          try {
            BuiltImage image = builder.build(spec, new ImageTarget.DockerDaemon(reference));
            return DockerImageName.parse(image.reference());
          } catch (BuildFailedException e) {
            throw new IllegalStateException(
                "building " + reference + " failed: " + e.getMessage(), e);
          }
        });
  }

  /**
   * Builds the image of a spec file read from {@code specFile}, as {@link
   * SympaApplianceContainer#fromSpec} does: tagged {@code sympa-appliance-test/DOMAIN:HASH}, HASH
   * from the file's bytes.
   */
  static DockerImageName buildForTest(ApplianceSpec spec, Path specFile) {
    return build("sympa-appliance-test/" + spec.domain() + ":" + contentHash(specFile), spec);
  }

  private static String contentHash(Path file) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // A method, not a lambda: Jib calls it from its own threads.
  private static void progress(String line) {
    System.err.println("[build] " + line);
  }
}
