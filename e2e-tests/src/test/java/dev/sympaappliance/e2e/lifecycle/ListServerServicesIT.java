package dev.sympaappliance.e2e.lifecycle;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.OneOffContainer;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.PostgresqlContainer;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * One image, several services (SYMPA_APPLIANCE_SERVICE): a core, a bulk and a web container of the
 * PostgreSQL example share the database and the volumes of /var/lib/sympa and /var/spool/sympa,
 * each with its own Postfix queue. The core takes a post in and the bulk sends it out; the web
 * serves pages; a second core on the same volumes refuses to start, and an SQLite image refuses to
 * run as a part of a deployment.
 */
class ListServerServicesIT {
  static final Duration DELIVERY = Duration.ofSeconds(90);
  static final String PASSWORD = "pg-" + UUID.randomUUID();
  static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  static final String SPOOLS = "sympa-e2e-services-spools-" + SUFFIX;
  static final String DATA = "sympa-e2e-services-data-" + SUFFIX;

  static final DockerClient docker = DockerClientFactory.instance().client();
  static final Network network = Network.newNetwork();
  static final SmtpSinkContainer sink = Sinks.relayHostOn(network);
  static final PostgresqlContainer postgres = new PostgresqlContainer(network, PASSWORD);
  static final SympaListServerContainer core = service("core");
  static final SympaListServerContainer bulk = service("bulk");
  static final SympaListServerContainer web = service("web");

  static {
    sink.start();
    postgres.start();
    core.start();
    bulk.start();
    web.start();
  }

  @AfterAll
  static void stopAll() {
    for (var c : List.of(web, bulk, core, postgres, sink)) {
      c.stop();
    }
    network.close();
    docker.removeVolumeCmd(SPOOLS).exec();
    docker.removeVolumeCmd(DATA).exec();
  }

  @Test
  void eachServiceSupervisesItsPartOnly() {
    assertThat(core.shell("cat /run/sympa-appliance/supervised").strip())
        .isEqualTo("postfix preload sympa_msg archived bounced task_manager");
    assertThat(bulk.shell("cat /run/sympa-appliance/supervised").strip())
        .isEqualTo("postfix preload bulk bulk-2");
    assertThat(web.shell("cat /run/sympa-appliance/supervised").strip())
        .isEqualTo("postfix syslog wwsympa nginx");
    // [b]: the pattern does not match the shell that runs pgrep.
    assertThat(core.shellResult("pgrep -f [s]ympa_msg.pl").getExitCode())
        .as("sympa_msg.pl in the core")
        .isEqualTo(0);
    assertThat(core.shellResult("pgrep -f [b]ulk.pl").getExitCode())
        .as("bulk.pl in the core")
        .isNotEqualTo(0);
    assertThat(bulk.shellResult("pgrep -f [b]ulk.pl").getExitCode())
        .as("bulk.pl in the bulk")
        .isEqualTo(0);
    assertThat(bulk.shellResult("pgrep -f [s]ympa_msg.pl").getExitCode())
        .as("sympa_msg.pl in the bulk")
        .isNotEqualTo(0);
    assertThat(bulk.shellResult("pgrep -f [t]ask_manager.pl").getExitCode()).isNotEqualTo(0);
    assertThat(bulk.getLogs()).doesNotContain(PASSWORD);
  }

  @Test
  void thePostTheCoreTakesInLeavesThroughTheBulksPostfix() throws Exception {
    String token = "services-" + UUID.randomUUID();
    assertThat(
            core.sendOverSmtp(
                "alice@example.org",
                "team@" + DOMAIN,
                "From: alice@example.org",
                "To: team@" + DOMAIN,
                "Subject: " + token,
                "Message-ID: <" + token + "@example.org>",
                "",
                "Body of " + token))
        .isEqualTo(250);

    assertThat(sink.awaitRecipients(token, 3, DELIVERY))
        .containsExactlyInAnyOrderElementsOf(ListServerImages.TEAM);
    String messageId = "message-id=<" + token + "@example.org>";
    assertThat(core.getLogs()).as("the core received it").contains(messageId);
    // Who handed each copy to the sink: the sink records the client's address with the copy.
    String bulkAddress =
        bulk.getContainerInfo()
            .getNetworkSettings()
            .getNetworks()
            .values()
            .iterator()
            .next()
            .getIpAddress();
    assertThat(sink.messagesContaining(token))
        .isNotEmpty()
        .allSatisfy(
            copy ->
                assertThat(copy.clientAddress())
                    .as("the client that sent " + copy.recipients())
                    .hasValue(bulkAddress));
  }

