package dev.sympaappliance.e2e.cli;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.FrameConsumerResultCallback;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The image finalises itself at start (alias databases) and Postfix, asked through its own tools,
 * runs the configuration of Sympa's how-to.
 */
@Testcontainers
class FinalisationIT {
  @Container
  static final ToolsApplianceContainer appliance =
      new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME);

  @Test
  void postfixRunsTheHowToSettings() {
    assertThat(appliance.postconf("myhostname")).isEqualTo("mx." + DOMAIN);
    assertThat(appliance.postconf("relay_domains")).isEqualTo(DOMAIN);
    assertThat(appliance.postconf("recipient_delimiter")).isEqualTo("+");
    assertThat(appliance.postconf("sympa_destination_recipient_limit")).isEqualTo("1");
    assertThat(appliance.postconf("sympabounce_destination_recipient_limit")).isEqualTo("1");
    assertThat(appliance.postconf("transport_maps"))
        .isEqualTo("regexp:/etc/postfix/transport_regexp");
    assertThat(appliance.postconf("alias_maps"))
        .isEqualTo("hash:/etc/aliases, hash:/etc/sympa/sympa_aliases");
    assertThat(appliance.execOk("postconf -M sympa/unix sympabounce/unix"))
        .contains(
            "flags=R user=sympa argv=/usr/local/lib/sympa-appliance/spool-guard /etc/sympa/sympa/sympa.conf 1024"
                + " /usr/lib/sympa/bin/queue /var/spool/sympa/msg ${size} ${recipient}")
        .contains(
            "flags=R user=sympa argv=/usr/local/lib/sympa-appliance/spool-guard /etc/sympa/sympa/sympa.conf 1024"
                + " /usr/lib/sympa/bin/bouncequeue /var/spool/sympa/bounce ${size} ${recipient}");
    assertThat(appliance.postconf("relay_recipient_maps"))
        .isEqualTo("regexp:/etc/postfix/relay_recipients");
    assertThat(appliance.postconf("smtpd_forbid_bare_newline")).isEqualTo("yes");
  }

  @Test
  void transportMapRoutesOwnerMailToTheBounceTool() {
    String table = "regexp:/etc/postfix/transport_regexp";
    assertThat(appliance.query("postmap", LIST + "@" + DOMAIN, table)).isEqualTo("sympa:");
    assertThat(appliance.query("postmap", LIST + "-owner@" + DOMAIN, table))
        .isEqualTo("sympabounce:");
    assertThat(appliance.query("postmap", "bounce+x@" + DOMAIN, table)).isEqualTo("sympabounce:");
    assertThat(appliance.query("postmap", LIST + "@example.net", table)).isEmpty();
  }

  @Test
  void entrypointCompiledSympaAliasesOwnedBySympa() {
    String table = "hash:/etc/sympa/sympa_aliases";
    assertThat(appliance.query("postalias", LIST, table))
        .isEqualTo("\"| /usr/lib/sympa/bin/queue " + LIST + "@" + DOMAIN + "\"");
    assertThat(appliance.query("postalias", LIST + "-owner", table))
        .isEqualTo("\"| /usr/lib/sympa/bin/bouncequeue " + LIST + "@" + DOMAIN + "\"");
    assertThat(appliance.query("postalias", LIST + "-subscribe", table))
        .as("commented out")
        .isEmpty();
    assertThat(appliance.execOk("stat -c %U:%G /etc/sympa/sympa_aliases.db").strip())
        .isEqualTo("sympa:sympa");
    assertThat(appliance.execOk("stat -c '%U:%G %a' /etc/sympa/sympa/sympa.conf").strip())
        .isEqualTo("sympa:sympa 640");
    assertThat(appliance.execOk("stat -c '%U:%G %a' /var/spool/sympa/msg /var/spool/sympa/bounce"))
        .isEqualTo("sympa:sympa 771\nsympa:sympa 771\n");
  }

  @Test
  void entrypointRefusesToStartWhenTheSpoolIsNotWritableBySympa() throws Exception {
    // A root-owned tmpfs over the msg spool: queue would fail, and Postfix would bounce the mail.
    Exited exited =
        runOnce(
            HostConfig.newHostConfig().withTmpFs(Map.of("/var/spool/sympa/msg", "rw,mode=755")),
            null,
            null);
    assertThat(exited.exitCode()).isEqualTo(1);
    assertThat(exited.logs())
        .contains("sympa-appliance: spool /var/spool/sympa/msg is not writable by user sympa")
        .doesNotContain("daemon started");
  }

  /**
   * The other refusals of the README: a missing spool (either), a bounce spool sympa cannot write,
   * an unreadable sympa.conf. Each is made by a shell that breaks the image, then runs the
   * entrypoint.
   */
  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rmdir /var/spool/sympa/msg | spool /var/spool/sympa/msg is missing",
        "rmdir /var/spool/sympa/bounce | spool /var/spool/sympa/bounce is missing",
        "chown root:root /var/spool/sympa/bounce && chmod 0755 /var/spool/sympa/bounce"
            + " | spool /var/spool/sympa/bounce is not writable by user sympa",
        "chown root:root /etc/sympa/sympa/sympa.conf && chmod 0600 /etc/sympa/sympa/sympa.conf"
            + " | /etc/sympa/sympa/sympa.conf is not readable by user sympa"
      })
  void entrypointRefusesToStart(String breakIt, String refusal) throws Exception {
    Exited exited =
        runOnce(
            HostConfig.newHostConfig(),
            new String[] {"sh", "-c"},
            new String[] {
              "set -e; " + breakIt + "; exec /usr/local/sbin/sympa-appliance-entrypoint"
            });
    assertThat(exited.exitCode()).as("exit code; logs:\n%s", exited.logs()).isEqualTo(1);
    assertThat(exited.logs())
        .contains("sympa-appliance: " + refusal)
        .doesNotContain("daemon started");
  }

  /** `docker run IMAGE COMMAND` runs COMMAND on the finalised configuration instead of Postfix. */
  @Test
  void aCommandGivenToDockerRunRunsInsteadOfPostfix() throws Exception {
    Exited exited =
        runOnce(
            HostConfig.newHostConfig(),
            null,
            new String[] {
              "sh", "-c", "postconf -n && postalias -q list1 hash:/etc/sympa/sympa_aliases"
            });
    assertThat(exited.exitCode()).as("exit code; logs:\n%s", exited.logs()).isZero();
    assertThat(exited.logs())
        .contains("relay_domains = " + DOMAIN)
        .contains("| /usr/lib/sympa/bin/queue " + LIST + "@" + DOMAIN)
        .doesNotContain("starting Postfix")
        .doesNotContain("daemon started");
  }

  private record Exited(int exitCode, String logs) {}

  /**
   * Runs the standard image once (ENTRYPOINT and CMD overridden when given) and returns its exit
   * code and output.
   */
  private static Exited runOnce(HostConfig hostConfig, String[] entrypoint, String[] cmd)
      throws Exception {
    DockerClient docker = DockerClientFactory.instance().client();
    var create =
        docker
            .createContainerCmd(ApplianceImages.standard().asCanonicalNameString())
            .withHostName(ApplianceImages.HOSTNAME)
            .withHostConfig(hostConfig);
    if (entrypoint != null) {
      create.withEntrypoint(entrypoint);
    }
    if (cmd != null) {
      create.withCmd(cmd);
    }
    CreateContainerResponse created = create.exec();
    try {
      docker.startContainerCmd(created.getId()).exec();
      int exitCode =
          docker.waitContainerCmd(created.getId()).start().awaitStatusCode(60, TimeUnit.SECONDS);
      ToStringConsumer logs = new ToStringConsumer();
      try (FrameConsumerResultCallback callback = new FrameConsumerResultCallback()) {
        callback.addConsumer(OutputFrame.OutputType.STDERR, logs);
        callback.addConsumer(OutputFrame.OutputType.STDOUT, logs);
        docker.logContainerCmd(created.getId()).withStdOut(true).withStdErr(true).exec(callback);
        callback.awaitCompletion(30, TimeUnit.SECONDS);
      }
      return new Exited(exitCode, logs.toUtf8String());
    } finally {
      docker.removeContainerCmd(created.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
  }
}
