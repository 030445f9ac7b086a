package dev.sympaappliance.e2e.lifecycle;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.PostgresqlContainer;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * The README's way from an SQLite site to PostgreSQL, with Sympa's own tools: dump the users of
 * every list (sympa.pl --dump_users) on the SQLite server, start the PostgreSQL image on the same
 * volumes (its first start makes the schema), restore them (--restore_users). Members who joined
 * after the spec, their names, owners and editors arrive, and a post reaches them all.
 */
class SqliteToPostgresqlMoveIT {
  static final Duration DELIVERY = Duration.ofSeconds(90);
  static final String ROLES = "--role=member,owner,editor";

  private final DockerClient docker = DockerClientFactory.instance().client();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> volumes =
      List.of(
          "sympa-e2e-move-queue-" + suffix,
          "sympa-e2e-move-spools-" + suffix,
          "sympa-e2e-move-data-" + suffix);

  @Test
  void dumpedUsersOfAnSqliteSiteAreRestoredIntoPostgresqlOnTheSameVolumes() throws Exception {
    String password = "pg-" + UUID.randomUUID();
    String joiner = "gina@example.net";
    try (Network network = Network.newNetwork();
        SmtpSinkContainer sink = Sinks.relayHostOn(network);
        PostgresqlContainer postgres = new PostgresqlContainer(network, password)) {
      sink.start();
      postgres.start();
      try (SympaListServerContainer sqlite = onVolumes(ListServerImages.example(), network)) {
        sqlite.start();
        sqlite.shell(
            "printf '%s\\n' '"
                + joiner
                + " Gina Example' | "
                + SympaListServerContainer.SYMPA_PL
                + " add --quiet team@"
                + DOMAIN);
        assertThat(sqlite.members("team")).contains(joiner);
        sqlite.sympa("--dump_users", "--list=ALL", ROLES);
        assertThat(sqlite.shell("cat /var/lib/sympa/list_data/team/member.dump")).contains(joiner);
      }

      try (SympaListServerContainer moved =
          onVolumes(ListServerImages.exampleOnPostgresql(), network)
              .withSecretFile(ListServerImages.MOUNTED_DB_PASSWORD, password, 0400)) {
        moved.start();
        assertThat(moved.getLogs()).contains("list team@" + DOMAIN + " exists, left as it is");
        assertThat(postgres.rows("select count(*) from subscriber_table")).containsExactly("0");

        moved.sympa("--restore_users", "--list=ALL", ROLES);

        assertThat(
                postgres.rows(
                    "select user_subscriber || ' ' || coalesce(comment_subscriber, '')"
                        + " from subscriber_table where list_subscriber = 'team' order by user_subscriber"))
            .containsExactly(
                "alice@example.org ",
                "bob@example.org ",
                "carol@example.net Carol Example",
                joiner + " Gina Example");
        assertThat(
                postgres.rows(
                    "select role_admin || ' ' || user_admin from admin_table where list_admin = 'team'"
                        + " order by role_admin"))
            .containsExactly("editor bob@example.org", "owner alice@example.org");
        String token = "moved-" + UUID.randomUUID();
        moved.sendOverSmtp(
            "alice@example.org",
            "team@" + DOMAIN,
            "From: alice@example.org",
            "To: team@" + DOMAIN,
            "Subject: " + token,
            "Message-ID: <" + token + "@example.org>",
            "",
            "Body of " + token);
        assertThat(sink.awaitRecipients(token, 4, DELIVERY))
            .containsExactlyInAnyOrder(
                "alice@example.org", "bob@example.org", "carol@example.net", joiner);
      }
    } finally {
      for (String volume : volumes) {
        docker.removeVolumeCmd(volume).exec();
      }
    }
  }

  private SympaListServerContainer onVolumes(DockerImageName image, Network network) {
    return new SympaListServerContainer(image)
        .withNetwork(network)
        .withNetworkAliases("sympa")
        .withVolumes(volumes.get(0), volumes.get(1), volumes.get(2));
  }
}
