package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.SmtpScript;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Never an open relay: unauthenticated relaying to other domains is refused from the host through
 * the published port and from another container on the same Docker network.
 */
@Testcontainers
class OpenRelayIT {
  static final Network network = Network.newNetwork();

  @Container
  static final ToolsApplianceContainer appliance =
      new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)
          .withNetwork(network)
          .withNetworkAliases("sympa");

  /** A neighbour on the same Docker network (the same image, as a plain SMTP client). */
  @Container
  static final ToolsApplianceContainer neighbour =
      new ToolsApplianceContainer(ApplianceImages.standard(), "neighbour.example.net")
          .withNetwork(network);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void relayFromTheHostThroughThePublishedPortIsRefused() throws Exception {
    try (SmtpSession smtp = new SmtpSession(appliance.smtpHost(), appliance.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("spammer@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo("victim@example.com")).isEqualTo(554);
      assertThat(smtp.lastReply()).contains("Relay access denied");
      // Neither a subdomain of the list domain, nor a domain that merely ends like it.
      assertThat(smtp.rcptTo("victim@sub." + DOMAIN)).isEqualTo(554);
      assertThat(smtp.rcptTo("victim@" + DOMAIN + ".example.com")).isEqualTo(554);
      assertThat(smtp.rcptTo("victim@x" + DOMAIN)).isEqualTo(554);
      assertThat(smtp.data("Subject: relay", "", "relay attempt")[0])
          .as("DATA without a valid recipient")
          .isEqualTo(554);
    }
    assertThat(appliance.queuedMessages()).as("nothing queued for relaying").isEmpty();
  }

  @Test
  void relayFromAnotherContainerOnTheDockerNetworkIsRefused() {
    String dialogue =
        neighbour.execOk(
            SmtpScript.dialogue(
                "sympa",
                25,
                "HELO neighbour.example.net",
                "MAIL FROM:<spammer@example.net>",
                "RCPT TO:<victim@example.com>",
                "RCPT TO:<victim@sub." + DOMAIN + ">",
                "QUIT"));
    assertThat(dialogue).contains("RCPT TO:<victim@example.com> -> 554 5.7.1");
    assertThat(dialogue).contains("RCPT TO:<victim@sub." + DOMAIN + "> -> 554 5.7.1");
    assertThat(appliance.queuedMessages()).isEmpty();
  }
}
