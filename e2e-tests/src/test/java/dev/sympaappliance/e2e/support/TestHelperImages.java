package dev.sympaappliance.e2e.support;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.BuildFailedException;
import dev.sympaappliance.builder.base.BaseImage;
import dev.sympaappliance.builder.base.BaseImageBuilder;
import dev.sympaappliance.builder.base.BaseRecipe;
import dev.sympaappliance.builder.image.BuildTimings;
import dev.sympaappliance.builder.image.ImageAssembler;
import dev.sympaappliance.builder.image.ImageTarget;
import dev.sympaappliance.builder.render.ImagePaths;
import dev.sympaappliance.builder.render.RenderedConfig;
import dev.sympaappliance.builder.render.RenderedFile;
import dev.sympaappliance.builder.spec.DebianSuite;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.testcontainers.utility.DockerImageName;

/**
 * Images of test helpers that are not appliances (a DNS server, an authenticating relay host),
 * built the way ours are: the builder's base recipe with other Debian packages (mmdebstrap), and a
 * Jib layer with the helper's entrypoint script.
 */
public final class TestHelperImages {
  private TestHelperImages() {}

  /**
   * What every helper needs, in one base: a base root filesystem is the slow part of a helper's
   * build (a minute and a half each, measured), and the helpers differ only in their entrypoint.
   */
  public static final List<String> PACKAGES =
      List.of(
          "postfix",
          "netbase",
          "openssl",
          "dnsmasq-base",
          "python3-dkim",
          "libsasl2-modules",
          "sasl2-bin",
          "postgresql");

  /** An image REFERENCE of the helpers' base on the default suite, whose entrypoint is SCRIPT. */
  public static DockerImageName build(String reference, String script) {
    return build(reference, DebianSuite.DEFAULT, script);
  }

  /** An image REFERENCE of the helpers' base on SUITE, whose entrypoint is SCRIPT. */
  public static DockerImageName build(String reference, DebianSuite suite, String script) {
    return build(reference, suite, PACKAGES, script);
  }

  /**
   * An image REFERENCE of SUITE's base recipe with PACKAGES instead of the helpers' shared list,
   * whose entrypoint is SCRIPT: for a helper whose packages would weigh on every other helper's
   * base (Mailman 3 pulls in some 60 Python packages). PACKAGES must include postfix and netbase:
   * the recipe's last step configures Postfix.
   */
  public static DockerImageName build(
      String reference, DebianSuite suite, List<String> packages, String script) {
    var cache = ApplianceBuilder.defaultCacheDirectory();
    BaseRecipe standard = BaseRecipe.tools(suite, ApplianceBuilder.hostPlatform());
    BaseRecipe recipe =
        new BaseRecipe(
            standard.suite(),
            packages,
            standard.buildPackages(),
            standard.architecture(),
            standard.sourceDateEpoch(),
            standard.script(),
            standard.sources());
    try {
      BaseImage base = new BaseImageBuilder(cache, TestHelperImages::progress).ensure(recipe);
      RenderedConfig config =
          new RenderedConfig(
              List.of(
                  new RenderedFile(
                      ImagePaths.ENTRYPOINT, script.getBytes(StandardCharsets.UTF_8), 0755, 0, 0)),
              List.of(),
              List.of());
      var image =
          new ImageAssembler(cache, TestHelperImages::progress)
              .assemble(base, config, new ImageTarget.DockerDaemon(reference), new BuildTimings());
      return DockerImageName.parse(image.reference());
    } catch (BuildFailedException e) {
      throw new IllegalStateException(
          "building the test helper " + reference + " failed: " + e.getMessage(), e);
    }
  }

  // A method of this class, not a lambda of a holder class: Jib calls it from its own threads
  // while the holder is being initialised.
  private static void progress(String line) {
    System.err.println("[build helper] " + line);
  }
}
