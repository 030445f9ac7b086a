package dev.sympaappliance.builder;

import dev.sympaappliance.builder.base.BaseImage;
import dev.sympaappliance.builder.base.BaseImageBuilder;
import dev.sympaappliance.builder.base.BaseRecipe;
import dev.sympaappliance.builder.image.BuildTimings;
import dev.sympaappliance.builder.image.BuiltImage;
import dev.sympaappliance.builder.image.DockerDaemon;
import dev.sympaappliance.builder.image.ImageAssembler;
import dev.sympaappliance.builder.image.ImageTarget;
import dev.sympaappliance.builder.render.ConfigRenderer;
import dev.sympaappliance.builder.render.RenderedConfig;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Flavour;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The library's front door: spec → rendered configuration → base → image. The CLI and the
 * end-to-end tests both drive builds through this class.
 */
public final class ApplianceBuilder {
  private final Path cacheDirectory;
  private final Consumer<String> progress;
  private final ConfigRenderer renderer = new ConfigRenderer();

  public ApplianceBuilder(Path cacheDirectory, Consumer<String> progress) {
    this.cacheDirectory = cacheDirectory;
    this.progress = progress;
  }

  /**
   * {@code $SYMPA_APPLIANCE_CACHE}, else {@code $XDG_CACHE_HOME/sympa-appliance}, else {@code
   * ~/.cache/sympa-appliance}.
   */
  public static Path defaultCacheDirectory() {
    String explicit = System.getenv("SYMPA_APPLIANCE_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("sympa-appliance");
  }

  public RenderedConfig render(ApplianceSpec spec) {
    return renderer.render(spec);
  }

  public BuiltImage build(ApplianceSpec spec, ImageTarget target) throws BuildFailedException {
    BuildTimings timings = new BuildTimings();
    long started = System.nanoTime();
    RenderedConfig config = renderer.render(spec);
    timings.addRender(Duration.ofNanos(System.nanoTime() - started));
    if (target instanceof ImageTarget.DockerDaemon) {
      Optional<String> why = DockerDaemon.whyUnavailable();
      if (why.isPresent()) {
        throw new BuildFailedException(
            "no Docker daemon answers ("
                + why.get()
                + "); start dockerd, or write a tarball with --output tar");
      }
    }
    started = System.nanoTime();
    BaseImage base = new BaseImageBuilder(cacheDirectory, progress).ensure(baseRecipe(spec));
    timings.addBase(Duration.ofNanos(System.nanoTime() - started));
    return new ImageAssembler(cacheDirectory, progress).assemble(base, config, target, timings);
  }

  /**
   * One base recipe per flavour and Debian suite: the full flavour's adds Debian's sympa package
   * and s6.
   */
  static BaseRecipe baseRecipe(ApplianceSpec spec) {
    return spec.flavour() == Flavour.FULL
        ? BaseRecipe.full(spec.debian(), hostArchitecture())
        : BaseRecipe.tools(spec.debian(), hostArchitecture());
  }

  /** The host's architecture in OCI terms: mmdebstrap builds for the host. */
  public static String hostArchitecture() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }
}
