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
import dev.sympaappliance.builder.spec.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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

  /**
   * Builds the image for each of the spec's platforms, each on its own base. A tarball of one
   * platform is a `docker load`-able archive; of several, a multi-platform OCI archive (an image
   * index). A Docker daemon holds one platform: the only one, or the host's among several.
   */
  public BuiltImage build(ApplianceSpec spec, ImageTarget target) throws BuildFailedException {
    List<Platform> platforms = spec.platforms();
    BuildTimings timings = new BuildTimings();
    long started = System.nanoTime();
    RenderedConfig config = renderer.render(spec);
    timings.addRender(Duration.ofNanos(System.nanoTime() - started));
    List<Platform> built = platforms;
    if (target instanceof ImageTarget.DockerDaemon) {
      Optional<String> why = DockerDaemon.whyUnavailable();
      if (why.isPresent()) {
        throw new BuildFailedException(
            "no Docker daemon answers ("
                + why.get()
                + "); start dockerd, or write a tarball with --output tar");
      }
      Platform loaded = daemonPlatform(platforms);
      if (platforms.size() > 1) {
        progress.accept(
            "image: a Docker daemon holds one platform: building "
                + loaded
                + " only (--output tar writes all of "
                + platforms.stream().map(Platform::id).collect(Collectors.joining(", "))
                + ")");
      }
      built = List.of(loaded);
    }
    started = System.nanoTime();
    List<BaseImage> bases = new ArrayList<>();
    for (Platform platform : built) {
      bases.add(new BaseImageBuilder(cacheDirectory, progress).ensure(baseRecipe(spec, platform)));
    }
    timings.addBase(Duration.ofNanos(System.nanoTime() - started));
    ImageAssembler assembler = new ImageAssembler(cacheDirectory, progress);
    if (bases.size() > 1 && target instanceof ImageTarget.TarFile tar) {
      return assembler.assembleIndex(bases, config, tar, timings);
    }
    return assembler.assemble(bases.get(0), config, target, timings);
  }

  /** The platform a Docker daemon target gets: the only one, else the host's. */
  static Platform daemonPlatform(List<Platform> platforms) {
    return platforms.size() == 1 ? platforms.get(0) : hostPlatform();
  }

  /**
   * One base recipe per flavour, Debian suite and platform: the full flavour's adds Debian's sympa
   * package and s6.
   */
  static BaseRecipe baseRecipe(ApplianceSpec spec, Platform platform) {
    return spec.flavour() == Flavour.FULL
        ? BaseRecipe.full(spec.debian(), platform)
        : BaseRecipe.tools(spec.debian(), platform);
  }

  /** The platform the builder runs on. */
  public static Platform hostPlatform() {
    return Platform.host()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "this host's architecture ("
                        + System.getProperty("os.arch")
                        + ") is none the builder builds for"));
  }
}
