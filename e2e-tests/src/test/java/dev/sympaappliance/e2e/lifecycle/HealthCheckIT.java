package dev.sympaappliance.e2e.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The image's own HEALTHCHECK (the command Docker runs, read from the container's configuration) on
 * the full example: it fails, naming what failed, when Postfix, a Sympa daemon, the web interface
 * or the database fails, and passes again once that is back. One server of its own, since each case
 * breaks it for a while.
 */
@Testcontainers
class HealthCheckIT {
  static final Duration BACK = Duration.ofSeconds(60);
  static final String STAMP = "/run/sympa-appliance/health_check.passed";

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
  void theHealthCheckFailsWhenPostfixADaemonTheWebOrTheDatabaseFailsAndPassesOnceItIsBack()
      throws Exception {
    assertThat(health().getExitCode()).as("healthy at first").isEqualTo(0);
    for (String service : List.of("postfix", "bulk", "nginx", "wwsympa")) {
      server.shell(
          "s6-svc -d /run/service/" + service + " && s6-svwait -D /run/service/" + service);
      ExecResult down = health();
      assertThat(down.getExitCode()).as("health with " + service + " down").isEqualTo(1);
      assertThat(down.getStdout()).contains(service + " is not running");
      server.shell("s6-svc -u /run/service/" + service);
      Poll.until(() -> health().getExitCode(), code -> code == 0, BACK, Duration.ofMillis(500));
    }

    // The database: Sympa's SQLite file replaced by one that is not a database. The check runs
    // its query of the database at most once a minute: its stamp is removed, as a minute passing
    // would.
    String database = SympaListServerContainer.SQLITE_DATABASE;
    server.shell(
        "cp -p "
            + database
            + " /tmp/kept.sqlite && printf 'not a database' > "
            + database
            + " && rm -f "
            + STAMP);
    ExecResult broken = health();
    server.shell("cp -p /tmp/kept.sqlite " + database);
    assertThat(broken.getExitCode()).as("health with a broken database").isEqualTo(1);
    assertThat(broken.getStdout()).contains("Sympa's database does not answer");
    server.shell("rm -f " + STAMP);
    Poll.until(() -> health().getExitCode(), code -> code == 0, BACK, Duration.ofMillis(500));
  }

  /** The image's HEALTHCHECK command, run as Docker runs it. */
  private static ExecResult health() {
    List<String> test = server.getContainerInfo().getConfig().getHealthcheck().getTest();
    assertThat(test.get(0)).isIn("CMD", "CMD-SHELL");
    String[] command =
        test.get(0).equals("CMD")
            ? test.subList(1, test.size()).toArray(String[]::new)
            : new String[] {"sh", "-c", test.get(1)};
    try {
      return server.execInContainer(command);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