  @Test
  void theWebServiceServesTheListsFromTheSharedDatabase() throws Exception {
    assertThat(web.get("/sympa/lists").statusCode()).isEqualTo(200);
    assertThat(
            web.shell(
                "perl -MHTTP::Tiny -e 'print HTTP::Tiny->new->get(\"http://127.0.0.1/sympa/lists\")->{content}'"))
        .contains("Team discussion", "Announcements");
    assertThat(core.shellResult("pgrep -x nginx").getExitCode())
        .as("nginx in the core")
        .isNotEqualTo(0);
  }

  @Test
  void aSecondCoreOnTheSameVolumesRefusesToStart() throws Exception {
    OneOffContainer.Ended second = runToExit(ListServerImages.exampleOnPostgresql(), "core");
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.output())
        .contains("another core (or all-in-one) container runs on these volumes");
    assertThat(core.shell("cat /run/sympa-appliance/supervised"))
        .as("the first core is untouched")
        .contains("task_manager");
  }

  @Test
  void anSqliteImageRunsAllInOneOnly() throws Exception {
    OneOffContainer.Ended bulkOnSqlite = runToExit(ListServerImages.example(), "bulk");
    assertThat(bulkOnSqlite.exitCode()).isEqualTo(1);
    assertThat(bulkOnSqlite.output())
        .contains(
            "SYMPA_APPLIANCE_SERVICE=bulk: the services of a deployment share"
                + " Sympa's database, and this image keeps it in SQLite: build it with --database postgresql");
  }

  /**
   * Started in the wrong order (the bulk first, then the core, PostgreSQL last, as an orchestrator
   * may), each service waits for what it needs, saying so, and all three end up healthy.
   */
  @Test
  void startedBeforeWhatTheyNeedTheServicesWaitAndThenRun() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String spools = "sympa-e2e-order-spools-" + suffix;
    String data = "sympa-e2e-order-data-" + suffix;
    String password = "pg-" + UUID.randomUUID();
    try (Network order = Network.newNetwork();
        SmtpSinkContainer orderSink = Sinks.relayHostOn(order);
        PostgresqlContainer laterPostgres = new PostgresqlContainer(order, password);
        SympaListServerContainer laterCore = service("core", order, password, spools, data);
        SympaListServerContainer earlyBulk = service("bulk", order, password, spools, data)) {
      orderSink.start();
      CompletableFuture<Void> bulkStarted = CompletableFuture.runAsync(earlyBulk::start);
      Poll.until(
          () ->
              earlyBulk.getContainerId() != null
                  && earlyBulk
                      .getLogs()
                      .contains("sympa-appliance: bulk waits for the core to finish its start"),
          waiting -> waiting,
          DELIVERY,
          Duration.ofMillis(250));
      CompletableFuture<Void> coreStarted = CompletableFuture.runAsync(laterCore::start);
      Poll.until(
          () ->
              laterCore.getContainerId() != null
                  && laterCore
                      .getLogs()
                      .contains("sympa-appliance: waiting for PostgreSQL at postgres:5432"),
          waiting -> waiting,
          DELIVERY,
          Duration.ofMillis(250));
      assertThat(bulkStarted).as("the bulk, before the core is ready").isNotDone();

      laterPostgres.start();
      coreStarted.get(3, TimeUnit.MINUTES);
      bulkStarted.get(3, TimeUnit.MINUTES);
      assertThat(laterCore.getLogs())
          .contains("sympa-appliance: PostgreSQL at postgres:5432, database sympa: ready");
      assertThat(earlyBulk.shell("cat /run/sympa-appliance/supervised").strip())
          .isEqualTo("postfix preload bulk bulk-2");
    } finally {
      docker.removeVolumeCmd(spools).exec();
      docker.removeVolumeCmd(data).exec();
    }
  }

  private static SympaListServerContainer service(String role) {
    return service(role, network, PASSWORD, SPOOLS, DATA);
  }

  private static SympaListServerContainer service(
      String role, Network on, String password, String spools, String data) {
    return new SympaListServerContainer(ListServerImages.exampleOnPostgresql())
        .withNetwork(on)
        .withNetworkAliases(role)
        .withEnv("SYMPA_APPLIANCE_SERVICE", role)
        .withSecretFile(ListServerImages.MOUNTED_DB_PASSWORD, password, 0400)
        .withVolumes(null, spools, data);
  }

  /** A container of IMAGE as SERVICE on the shared volumes, run until it exits. */
  private static OneOffContainer.Ended runToExit(DockerImageName image, String role)
      throws Exception {
    return OneOffContainer.run(
        image,
        cmd ->
            cmd.withEnv("SYMPA_APPLIANCE_SERVICE=" + role)
                .withHostConfig(
                    HostConfig.newHostConfig()
                        .withNetworkMode(network.getId())
                        .withBinds(SympaListServerContainer.volumeBinds(null, SPOOLS, DATA))));
  }
}
