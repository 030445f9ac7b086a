package dev.sympaappliance.e2e.lifecycle;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.PostgresqlContainer;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
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
 * The full list server with Sympa's database on PostgreSQL (Debian's, in a test image built like
 * ours): the first start creates the schema and the spec's lists there, mail is distributed from
 * it, no SQLite file is made, and the password, mounted as a file, shows in neither the logs nor
 * `docker inspect`.
 */
@Testcontainers
class ListServerOnPostgresqlIT {
  static final String PASSWORD = "pg-" + UUID.randomUUID();
  static final List<String> TEAM = ListServerImages.TEAM;
  static final Duration DELIVERY = Duration.ofSeconds(60);

  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container static final PostgresqlContainer postgres = new PostgresqlContainer(network, PASSWORD);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.exampleOnPostgresql(), sink)
          .dependsOn(postgres)
          .withSecretFile(ListServerImages.MOUNTED_DB_PASSWORD, PASSWORD, 0400);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void theFirstStartMadeTheSchemaAndTheSpecsListsInPostgresqlAndNoSqliteFile() {
    assertThat(
            Integer.parseInt(
                postgres
                    .rows(
                        "select count(*) from information_schema.tables"
                            + " where table_schema = 'public'")
                    .get(0)))
        .isGreaterThanOrEqualTo(14);
    assertThat(postgres.rows("select name_list from list_table order by name_list"))
        .contains("announce", "team");
    assertThat(
            postgres.rows(
                "select user_subscriber from subscriber_table where list_subscriber = 'team'"
                    + " order by user_subscriber"))
        .containsExactlyElementsOf(TEAM);
    assertThat(
            server.shellResult("test -e " + SympaListServerContainer.SQLITE_DATABASE).getExitCode())
        .isNotEqualTo(0);
    assertThat(server.getLogs())
        .contains("sympa-appliance: PostgreSQL at postgres:5432, database sympa: ready");
  }

  @Test
  void aPostIsDistributedToTheMembersSympaReadsFromPostgresql() throws Exception {
    String joiner = "dave-" + UUID.randomUUID().toString().substring(0, 8) + "@example.net";
    server.addMembers("team", joiner);
    assertThat(
            postgres.rows(
                "select user_subscriber from subscriber_table where list_subscriber = 'team'"))
        .contains(joiner);
    String token = "pg-post-" + UUID.randomUUID();

    assertThat(
            server.sendOverSmtp(
                "alice@example.org",
                "team@" + DOMAIN,
                "From: alice@example.org",
                "To: team@" + DOMAIN,
                "Subject: " + token,
                "Message-ID: <" + token + "@example.org>",
                "",
                "Body of " + token))
        .isEqualTo(250);

    assertThat(sink.awaitRecipients(token, TEAM.size() + 1, DELIVERY))
        .containsExactlyInAnyOrder(
            "alice@example.org", "bob@example.org", "carol@example.net", joiner);
  }

  @Test
  void thePasswordShowsInNeitherTheLogsNorDockerInspect() {
    assertThat(server.getLogs()).contains("starting Postfix").doesNotContain(PASSWORD);
    assertThat(
            server.getDockerClient().inspectContainerCmd(server.getContainerId()).exec().toString())
        .doesNotContain(PASSWORD);
    assertThat(
            server.getDockerClient().inspectImageCmd(server.getDockerImageName()).exec().toString())
        .doesNotContain(PASSWORD);
    assertThat(
            server.placesHolding(
                PASSWORD, "/var/lib/sympa", "/var/spool/sympa", "/var/spool/postfix"))
        .as("the volumes, and every process's environment and command line")
        .isEmpty();
    // Where it is: this container's sympa.conf, readable by Sympa only.
    assertThat(server.placesHolding(PASSWORD, "/etc"))
        .containsExactly("/etc/sympa/sympa/sympa.conf");
    assertThat(server.shell("stat -c '%U:%G %a' /etc/sympa/sympa/sympa.conf").strip())
        .isEqualTo("sympa:sympa 640");
    assertThat(server.shell("grep -c '^db_passwd' /etc/sympa/sympa/sympa.conf").strip())
        .isEqualTo("1");
  }
}
