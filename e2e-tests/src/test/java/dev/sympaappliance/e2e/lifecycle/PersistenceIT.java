package dev.sympaappliance.e2e.lifecycle;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.Spool;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.DockerClientFactory;

/**
 * Mail deferred in Postfix's queue survives the container: after `docker stop` or `docker kill`, a
 * new container on the same volumes delivers every message exactly once.
 */
class PersistenceIT {
  private static final int MESSAGES = 3;
  private static final String MSG = ToolsApplianceContainer.MSG_SPOOL;

  @ParameterizedTest(name = "docker {0}")
  @ValueSource(strings = {"stop", "kill"})
  void deferredMailOutlivesTheContainer(String howItEnds) throws Exception {
    DockerClient docker = DockerClientFactory.instance().client();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String queueVolume = "sympa-e2e-queue-" + suffix;
    String spoolVolume = "sympa-e2e-spools-" + suffix;
    List<String> tokens = new ArrayList<>();
    try {
      try (ToolsApplianceContainer first = applianceOn(queueVolume, spoolVolume)) {
        first.start();
        first.execOk("chown root:root " + MSG + " && chmod 0755 " + MSG);
        for (int i = 0; i < MESSAGES; i++) {
          String token = "persist-" + howItEnds + "-" + i + "-" + UUID.randomUUID();
          tokens.add(token);
          first.sendWithMail(LIST + "@" + DOMAIN, "deferred " + i, token);
        }
        assertThat(first.awaitDeferred(MESSAGES, Duration.ofSeconds(30))).hasSize(MESSAGES);
        if (howItEnds.equals("stop")) {
          docker.stopContainerCmd(first.getContainerId()).withTimeout(20).exec();
        } else {
          docker.killContainerCmd(first.getContainerId()).exec();
        }
      }

      // The entrypoint refuses to start on a broken spool, so the repair happens on the volume.
      runOnce(docker, spoolVolume, "chown sympa:sympa " + MSG + " && chmod 0771 " + MSG);

      try (ToolsApplianceContainer second = applianceOn(queueVolume, spoolVolume)) {
        second.start();
        assertThat(second.queuedMessages()).as("the queue came along").hasSize(MESSAGES);
        second.execOk("postqueue -f");
        for (String token : tokens) {
          List<Spool.SpoolFile> files =
              second.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
          assertThat(files).as(token).hasSize(1);
          assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + LIST + "@" + DOMAIN);
        }
        assertThat(second.queuedMessages()).isEmpty();
        assertThat(second.localMailbox("root")).as("no bounce").isEmpty();
      }
    } finally {
      docker.removeVolumeCmd(queueVolume).exec();
      docker.removeVolumeCmd(spoolVolume).exec();
    }
  }

  private static ToolsApplianceContainer applianceOn(String queueVolume, String spoolVolume) {
    return new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)
        .withCreateContainerCmdModifier(
            cmd ->
                cmd.getHostConfig()
                    .withBinds(
                        new Bind(queueVolume, new Volume("/var/spool/postfix")),
                        new Bind(spoolVolume, new Volume("/var/spool/sympa"))));
  }

  private static void runOnce(DockerClient docker, String spoolVolume, String command)
      throws InterruptedException {
    CreateContainerResponse created =
        docker
            .createContainerCmd(ApplianceImages.standard().asCanonicalNameString())
            .withEntrypoint("sh", "-c", command)
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withBinds(new Bind(spoolVolume, new Volume("/var/spool/sympa"))))
            .exec();
    try {
      docker.startContainerCmd(created.getId()).exec();
      int exit =
          docker.waitContainerCmd(created.getId()).start().awaitStatusCode(60, TimeUnit.SECONDS);
      assertThat(exit).as("repair: " + command).isZero();
    } finally {
      docker.removeContainerCmd(created.getId()).withForce(true).exec();
    }
  }
}
