package dev.sympaappliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The staging topology as a list administrator runs it: compose/build-images.sh, then the real
 * compose file up, mail to the relay's published port, and `down -v`.
 */
class ComposeStagingTest {
  private static final String DOMAIN = "lists.example.org";
  private static final List<String> SERVICES = List.of("relay", "sympa", "sink");

  @Test
  void mailThroughTheStagingTopologyLandsInTheSpoolsAndAtTheSink() throws Exception {
    Path repository = ComposeProject.repositoryRoot();
    Path jar = repository.resolve("builder/target/builder.jar");
    assertThat(jar).as("the builder jar (mvn package builds it before this module's tests)").isRegularFile();
    int port = freePort();
    String project = "sympa-staging-e2e-" + UUID.randomUUID().toString().substring(0, 8);

    try (ComposeProject compose = new ComposeProject(repository, project,
        Map.of("RELAY_PORT", Integer.toString(port), "LIST_DOMAIN", DOMAIN, "BUILDER_JAR", jar.toString()))) {
      compose.runOk(List.of("bash", "compose/build-images.sh"));
      compose.composeOk("up", "-d");
      awaitHealthy(compose, Duration.ofSeconds(120));

      String listToken = "compose-list-" + UUID.randomUUID();
      String ownerToken = "compose-owner-" + UUID.randomUUID();
      send(port, "test@" + DOMAIN, listToken);
      send(port, "test-owner@" + DOMAIN, ownerToken);
      assertThat(awaitOutput(compose, "sympa", "grep -lF " + Shell.quote(listToken) + " /var/spool/sympa/msg/* || true"))
          .startsWith("/var/spool/sympa/msg/test@" + DOMAIN + ".");
      assertThat(awaitOutput(compose, "sympa", "grep -lF " + Shell.quote(ownerToken) + " /var/spool/sympa/bounce/* || true"))
          .startsWith("/var/spool/sympa/bounce/test-owner@" + DOMAIN + ".");

      String outboundToken = "compose-outbound-" + UUID.randomUUID();
      compose.exec("sympa", "echo " + Shell.quote(outboundToken) + " | mail -s outbound someone@example.net");
      String kept = awaitOutput(compose, "sink", "grep -lF " + Shell.quote(outboundToken) + " -r /sink || true");
      assertThat(compose.exec("sink", "cat " + Shell.quote(kept.lines().findFirst().orElseThrow())))
          .contains("X-Rcpt-Args: <someone@example.net>");

      compose.composeOk("down", "-v");
      String volumes = compose.runOk(List.of("docker", "volume", "ls", "-q",
          "--filter", "label=com.docker.compose.project=" + project)).output();
      assertThat(volumes).as("named volumes left after down -v").isBlank();
    }
  }

  private static void send(int port, String recipient, String token) throws IOException {
    try (SmtpSession smtp = new SmtpSession("127.0.0.1", port)) {
      assertThat(smtp.greetingCode()).isEqualTo(220);
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(recipient)).as(smtp.lastReply()).isEqualTo(250);
      assertThat(smtp.data("Subject: staging", "Message-ID: <" + token + "@example.net>", "", token))
          .containsExactly(354, 250);
    }
  }

  private static void awaitHealthy(ComposeProject compose, Duration deadline) throws InterruptedException {
    List<String> states = Poll.until(() -> healthStates(compose),
        health -> health.stream().allMatch(state -> state.endsWith("=healthy")), deadline, Duration.ofMillis(500));
    if (!states.stream().allMatch(state -> state.endsWith("=healthy"))) {
      throw new AssertionError("services not healthy within " + deadline + ": " + String.join(" ", states)
          + "\n" + compose.compose("logs", "--tail", "20").output());
    }
  }

  /** "service=health" for each service. */
  private static List<String> healthStates(ComposeProject compose) {
    return SERVICES.stream().map(service -> {
      String id = compose.containerId(service);
      String health = id.isEmpty() ? "missing" : compose.runOk(List.of("docker", "inspect", "--format",
          "{{.State.Health.Status}}", id)).output().strip();
      return service + "=" + health;
    }).toList();
  }

  private static String awaitOutput(ComposeProject compose, String service, String shellCommand)
      throws InterruptedException {
    return Poll.until(() -> compose.exec(service, shellCommand).strip(), output -> !output.isEmpty(),
        Duration.ofSeconds(30), Duration.ofMillis(300));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
