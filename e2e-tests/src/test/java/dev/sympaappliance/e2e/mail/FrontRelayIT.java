package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Shell;
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
 * accepted by the relay lands in the server's spools with its meaning intact. The relay has no list
 * of its own: it asks the Sympa server at RCPT time (address verification), so what the Sympa
 * server accepts, refuses or defers, the relay does too.
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
      // The Sympa server said so; its reply, naming its host and address, stays inside.
      assertThat(smtp.lastReply()).doesNotContain("sympa[").doesNotContain("said:");
    }
    assertThat(relay.queuedMessages()).isEmpty();
  }

  /**
   * An address the Sympa server starts to accept at run time (a line added to its recipient table
   * and a reload: what creating a list does on the full flavour) is accepted by the same relay,
   * neither rebuilt nor restarted, once the relay's brief memory of the refusal has expired.
   */
  @Test
  void anAddressTheSympaServerAcceptsLaterIsAcceptedByTheRelayWithoutARebuild() throws Exception {
    String local = "later-" + UUID.randomUUID().toString().substring(0, 8);
    String address = local + "@" + DOMAIN;
    assertThat(rcptAtTheRelay(address)).as("before the Sympa server knows it").isEqualTo(550);

    sympa.execOk(
        "printf '%s\\t%s\\n' "
            + Shell.quote("/^" + local + "@lists\\.example\\.org$/")
            + " OK >> /etc/postfix/relay_recipients"
            + " && postfix reload");
    assertThat(sympa.query("postmap", address, "regexp:/etc/postfix/relay_recipients"))
        .isEqualTo("OK");
    Poll.until(
        () -> rcptAtTheRelay(address),
        code -> code == 250,
        Duration.ofSeconds(60),
        Duration.ofSeconds(1));

    String token = "relay-later-" + UUID.randomUUID();
    try (SmtpSession smtp = new SmtpSession(relay.smtpHost(), relay.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(address)).as(smtp.lastReply()).isEqualTo(250);
      assertThat(smtp.data("Subject: later", "Message-ID: <" + token + "@example.net>", "", token))
          .containsExactly(354, 250);
    }
    List<SpoolFile> files = sympa.msgSpool().awaitFilesContaining(token, Duration.ofSeconds(30));
    assertThat(files).hasSize(1);
    assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + address);
  }

  /**
   * The Sympa server's temporary refusal (the full flavour answers 450 4.2.1 for the lists it is
   * still creating at its first start) reaches the client as 450: it retries, nothing bounces.
   */
  @Test
  void aTemporaryRefusalOfTheSympaServerReachesTheClientAs450() throws Exception {
    String local = "creating-" + UUID.randomUUID().toString().substring(0, 8);
    sympa.execOk(
        "printf '%s %s\\n' "
            + Shell.quote("/^" + local + "@/")
            + " '450 4.2.1 This list is being created, try again later'"
            + " > /etc/postfix/being_created"
            + " && postconf -e 'smtpd_recipient_restrictions = check_recipient_access"
            + " regexp:/etc/postfix/being_created' && postfix reload");
    try (SmtpSession smtp = new SmtpSession(relay.smtpHost(), relay.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(local + "@" + DOMAIN)).as(smtp.lastReply()).isEqualTo(450);
      assertThat(smtp.lastReply()).contains("4.1.1");
    } finally {
      sympa.execOk("postconf -X smtpd_recipient_restrictions && postfix reload");
    }
    assertThat(relay.queuedMessages()).isEmpty();
  }

  /**
   * What asking costs, printed (not asserted: timings depend on the machine): the RCPT reply time
   * for an address the relay has not asked about yet and for the same address again; and the probes
   * the relay sent for it (one, however many times it is asked within the cache's time).
   */
  @Test
  void aFirstRecipientCostsOneProbeAndTheNextOnesNone() throws Exception {
    String address =
        "bounce+cost-" + UUID.randomUUID().toString().substring(0, 8) + "==a=example.net@" + DOMAIN;
    long[] nanos = new long[3];
    try (SmtpSession smtp = new SmtpSession(relay.smtpHost(), relay.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      for (int i = 0; i < nanos.length; i++) {
        long started = System.nanoTime();
        assertThat(smtp.rcptTo(address)).as(smtp.lastReply()).isEqualTo(250);
        nanos[i] = System.nanoTime() - started;
      }
    }
    long probes =
        relay
            .getLogs()
            .lines()
            .filter(
                line ->
                    line.contains("to=<" + address + ">") && line.contains("status=deliverable"))
            .count();
    System.out.printf(
        "[figures] relay RCPT reply: first (not cached) %.1f ms, then (cached) %.1f ms and %.1f ms;"
            + " probes sent for the address: %d%n",
        nanos[0] / 1e6, nanos[1] / 1e6, nanos[2] / 1e6, probes);
    assertThat(probes).as("probes for 3 RCPTs of one address").isEqualTo(1);
  }

  private static int rcptAtTheRelay(String address) {
    try (SmtpSession smtp = new SmtpSession(relay.smtpHost(), relay.smtpPort())) {
      smtp.helo("client.example.net");
      smtp.mailFrom("alice@example.net");
      return smtp.rcptTo(address);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
