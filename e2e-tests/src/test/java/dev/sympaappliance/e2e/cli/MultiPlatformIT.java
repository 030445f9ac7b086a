package dev.sympaappliance.e2e.cli;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.BuilderCli;
import dev.sympaappliance.e2e.support.Processes;
import dev.sympaappliance.e2e.support.Spool.SpoolFile;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * `builder image --platform linux/amd64,linux/arm64 --output tar` writes one OCI archive holding an
 * image index over both platforms: skopeo (what the README tells users to push it with) lists both,
 * and each platform's image, copied out of the archive into Docker, runs on its architecture (arm64
 * under QEMU emulation here) and delivers list mail to its spool.
 */
class MultiPlatformIT {
  private static final String REFERENCE = "sympa-appliance-e2e-multi:latest";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void oneArchiveHoldsBothPlatformsAndEachRunsOnItsArchitecture(@TempDir Path dir)
      throws Exception {
    Path tar = dir.resolve("multi.tar");
    Processes.Result result =
        BuilderCli.runOk(
            dir,
            Map.of(),
            List.of(),
            "image",
            "--sympa",
            "tools",
            "--domain",
            DOMAIN,
            "--list",
            "announce",
            "--platform",
            "linux/amd64,linux/arm64",
            "--output",
            "tar",
            "--tar",
            tar.toString(),
            "--tag",
            REFERENCE);
    assertThat(result.stdout())
        .contains("built " + REFERENCE)
        .contains("linux/amd64: sha256:")
        .contains("linux/arm64: sha256:")
        .contains("skopeo copy --all oci-archive:" + tar);
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("multi.tar");
    }

    // What a registry would get: the index over the two platforms.
    JsonNode index = JSON.readTree(skopeo("inspect", "--raw", "oci-archive:" + tar));
    assertThat(index.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    List<String> platforms = new ArrayList<>();
    index
        .path("manifests")
        .forEach(
            m ->
                platforms.add(
                    m.path("platform").path("os").asText()
                        + "/"
                        + m.path("platform").path("architecture").asText()));
    assertThat(platforms).containsExactly("linux/amd64", "linux/arm64");

    for (String[] platform :
        List.of(new String[] {"amd64", "x86_64"}, new String[] {"arm64", "aarch64"})) {
      runsOnItsArchitecture(tar, platform[0], platform[1]);
    }
  }

  /** Copies one platform out of the archive into Docker, as the README says, and runs it. */
  private static void runsOnItsArchitecture(Path tar, String architecture, String machine)
      throws Exception {
    String reference = "sympa-appliance-e2e-multi-" + architecture + ":latest";
    skopeo(
        "copy",
        "--override-arch",
        architecture,
        "oci-archive:" + tar,
        "docker-daemon:" + reference);
    try {
      assertThat(
              DockerClientFactory.instance().client().inspectImageCmd(reference).exec().getArch())
          .as("the architecture Docker records for the %s image", architecture)
          .isEqualTo(architecture);
      try (ToolsApplianceContainer appliance =
          new ToolsApplianceContainer(DockerImageName.parse(reference), ApplianceImages.HOSTNAME)) {
        if (!machine.equals(System.getProperty("os.arch").replace("amd64", "x86_64"))) {
          appliance.emulated();
        }
        appliance.start();
        assertThat(appliance.execOk("uname -m").strip()).isEqualTo(machine);
        String token = "multi-" + architecture + "-" + UUID.randomUUID();
        appliance.sendWithMail("announce@" + DOMAIN, "from the " + architecture + " image", token);
        List<SpoolFile> files =
            appliance
                .msgSpool()
                .awaitFilesContaining(token, ToolsApplianceContainer.EMULATED_STARTUP);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: announce@" + DOMAIN);
      }
    } finally {
      DockerClientFactory.instance().client().removeImageCmd(reference).withForce(true).exec();
    }
  }

  private static String skopeo(String... args) {
    List<String> command = new ArrayList<>(List.of("skopeo"));
    command.addAll(List.of(args));
    Processes.Result result = Processes.run(command, null, Map.of(), Duration.ofMinutes(5));
    assertThat(result.exitCode()).as("%s\n%s", command, result.output()).isZero();
    return result.stdout();
  }
}
