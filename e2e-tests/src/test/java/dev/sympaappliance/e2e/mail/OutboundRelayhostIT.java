package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** With --relayhost, mail the appliance sends to other domains leaves through that host. */
@Testcontainers
class OutboundRelayhostIT {
  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final ToolsApplianceContainer appliance =
      new ToolsApplianceContainer(ApplianceImages.withRelayhostSink(), ApplianceImages.HOSTNAME)
          .withNetwork(network)
          .withNetworkAliases("sympa")
          .dependsOn(sink);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void mailToAnOutsideAddressArrivesAtTheRelayHostWithItsEnvelope() throws Exception {
    assertThat(appliance.postconf("relayhost")).isEqualTo("[sink]:25");
    String token = "outbound-" + UUID.randomUUID();

    appliance.sendWithMail("someone@example.net", "to a subscriber", token);

    List<ReceivedMessage> messages = sink.awaitMessagesContaining(token, 1, Duration.ofSeconds(30));
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).raw())
        .contains("X-Rcpt-Args: <someone@example.net>")
        .contains("X-Mail-Args: <root@mx." + DOMAIN + ">")
        .contains("Subject: to a subscriber");
    assertThat(appliance.queuedMessages()).isEmpty();
  }

  @Test
  void listMailStaysLocalAndIsNotSentToTheRelayHost() throws Exception {
    String token = "local-" + UUID.randomUUID();
    appliance.sendWithMail(ApplianceImages.LIST + "@" + DOMAIN, "to the list", token);

    assertThat(appliance.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30))).hasSize(1);
    assertThat(sink.messagesContaining(token)).isEmpty();
  }
}
