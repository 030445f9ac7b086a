package dev.sympaappliance.e2e.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ComposeProject;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Shell;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.WebBrowser;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The staging topology as a list administrator runs it: compose/build-images.sh, then the real
 * compose file up, mail to the relay's published port, and `down -v`.
 */
class ComposeStagingIT {
  private static final String DOMAIN = "lists.example.org";
  private static final String LISTMASTER = "listmaster@example.org";
  private static final List<String> SERVICES = List.of("relay", "sympa", "sink");

  @Test
  void aPostThroughTheStagingRelayReachesEveryMemberAtTheSink() throws Exception {
    Path repository = ComposeProject.repositoryRoot();
    Path jar = repository.resolve("builder/target/builder.jar");
    assertThat(jar)
        .as("the builder jar (mvn package builds it before this module's tests)")
        .isRegularFile();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String project = "sympa-staging-e2e-" + run;
    // This run's own tags (never a user's :staging images, nor a concurrent run's), and a port
    // Docker chooses when it publishes the relay (RELAY_PORT empty), read back below.
    String tag = "e2e-" + run;
    List<String> images =
        List.of(
            "sympa-appliance-relay:" + tag,
            "sympa-appliance:" + tag,
            "sympa-appliance-sink:" + tag);

    // The web interface likewise (WEB_PORT empty), at the public address the browser below uses.
    ComposeProject compose =
        new ComposeProject(
            repository,
            project,
            Map.of(
                "RELAY_PORT",
                "",
                "WEB_PORT",
                "",
                "WEB_URL",
                "http://" + DOMAIN + "/sympa",
                "STAGING_TAG",
                tag,
                "LIST_DOMAIN",
                DOMAIN,
                "BUILDER_JAR",
                jar.toString()));
    try (compose) {
      compose.runOk(List.of("bash", "compose/build-images.sh"));
      compose.composeOk("up", "-d");
      awaitHealthy(compose, Duration.ofSeconds(240));
      int port = publishedPort(compose, "relay", 25);

      String token = "compose-post-" + UUID.randomUUID();
      send(port, "alice@example.org", "team@" + DOMAIN, token);
      List<String> members = List.of("alice@example.org", "bob@example.org", "carol@example.net");
      List<String> copies =
          Poll.until(
              () -> queueEmpty(compose) ? copiesAtTheSink(compose, token) : List.of(),
              found -> found.size() >= members.size(),
              Duration.ofSeconds(90),
              Duration.ofMillis(500));
      assertThat(copies)
          .as("one copy of the post per member at the sink")
          .containsExactlyInAnyOrderElementsOf(members);

      // The web interface: the spec's lists on the home page, and the listmaster's first login
      // (the password link mailed through the sink) opens the server's admin pages.
      try (WebBrowser browser =
          new WebBrowser(DOMAIN, publishedPort(compose, "sympa", 80), "compose-staging")) {
        browser.open("/sympa");
        browser.shot("home");
        assertThat(browser.text()).contains("Team discussion");
        browser.firstLogin(
            (address, prefix) -> linkAtTheSink(compose, address, prefix),
            LISTMASTER,
            "staging password");
        browser.open("/sympa/serveradmin");
        browser.shot("listmaster-admin");
        assertThat(browser.title()).contains("serveradmin");
      }

      compose.composeOk("down", "-v");
      String volumes =
          compose
              .runOk(
                  List.of(
                      "docker",
                      "volume",
                      "ls",
                      "-q",
                      "--filter",
                      "label=com.docker.compose.project=" + project))
              .stdout();
      assertThat(volumes).as("named volumes left after down -v").isBlank();
    } finally {
      compose.run(
          Stream.concat(Stream.of("docker", "rmi"), images.stream()).toList(),
          Duration.ofMinutes(1));
    }
  }

