package dev.sympaappliance.e2e;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.BuildFailedException;
import dev.sympaappliance.builder.image.BuiltImage;
import dev.sympaappliance.builder.image.ImageTarget;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import java.util.List;
import org.testcontainers.utility.DockerImageName;

/**
 * The images under test, built once per test JVM through the builder's Java API (the same path
 * as `builder image`) and loaded into the local Docker daemon.
 */
final class ApplianceImages {
  static final String DOMAIN = "lists.example.org";
  static final String LIST = "list1";
  static final String HOSTNAME = "mx." + DOMAIN;

  private ApplianceImages() {}

  /** `builder image --domain lists.example.org --list list1 --tag sympa-appliance-e2e:latest`. */
  static DockerImageName standard() {
    return Standard.IMAGE;
  }

  static ApplianceBuilder builder() {
    return new ApplianceBuilder(ApplianceBuilder.defaultCacheDirectory(), line -> System.err.println("[build] " + line));
  }

  static ApplianceSpec standardSpec() {
    return ApplianceSpec.fromUserInput(DOMAIN, List.of(LIST), null, null);
  }

  /** Initialised on first use; the JVM guarantees a single build. */
  private static final class Standard {
    static final DockerImageName IMAGE = build("sympa-appliance-e2e:latest");

    private static DockerImageName build(String reference) {
      try {
        BuiltImage image = builder().build(standardSpec(), new ImageTarget.DockerDaemon(reference));
        return DockerImageName.parse(image.reference());
      } catch (BuildFailedException e) {
        throw new IllegalStateException("building the appliance image failed: " + e.getMessage(), e);
      }
    }
  }
}
