package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.Spool;
import dev.sympaappliance.e2e.support.Spool.SpoolFile;
import dev.sympaappliance.e2e.support.TlsSmtpSession;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Front relay (--role relay) → Sympa server (the appliance) across a Docker network: list mail
 * accepted by the relay lands in the server's spools with its meaning intact.
 */
@Testcontainers
class FrontRelayIT {
  static final Network network = Network.newNetwork();

  @Container
  static final ToolsApplianceContainer sympa =
      new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME)
          .withNetwork(network)
          .withNetworkAliases("sympa");

  @Container
  static final ToolsApplianceContainer relay =
      new ToolsApplianceContainer(ApplianceImages.frontRelay(), "relay." + DOMAIN)
          .withNetwork(network)
          .withNetworkAliases("relay")
          .dependsOn(sympa);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  static Stream<Arguments> addresses() {
    return Stream.of(
        Arguments.of(LIST + "@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-request@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-owner@" + DOMAIN, ToolsApplianceContainer.BOUNCE_SPOOL),
        Arguments.of(
            "bounce+" + LIST + "==a=example.net@" + DOMAIN, ToolsApplianceContainer.BOUNCE_SPOOL));
  }

  @ParameterizedTest(name = "SMTP to the relay: {0} -> {1}")
  @MethodSource("addresses")
  void smtpToTheRelayLandsInTheSympaServersSpool(String address, String spoolDirectory)
      throws Exception {
    String token = "relay-smtp-" + UUID.randomUUID();
    try (SmtpSession smtp = new SmtpSession(relay.smtpHost(), relay.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(address)).as(smtp.lastReply()).isEqualTo(250);
      int[] data =
          smtp.data("Subject: via the relay", "Message-ID: <" + token + "@example.net>", "", token);
      assertThat(data).containsExactly(354, 250);
    }
    List<SpoolFile> files =
        new Spool(sympa, spoolDirectory).awaitFilesContaining(token, Duration.ofSeconds(30));
    assertThat(files).hasSize(1);
    assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + address);
    assertThat(files.get(0).content()).contains("Return-Path: <alice@example.net>");
    assertThat(relay.queuedMessages()).as("left on the relay").isEmpty();
  }

  @Test
  void theRelayOffersStarttlsWithItsOwnCertificateAndForwardsOverTls() throws Exception {
    String token = "relay-tls-" + UUID.randomUUID();
    java.security.cert.X509Certificate presented;
    try (TlsSmtpSession smtp = new TlsSmtpSession(relay.smtpHost(), relay.smtpPort())) {
      assertThat(smtp.ehloReply()).contains("STARTTLS");
      presented = smtp.startTls();
      assertThat(
              smtp.send(
                  "alice@example.net",
                  LIST + "@" + DOMAIN,
                  "Subject: over TLS\r\nMessage-ID: <"
                      + token
                      + "@example.net>\r\n\r\n"
                      + token
                      + "\r\n"))
          .isEqualTo(250);
    }

    String generated = relay.execOk("cat /var/spool/postfix/appliance-tls/cert.pem");
    assertThat(presented)
        .isEqualTo(
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new java.io.ByteArrayInputStream(
                        generated.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=relay." + DOMAIN);
    List<SpoolFile> files = sympa.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
    assertThat(files).hasSize(1);
    // Both hops encrypted: client -> relay, and relay -> the Sympa server (whose STARTTLS the relay
    // uses).
    assertThat(files.get(0).content())
        .containsPattern("by relay\\." + DOMAIN.replace(".", "\\.") + " \\(Postfix\\) with ESMTPS ")
        .containsPattern(
            "by " + ApplianceImages.HOSTNAME.replace(".", "\\.") + " \\(Postfix\\) with ESMTPS ");
  }

  @Test
  void mailCommandOnTheRelayReachesTheList() throws Exception {
    String token = "relay-mail-" + UUID.randomUUID();
    relay.sendWithMail(LIST + "@" + DOMAIN, "testing", token);

    List<SpoolFile> files = sympa.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
    assertThat(files).hasSize(1);
    assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + LIST + "@" + DOMAIN);
  }

  @Test
  void relayRefusesOtherDomainsAndUnknownListAddresses() throws Exception {
    try (SmtpSession smtp = new SmtpSession(relay.smtpHost(), relay.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("spammer@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo("victim@example.com")).isEqualTo(554);
      assertThat(smtp.lastReply()).contains("Relay access denied");
      assertThat(smtp.rcptTo("victim@sub." + DOMAIN)).isEqualTo(554);
      assertThat(smtp.rcptTo("nosuchlist@" + DOMAIN)).isEqualTo(550);
      assertThat(smtp.lastReply()).contains("5.1.1");
    }
    assertThat(relay.queuedMessages()).isEmpty();
  }

  @Test
  void relayRunsNoSympaPipes() {
    // All of master.cf (postconf must succeed and list the services), then no sympa/sympabounce in
    // it.
    List<String> services =
        relay.execOk("postconf -M").lines().map(line -> line.split("\\s+")[0]).toList();
    assertThat(services)
        .as("master.cf services of the relay")
        .contains("smtp", "relay", "local")
        .doesNotContain("sympa", "sympabounce");
    assertThat(sympa.execOk("postconf -M").lines().map(line -> line.split("\\s+")[0]).toList())
        .as("control: the appliance's services")
        .contains("sympa", "sympabounce");
    assertThat(relay.postconf("virtual_alias_maps"))
        .isEqualTo("regexp:/etc/postfix/virtual.regexp");
    assertThat(
            relay.query("postmap", LIST + "-owner@" + DOMAIN, "regexp:/etc/postfix/virtual.regexp"))
        .isEqualTo(LIST + "-owner@" + DOMAIN);
  }
}
