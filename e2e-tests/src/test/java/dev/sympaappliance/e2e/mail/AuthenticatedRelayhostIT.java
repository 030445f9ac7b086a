package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.spec.Deliverability;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.SaslRelayhostContainer;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
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

/**
 * The full list server sending through a relay host that requires SMTP AUTH over TLS, with its
 * credentials in a mounted file: right ones deliver, wrong ones defer (never bounce), and the
 * password shows in neither the logs nor `docker inspect`.
 */
@Testcontainers
class AuthenticatedRelayhostIT {
  static final List<String> TEAM =
      List.of("alice@example.org", "bob@example.org", "carol@example.net");
  static final String PASSWORD = "Relay-" + UUID.randomUUID();

  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SaslRelayhostContainer relayhost =
      new SaslRelayhostContainer(network, PASSWORD).dependsOn(sink);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  private static SympaListServerContainer server(String credentials) {
    return new SympaListServerContainer(ListServerImages.exampleWithAuthenticatedRelayhost())
        .withNetwork(network)
        .dependsOn(relayhost)
        .withSecretFile(ListServerImages.MOUNTED_RELAYHOST_PASSWORD, credentials, 0600);
  }

  @Test
  void withTheRightCredentialsAPostReachesEveryMemberThroughTheAuthenticatedRelayHost()
      throws Exception {
    try (SympaListServerContainer server = server(SaslRelayhostContainer.USER + ":" + PASSWORD)) {
      server.start();
      String token = "auth-ok-" + UUID.randomUUID();

      server.sendOverSmtp("alice@example.org", "team@" + DOMAIN, post(token));

      List<String> recipients = sink.awaitRecipients(token, TEAM.size(), Duration.ofSeconds(60));
      assertThat(recipients).containsExactlyInAnyOrderElementsOf(TEAM);
      List<ReceivedMessage> copies = (sink.messagesContaining(token));
      // ESMTPSA: the relay host received it over TLS (S) from an authenticated client (A).
      assertThat(copies)
          .isNotEmpty()
          .allSatisfy(
              copy ->
                  assertThat(copy.raw())
                      .containsPattern(
                          "from mx\\.lists\\.example\\.org .*\\n\\s+by relayhost \\(Postfix\\) with ESMTPSA "));
      assertPasswordNowhere(server);
    }
  }

  @Test
  void withWrongCredentialsThePostIsDeferredNotBounced() throws Exception {
    try (SympaListServerContainer server =
        server(SaslRelayhostContainer.USER + ":wrong-" + PASSWORD)) {
      server.start();
      String token = "auth-wrong-" + UUID.randomUUID();

      server.sendOverSmtp("alice@example.org", "team@" + DOMAIN, post(token));

      String queue =
          Poll.until(
              () -> server.shell("postqueue -j"),
              q -> q.contains("SASL authentication failed"),
              Duration.ofSeconds(60),
              Duration.ofMillis(500));
      assertThat(queue)
          .contains("SASL authentication failed")
          .contains("\"queue_name\": \"deferred\"");
      assertThat(sink.messagesContaining(token)).isEmpty();
      // Nothing bounced: no delivery status notification was made.
      assertThat(server.shell("postqueue -j")).doesNotContain("\"sender\": \"\"");
      assertPasswordNowhere(server);
    }
  }

  private static void assertPasswordNowhere(SympaListServerContainer server) {
    assertThat(server.getLogs()).contains("starting Postfix").doesNotContain(PASSWORD);
    String inspect =
        server.getDockerClient().inspectContainerCmd(server.getContainerId()).exec().toString();
    assertThat(inspect).doesNotContain(PASSWORD);
    String image =
        server.getDockerClient().inspectImageCmd(server.getDockerImageName()).exec().toString();
    assertThat(image).doesNotContain(PASSWORD);
    assertThat(
            server.placesHolding(
                PASSWORD, "/var/lib/sympa", "/var/spool/sympa", "/var/spool/postfix", "/etc"))
        .as("the volumes, /etc, and every process's environment and command line")
        .isEmpty();
    // Where it is: the table Postfix reads, made at start outside the image and the volumes.
    assertThat(server.placesHolding(PASSWORD, "/run/sympa-appliance"))
        .containsExactly(Deliverability.RELAYHOST_PASSWORD_TABLE + ".db");
    // A table only root reads; its source text was removed once compiled.
    assertThat(
            server
                .shell("stat -c '%a %U:%G' " + Deliverability.RELAYHOST_PASSWORD_TABLE + ".db")
                .strip())
        .isEqualTo("600 root:root");
    assertThat(
            server.shellResult("test -e " + Deliverability.RELAYHOST_PASSWORD_TABLE).getExitCode())
        .isEqualTo(1);
  }

  private static String[] post(String token) {
    return new String[] {
      "From: alice@example.org",
      "To: team@" + DOMAIN,
      "Subject: " + token,
      "Message-ID: <" + token + "@example.org>",
      "",
      "Body of " + token
    };
  }
}
