package dev.sympaappliance.e2e.cli;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.image.BuiltImage;
import dev.sympaappliance.builder.image.EngineDockerClient;
import dev.sympaappliance.builder.image.ImageTarget;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.UserInput;
import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.BuilderCli;
import dev.sympaappliance.e2e.support.RecordingDockerSocket;
import dev.sympaappliance.e2e.support.Spool.SpoolFile;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * Builds into the daemon send only the layers it lacks (the configuration layer; the base is taken
 * from the daemon, where the builder loads it once), and fall back to sending everything whenever
 * that assumption does not hold.
 */
class IncrementalLoadIT {
  private static final String REFERENCE = "sympa-appliance-e2e-incremental:latest";
  private static final String FALLBACK = "sympa-appliance-e2e-fallback:latest";
  private static final Pattern BASE_KEY =
      Pattern.compile("reusing cached base root filesystem ([0-9a-f]{12})");

  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final ApplianceBuilder builder =
      new ApplianceBuilder(
          ApplianceBuilder.defaultCacheDirectory(),
          line -> {
            log.add(line);
            System.err.println("[build] " + line);
          });
  private final DockerClient docker = DockerClientFactory.instance().client();

  @AfterAll
  static void removeImages() {
    for (String image : List.of(REFERENCE, FALLBACK)) {
      try {
        DockerClientFactory.instance().client().removeImageCmd(image).withForce(true).exec();
      } catch (RuntimeException ignored) {
        // not built by a failed test
      }
    }
  }

  private static ApplianceSpec toolsWithList(String list) {
    return ApplianceSpec.fromUserInput(
        UserInput.appliance(DOMAIN, List.of(list)).toBuilder()
            .set(Settings.FLAVOUR, "tools")
            .build());
  }

  private BuiltImage build(ApplianceSpec spec) throws Exception {
    return builder.build(spec, new ImageTarget.DockerDaemon(REFERENCE));
  }

  private String baseReference() {
    synchronized (log) {
      for (String line : log) {
        Matcher m = BASE_KEY.matcher(line);
        if (m.find()) {
          return "sympa-appliance-base:" + m.group(1);
        }
      }
    }
    throw new AssertionError("no base named in the build's progress: " + log);
  }

  private InspectImageResponse inspect(String image) {
    return docker.inspectImageCmd(image).exec();
  }

