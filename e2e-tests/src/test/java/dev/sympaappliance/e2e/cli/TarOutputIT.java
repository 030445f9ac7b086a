package dev.sympaappliance.e2e.cli;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.BuilderCli;
import dev.sympaappliance.e2e.support.Processes;
import dev.sympaappliance.e2e.support.Spool.SpoolFile;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * `builder image --output tar --tar PATH`, the real CLI as a process, writes a tarball that `docker
 * load` accepts and that runs as a working appliance.
 */
class TarOutputIT {
  @Test
  void tarballLoadsAndDeliversToTheSpool(@TempDir Path dir) throws Exception {
    String reference = "sympa-appliance-e2e-tar:latest";
    Path tar = dir.resolve("appliance.tar");

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
            "--output",
            "tar",
            "--tar",
            tar.toString(),
            "--tag",
            reference);

    assertThat(result.stdout())
        .contains("built " + reference)
        .contains("digest:   sha256:")
        .contains("written to " + tar.toAbsolutePath());
    assertThat(result.stderr())
        .as("no output choice made: --output was given")
        .doesNotContain("output: ");
    assertThat(tar).isRegularFile();
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("appliance.tar");
    }
    try (InputStream in = Files.newInputStream(tar)) {
      DockerClientFactory.instance().client().loadImageCmd(in).exec();
    }

    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(DockerImageName.parse(reference), ApplianceImages.HOSTNAME)) {
      appliance.start();
      String token = "tar-" + UUID.randomUUID();
      appliance.sendWithMail("announce@" + DOMAIN, "from the tarball", token);
      List<SpoolFile> files =
          appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
      assertThat(files).hasSize(1);
      assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: announce@" + DOMAIN);
    } finally {
      DockerClientFactory.instance().client().removeImageCmd(reference).withForce(true).exec();
    }
  }
}
