package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.INTERNAL_DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.Spool;
import dev.sympaappliance.e2e.support.Spool.SpoolFile;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * --sympa-domain: the relay's virtual.regexp translates the public list domain to the domain the
 * Sympa server serves, keeping each address's local part, suffix and bounce extension.
 */
@Testcontainers
class SympaDomainTranslationIT {
  static final Network network = Network.newNetwork();

  @Container
  static final ToolsApplianceContainer sympa =
      new ToolsApplianceContainer(ApplianceImages.internalAppliance(), "mx." + INTERNAL_DOMAIN)
          .withNetwork(network)
          .withNetworkAliases("sympa-internal");

  @Container
  static final ToolsApplianceContainer relay =
      new ToolsApplianceContainer(ApplianceImages.translatingRelay(), "mx." + DOMAIN)
          .withNetwork(network)
          .dependsOn(sympa);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @ParameterizedTest(name = "{0}@public -> {0}@internal in {1}")
  @CsvSource({
    LIST + ", " + ToolsApplianceContainer.MSG_SPOOL,
    LIST + "-editor, " + ToolsApplianceContainer.MSG_SPOOL,
    LIST + "-owner, " + ToolsApplianceContainer.BOUNCE_SPOOL,
    "bounce+" + LIST + "==a=example.net, " + ToolsApplianceContainer.BOUNCE_SPOOL,
    "sympa, " + ToolsApplianceContainer.MSG_SPOOL
  })
  void publicAddressReachesTheSameAddressAtTheInternalDomain(
      String localPart, String spoolDirectory) throws Exception {
    String token = "translate-" + UUID.randomUUID();
    try (SmtpSession smtp = new SmtpSession(relay.smtpHost(), relay.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(localPart + "@" + DOMAIN)).as(smtp.lastReply()).isEqualTo(250);
      assertThat(
              smtp.data(
                  "Subject: translated", "Message-ID: <" + token + "@example.net>", "", token))
          .containsExactly(354, 250);
    }
    List<SpoolFile> files =
        new Spool(sympa, spoolDirectory).awaitFilesContaining(token, Duration.ofSeconds(30));
    assertThat(files).hasSize(1);
    assertThat(files.get(0).firstLine())
        .isEqualTo("X-Sympa-To: " + localPart + "@" + INTERNAL_DOMAIN);
  }
}