  /**
   * The host port Docker chose for a service's port (`compose port SERVICE PORT`: 127.0.0.1:PORT).
   */
  private static int publishedPort(ComposeProject compose, String service, int port) {
    String address = compose.composeOk("port", service, Integer.toString(port)).stdout().strip();
    assertThat(address)
        .as("compose port " + service + " " + port)
        .matches("127\\.0\\.0\\.1:[0-9]+");
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** The first link starting with {@code prefix} in a mail the sink keeps for {@code address}. */
  private static String linkAtTheSink(ComposeProject compose, String address, String prefix)
      throws InterruptedException {
    String found =
        Poll.until(
            () ->
                SmtpSinkContainer.linkTo(
                        grepLines(compose, "sink", "X-Rcpt-Args: <" + address + ">", "/sink")
                            .stream()
                            .map(
                                file ->
                                    ReceivedMessage.parse(
                                        compose.exec("sink", "cat " + Shell.quote(file))))
                            .toList(),
                        address,
                        prefix)
                    .orElse(""),
            link -> !link.isEmpty(),
            Duration.ofSeconds(60),
            Duration.ofMillis(500));
    assertThat(found).as("a link " + prefix + "… mailed to " + address).isNotEmpty();
    return found;
  }

  private static boolean queueEmpty(ComposeProject compose) {
    return compose.exec("sympa", "postqueue -j").isBlank();
  }

  /**
   * Names of the files under DIRECTORY (recursively) that contain TOKEN; grep's "no match" is none,
   * its errors fail.
   */
  private static List<String> grepLines(
      ComposeProject compose, String service, String token, String directory) {
    return compose
        .exec(
            service,
            "grep -rlF -e "
                + Shell.quote(token)
                + " "
                + Shell.quote(directory)
                + "; status=$?; [ $status -eq 1 ] && exit 0; exit $status")
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  /**
   * The envelope recipients of the copies of the post {@code token} kept at the sink, one per copy.
   */
  private static List<String> copiesAtTheSink(ComposeProject compose, String token) {
    List<String> recipients = new java.util.ArrayList<>();
    for (String file : grepLines(compose, "sink", token, "/sink")) {
      ReceivedMessage copy =
          ReceivedMessage.parse(compose.exec("sink", "cat " + Shell.quote(file)));
      if (copy.header("Subject").orElse("").equals(token) && copy.header("List-Id").isPresent()) {
        recipients.addAll(copy.recipients());
      }
    }
    return recipients;
  }

  private static void send(int port, String sender, String recipient, String token)
      throws IOException {
    try (SmtpSession smtp = new SmtpSession("127.0.0.1", port)) {
      assertThat(smtp.greetingCode()).isEqualTo(220);
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom(sender)).isEqualTo(250);
      assertThat(smtp.rcptTo(recipient)).as(smtp.lastReply()).isEqualTo(250);
      assertThat(
              smtp.data(
                  "From: " + sender,
                  "To: " + recipient,
                  "Subject: " + token,
                  "Message-ID: <" + token + "@example.net>",
                  "",
                  "a post through the staging relay"))
          .containsExactly(354, 250);
    }
  }

  private static void awaitHealthy(ComposeProject compose, Duration deadline)
      throws InterruptedException {
    List<String> states =
        Poll.untilOrLast(
            () -> healthStates(compose),
            health -> health.stream().allMatch(state -> state.endsWith("=healthy")),
            deadline,
            Duration.ofMillis(500));
    if (!states.stream().allMatch(state -> state.endsWith("=healthy"))) {
      throw new AssertionError(
          "services not healthy within "
              + deadline
              + ": "
              + String.join(" ", states)
              + "\n"
              + compose.compose("logs", "--tail", "20").output());
    }
  }

  /** "service=health" for each service. */
  private static List<String> healthStates(ComposeProject compose) {
    return SERVICES.stream()
        .map(
            service -> {
              String id = compose.containerId(service);
              String health =
                  id.isEmpty()
                      ? "missing"
                      : compose
                          .runOk(
                              List.of(
                                  "docker", "inspect", "--format", "{{.State.Health.Status}}", id))
                          .stdout()
                          .strip();
              return service + "=" + health;
            })
        .toList();
  }
}
