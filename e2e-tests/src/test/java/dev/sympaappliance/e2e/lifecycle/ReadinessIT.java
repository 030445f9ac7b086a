package dev.sympaappliance.e2e.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Readiness as Docker sees it, on the full example: the container's health status (the image's own
 * HEALTHCHECK, run by Docker at its interval, not by the test) turns "unhealthy" when a Sympa
 * daemon is stopped, when Sympa's database cannot be read, or when nginx is stopped, naming the
 * part, and "healthy" again once that part is back. One server of its own, since each case breaks
 * it.
 */
@Testcontainers
class ReadinessIT {
  /**
   * A stopped service is seen by the next runs (three failures make "unhealthy"); the database is
   * queried at most once a minute while the container is healthy, so it may take a minute and more.
   */
  static final Duration NOTICED = Duration.ofMinutes(3);

  static final Duration BACK = Duration.ofMinutes(2);
  static final Duration PROBE = Duration.ofMillis(500);

  static final DockerClient docker = DockerClientFactory.instance().client();
  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.example(), sink);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void aStoppedSympaDaemonMakesTheContainerUnhealthyUntilItRunsAgain() throws Exception {
    // preload: the parent the daemons are forked from, which loaded Sympa's modules for them.
    for (String daemon :
        List.of("preload", "sympa_msg", "bulk", "archived", "bounced", "task_manager")) {
      server.shell("s6-svc -d /run/service/" + daemon + " && s6-svwait -D /run/service/" + daemon);
      assertThat(awaitStatus("unhealthy", NOTICED).lastOutput())
          .as("Docker's last health output with " + daemon + " down")
          .contains(daemon + " is not running");
      server.shell("s6-svc -u /run/service/" + daemon);
      awaitStatus("healthy", BACK);
    }
  }

  @Test
  void anUnreadableDatabaseMakesTheContainerUnhealthyUntilItIsReadableAgain() throws Exception {
    String database = SympaListServerContainer.SQLITE_DATABASE;
    String mode = server.shell("stat -c %a " + database).strip();
    server.shell("chmod 000 " + database);
    try {
      assertThat(awaitStatus("unhealthy", NOTICED).lastOutput())
          .as("Docker's last health output with " + database + " unreadable")
          .contains("Sympa's database does not answer");
    } finally {
      server.shell("chmod " + mode + " " + database);
    }
    awaitStatus("healthy", BACK);
  }

  @Test
  void aStoppedNginxMakesTheContainerUnhealthyUntilItRunsAgain() throws Exception {
    server.shell("s6-svc -d /run/service/nginx && s6-svwait -D /run/service/nginx");
    try {
      assertThat(awaitStatus("unhealthy", NOTICED).lastOutput())
          .as("Docker's last health output with nginx down")
          .contains("nginx is not running");
    } finally {
      server.shell("s6-svc -u /run/service/nginx");
    }
    awaitStatus("healthy", BACK);
  }

  /** Docker's health of the server, as `docker inspect` reports it. */
  private record Health(String status, List<HealthStateLog> log) {
    String lastOutput() {
      return log.isEmpty() ? "" : log.get(log.size() - 1).getOutput();
    }
  }

  private static Health health() {
    HealthState state =
        docker.inspectContainerCmd(server.getContainerId()).exec().getState().getHealth();
    return new Health(state.getStatus(), state.getLog() == null ? List.of() : state.getLog());
  }

  /** Polls Docker's health status until it is {@code status}; fails when the deadline passes. */
  private static Health awaitStatus(String status, Duration deadline) throws InterruptedException {
    return Poll.until(ReadinessIT::health, h -> status.equals(h.status()), deadline, PROBE);
  }
}
