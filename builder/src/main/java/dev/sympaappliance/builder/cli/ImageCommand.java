package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.image.BuiltImage;
import dev.sympaappliance.builder.image.DockerDaemon;
import dev.sympaappliance.builder.image.ImageTarget;
import dev.sympaappliance.builder.render.DeploymentRenderer;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Deployment;
import dev.sympaappliance.builder.spec.Grammar;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    versionProvider = BuilderCli.Version.class,
    description =
        "Build the appliance image: Postfix + Sympa's queue tools + the generated configuration.")
final class ImageCommand implements Callable<Integer> {
  enum Output {
    docker,
    tar
  }

  static final String DEFAULT_TAR = "target/sympa-appliance.tar";

  @Mixin SpecOptions specOptions;

  @Option(
      names = "--tag",
      paramLabel = "IMAGE",
      description =
          "Image reference (default: sympa-appliance:latest; with --front-relay the spec's"
              + " deployment.relay_image, else sympa-relay:latest).")
  String tag;

  @Option(
      names = "--front-relay",
      description =
          "Build the front relay of the spec's deployment instead (role relay, forwarding to the"
              + " core service, which it asks at RCPT time which addresses exist: no list is built"
              + " in): the image that `render --format swarm|kubernetes` names.")
  boolean frontRelay;

  @Option(
      names = "--output",
      paramLabel = "docker|tar",
      description =
          "docker: load into the local Docker daemon; tar: write a `docker load`-able tarball."
              + " Default: docker when a daemon answers, else tar.")
  Output output;

  @Option(
      names = "--tar",
      paramLabel = "PATH",
      description = "Where --output tar writes (default: " + DEFAULT_TAR + ").")
  String tarPath;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "Cache of the base root filesystem and of image layers"
              + " (default: $SYMPA_APPLIANCE_CACHE, else"
              + " $XDG_CACHE_HOME/sympa-appliance, else ~/.cache/sympa-appliance).")
  String cacheDir;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    long specStarted = System.nanoTime();
    ApplianceSpec spec = specOptions.toSpec();
    String defaultTag = Deployment.DEFAULT_IMAGE;
    if (frontRelay) {
      defaultTag =
          spec.deployment().map(Deployment::relayImage).orElse(Deployment.DEFAULT_RELAY_IMAGE);
      spec = DeploymentRenderer.frontRelay(spec);
    }
    Duration specTime = Duration.ofNanos(System.nanoTime() - specStarted);
    String reference = tag == null ? defaultTag : Grammar.imageReference("--tag", tag);
    if (output == Output.docker && tarPath != null) {
      throw new InvalidSpecException("--tar", tarPath, "only applies to --output tar");
    }
    Path tarFile = tarPath == null ? null : OutputPaths.file("--tar", tarPath);
    Path cache =
        cacheDir == null
            ? ApplianceBuilder.defaultCacheDirectory()
            : OutputPaths.directory("--cache-dir", cacheDir);

    PrintWriter err = command.commandLine().getErr();
    PrintWriter out = command.commandLine().getOut();
    Output chosen = output;
    if (chosen == null) {
      chosen =
          tarFile != null || DockerDaemon.whyUnavailable().isPresent() ? Output.tar : Output.docker;
      err.println(
          "output: "
              + chosen
              + (chosen == Output.tar && tarFile == null ? " (no Docker daemon answers)" : ""));
    }
    ImageTarget target =
        chosen == Output.docker
            ? new ImageTarget.DockerDaemon(reference)
            : new ImageTarget.TarFile(reference, tarFile == null ? Path.of(DEFAULT_TAR) : tarFile);

    ApplianceBuilder builder =
        new ApplianceBuilder(
            cache,
            line -> {
              err.println(line);
              err.flush();
            });
    long started = System.nanoTime();
    BuiltImage image = builder.build(spec, target);
    out.println(
        "built "
            + image.reference()
            + String.format(" in %.1f s", (System.nanoTime() - started) / 1e9));
    out.println("  digest:   " + image.digest());
    if (image.images().size() == 1) {
      out.println("  image id: " + image.imageId());
    } else {
      for (BuiltImage.PlatformImage one : image.images()) {
        out.println(
            "  linux/"
                + one.architecture()
                + ": "
                + one.digest()
                + " (image id "
                + one.imageId()
                + ")");
      }
    }
    out.println(
        "  time:     "
            + sinceMain()
            + "spec "
            + String.format(Locale.ROOT, "%.3f s", specTime.toNanos() / 1e9)
            + ", "
            + image.timings().describe(target instanceof ImageTarget.DockerDaemon)
            + ")");
    if (target instanceof ImageTarget.TarFile tar && image.images().size() > 1) {
      out.println(
          "  written to "
              + tar.path().toAbsolutePath()
              + " (an OCI archive: an image index over "
              + image.images().size()
              + " platforms)");
      out.println(
          "  push it whole: skopeo copy --all oci-archive:"
              + tar.path()
              + " docker://REGISTRY/"
              + image.reference());
      out.println(
          "  one platform into Docker: skopeo copy --override-arch "
              + image.images().get(image.images().size() - 1).architecture()
              + " oci-archive:"
              + tar.path()
              + " docker-daemon:"
              + image.reference());
    } else if (target instanceof ImageTarget.TarFile tar) {
      out.println(
          "  written to "
              + tar.path().toAbsolutePath()
              + " (load it with: docker load -i "
              + tar.path()
              + ")");
    } else {
      out.println("  loaded into the local Docker daemon");
    }
    return 0;
  }

  /**
   * {@code main 0.950 s (}: the time since {@code main} was entered; the JVM's start-up is the rest
   * of the process's time.
   */
  private static String sinceMain() {
    long entered = BuilderCli.mainEntered;
    return entered == 0
        ? "("
        : String.format(Locale.ROOT, "main %.3f s (", (System.nanoTime() - entered) / 1e9);
  }
}
