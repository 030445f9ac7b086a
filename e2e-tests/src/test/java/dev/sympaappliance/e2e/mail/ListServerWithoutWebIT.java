package dev.sympaappliance.e2e.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.MailCommands;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The list server of examples/lists.yaml built with --no-web: no web server runs or is declared,
 * and Sympa, without a web address, asks for confirmations by reply instead of by a link.
 */
@Testcontainers
class ListServerWithoutWebIT {
  static final Duration DELIVERY = Duration.ofSeconds(60);
  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.exampleWithoutWeb(), sink);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void noWebServerRunsAndTheImageDeclaresOnlyPort25() {
    var config =
        DockerClientFactory.instance()
            .client()
            .inspectImageCmd(ListServerImages.exampleWithoutWeb().asCanonicalNameString())
            .exec()
            .getConfig();
    assertThat(config.getExposedPorts()).extracting(Object::toString).containsExactly("25/tcp");
    assertThat(server.shell("ls /run/service").split("\\s+"))
        .doesNotContain("nginx", "wwsympa", "syslog")
        .contains("postfix", "sympa_msg", "bulk");
    assertThat(
            server.shellResult("grep -q '^wwsympa_url' /etc/sympa/sympa/sympa.conf").getExitCode())
        .isEqualTo(1);
    // Nothing listens on port 80 in the container (Docker's published port only relays).
    assertThat(server.shellResult("bash -c 'exec 3<>/dev/tcp/127.0.0.1/80'").getExitCode())
        .isEqualTo(1);
    assertThat(server.shellResult("bash -c 'exec 3<>/dev/tcp/127.0.0.1/25'").getExitCode())
        .isEqualTo(0);
  }

  @Test
  void aSubscriptionByMailIsConfirmedByReplying() throws Exception {
    MailCommands.subscribeByMailReplying(server, sink, "team", "nora@example.net", DELIVERY);
    assertThat(server.members("team")).contains("nora@example.net");
  }
}