  @Test
  void aRebuildAfterTheBaseIsRemovedFromTheDaemonLoadsItAgainAndTheImageRuns() throws Exception {
    build(toolsWithList("incremental-a"));
    String base = baseReference();
    docker.removeImageCmd(base).exec(); // untags it: the built image still holds its layer
    log.clear();

    BuiltImage rebuilt = build(toolsWithList("incremental-b"));

    assertThat(log)
        .anyMatch(
            line -> line.contains("loading the base " + base + " into the Docker daemon (once)"));
    assertThat(inspect(base).getRootFS().getLayers())
        .containsExactlyElementsOf(inspect(REFERENCE).getRootFS().getLayers().subList(0, 1));
    assertThat(inspect(REFERENCE).getId()).isEqualTo(rebuilt.imageId());
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(DockerImageName.parse(REFERENCE), ApplianceImages.HOSTNAME)) {
      appliance.start();
      String token = "incremental-" + UUID.randomUUID();
      appliance.sendWithMail("incremental-b@" + DOMAIN, "after the base was removed", token);
      List<SpoolFile> files =
          appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
      assertThat(files).hasSize(1);
      assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: incremental-b@" + DOMAIN);
    }
  }

  @Test
  void theImageLoadedWithoutItsBaseLayersIsTheImageATarballHolds(@TempDir Path dir)
      throws Exception {
    ApplianceSpec spec = toolsWithList("incremental-same");
    log.clear();
    BuiltImage loaded = build(spec);
    BuiltImage written =
        builder.build(spec, new ImageTarget.TarFile(REFERENCE, dir.resolve("image.tar")));

    assertThat(log).noneMatch(line -> line.contains("sending every layer"));
    assertThat(loaded.imageId()).isEqualTo(written.imageId());
    assertThat(loaded.digest()).isEqualTo(written.digest());
    assertThat(inspect(REFERENCE).getId()).isEqualTo(loaded.imageId());
  }

  /**
   * What a build carried to the daemon, counted outside the builder (the CLI talks to the daemon
   * through a socket that counts the bytes it is sent): with the base in the daemon, a build of a
   * new configuration sends a small fraction of the base; once the base is gone, it sends at least
   * the base (the count sees a base when one is sent).
   */
  @Test
  void aBuildSendsTheDaemonOnlyWhatItLacks(@TempDir Path dir) throws Exception {
    build(toolsWithList("incremental-e"));
    String base = baseReference();
    long baseSize = inspect(base).getSize();
    try (RecordingDockerSocket socket = RecordingDockerSocket.open(dir.resolve("docker.sock"))) {
      Map<String, String> viaSocket = Map.of("DOCKER_HOST", socket.dockerHost());
      BuilderCli.runOk(
          dir,
          viaSocket,
          List.of(),
          "image",
          "--domain",
          DOMAIN,
          "--list",
          "incremental-f",
          "--sympa",
          "tools",
          "--tag",
          REFERENCE);
      long configOnly = socket.bytesToDaemon();
      assertThat(configOnly)
          .as("bytes sent for a new configuration, the base (%d bytes) in the daemon", baseSize)
          .isPositive()
          .isLessThan(baseSize / 20);

      docker.removeImageCmd(REFERENCE).withForce(true).exec();
      docker.removeImageCmd(base).exec();
      BuilderCli.runOk(
          dir,
          viaSocket,
          List.of(),
          "image",
          "--domain",
          DOMAIN,
          "--list",
          "incremental-g",
          "--sympa",
          "tools",
          "--tag",
          REFERENCE);
      long withBase = socket.bytesToDaemon() - configOnly;
      System.out.printf(
          "bytes sent to the daemon: %d for a new configuration, %d with the base gone"
              + " (the base: %d bytes)%n",
          configOnly, withBase, baseSize);
      assertThat(withBase)
          .as("bytes sent with the base gone from the daemon")
          .isGreaterThanOrEqualTo(baseSize / 2);
    }
  }

  @Test
  void anotherImageUnderTheBaseNameIsReplacedByTheCachedBase() throws Exception {
    build(toolsWithList("incremental-c"));
    String base = baseReference();
    List<String> realBaseLayers = inspect(base).getRootFS().getLayers();
    docker
        .tagImageCmd(REFERENCE, "sympa-appliance-base", base.substring(base.indexOf(':') + 1))
        .exec();
    log.clear();

    build(toolsWithList("incremental-d"));

    assertThat(log)
        .anyMatch(
            line ->
                line.contains(
                    "loading the base "
                        + base
                        + " into the Docker daemon (that name is another image there)"));
    assertThat(inspect(base).getRootFS().getLayers()).isEqualTo(realBaseLayers);
    assertThat(inspect(REFERENCE).getRootFS().getLayers())
        .hasSize(2)
        .startsWith(realBaseLayers.get(0));
  }

  @Test
  void whenTheDaemonLacksALayerAssumedPresentTheWholeImageIsSent(@TempDir Path dir)
      throws Exception {
    Path first = Files.writeString(dir.resolve("first.txt"), UUID.randomUUID().toString());
    Path second = Files.writeString(dir.resolve("second.txt"), UUID.randomUUID().toString());
    EngineDockerClient client = EngineDockerClient.fromEnvironment(log::add).orElseThrow();
    JibContainer once = containerize(client, dir, first, second);
    List<String> layers = inspect(FALLBACK).getRootFS().getLayers();
    docker.removeImageCmd(FALLBACK).exec(); // its layers go with it: no other image has them
    // The daemon is told it has the first layer, which it no longer has: leaving it out must be
    // refused, and recovered from.
    client.assumeLayersPresent(List.of(DescriptorDigest.fromDigest(layers.get(0))));

    JibContainer built = containerize(client, dir, first, second);

    assertThat(log)
        .anyMatch(
            line ->
                line.contains("refused the image without its base layers")
                    && line.endsWith("sending every layer"));
    InspectImageResponse image = inspect(FALLBACK);
    assertThat(image.getId())
        .isEqualTo(built.getImageId().toString())
        .isEqualTo(once.getImageId().toString());
    assertThat(image.getRootFS().getLayers()).isEqualTo(layers);
  }

  private static JibContainer containerize(
      EngineDockerClient client, Path dir, Path first, Path second) throws Exception {
    return Jib.fromScratch()
        .addLayer(List.of(first), AbsoluteUnixPath.get("/"))
        .addLayer(List.of(second), AbsoluteUnixPath.get("/"))
        .containerize(
            Containerizer.to(client, DockerDaemonImage.named(FALLBACK))
                .setBaseImageLayersCache(dir.resolve("base-cache"))
                .setApplicationLayersCache(dir.resolve("app-cache")));
  }
}
