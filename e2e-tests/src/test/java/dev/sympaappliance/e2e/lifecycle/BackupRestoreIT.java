package dev.sympaappliance.e2e.lifecycle;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static dev.sympaappliance.e2e.support.Posts.post;
import static dev.sympaappliance.e2e.support.Posts.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.OneOffContainer;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.PostgresqlContainer;
import dev.sympaappliance.e2e.support.Shell;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * `sympa-appliance-backup` taken while a post is distributed to 200 members, restored with `IMAGE
 * restore` into new, empty volumes: the new server has the same members, owners, archive, held post
 * and secrets, and a post reaches every member. The README's move of a site on PostgreSQL 15 to
 * PostgreSQL 17, done the same way.
 */
class BackupRestoreIT {
  private static final Duration DELIVERY = Duration.ofSeconds(90);
  private static final String OWNER = "alice@example.org";
  private static final String MEMBERS_SQL =
      "select user_subscriber, comment_subscriber, reception_subscriber,"
          + " date_epoch_subscriber from subscriber_table order by list_subscriber, user_subscriber";
  private static final String ADMINS_SQL =
      "select list_admin, user_admin, role_admin from admin_table"
          + " order by list_admin, role_admin, user_admin";
  private static final String BACKUP_IN_CONTAINER = "/tmp/site.tar";

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> volumes = new ArrayList<>();
  private final Network network = Network.newNetwork();

  @TempDir Path host;

  @AfterEach
  void removeVolumes() {
    DockerClient docker = DockerClientFactory.instance().client();
    for (String volume : volumes) {
      try {
        docker.removeVolumeCmd(volume).exec();
      } catch (NotFoundException e) {
        // never made: the test stopped before a container used it
      }
    }
    network.close();
  }

  @Test
  void aBackupTakenDuringADistributionRestoresIntoEmptyVolumesWithEverythingTheSiteHad()
      throws Exception {
    List<String> members =
        IntStream.range(0, 200).mapToObj(i -> "m" + i + "@d" + (i % 50) + ".example.net").toList();
    String archived = token("archived");
    String held = token("held");
    String during = token("during-backup");
    Bind[] original = binds("a");
    List<String> membersBefore;
    List<String> adminsBefore;
    String cookieBefore;
    String dkimBefore;
    List<String> heldBefore;
    try (SmtpSinkContainer sink = Sinks.relayHostOn(network);
        SympaListServerContainer server = server(original)) {
      sink.start();
      server.start();
      server.addMembers("team", members.toArray(String[]::new));
      server.sendOverSmtp(OWNER, "team@" + DOMAIN, post(OWNER, "team", archived));
      sink.awaitRecipients(archived, 203, DELIVERY);
      assertThat(
              Poll.until(
                  () -> server.archivedFilesContaining("team", archived),
                  files -> !files.isEmpty(),
                  DELIVERY,
                  Duration.ofMillis(250)))
          .isNotEmpty();
      server.sendOverSmtp(
          "dave@example.org", "team@" + DOMAIN, post("dave@example.org", "team", held));
      Poll.until(
          () -> sink.messagesContaining(held),
          found -> !found.isEmpty(),
          DELIVERY,
          Duration.ofMillis(250));
      heldBefore = heldPosts(server, held);
      assertThat(heldBefore).as("the post held for the moderators").hasSize(1);

      server.sendOverSmtp(OWNER, "team@" + DOMAIN, post(OWNER, "team", during));
      server.shell("sympa-appliance-backup --output " + BACKUP_IN_CONTAINER);
      int copiesAtBackup = sink.recipientsOf(during).size();
      System.out.printf(
          "backup taken while a post went to 203 members: %d copies had reached the sink when it"
              + " ended%n",
          copiesAtBackup);
      assertThat(server.shell("stat -c '%a %U' " + BACKUP_IN_CONTAINER).strip())
          .isEqualTo("600 root");
      server.copyFileFromContainer(BACKUP_IN_CONTAINER, host.resolve("site.tar").toString());
      String manifest =
          server.shell(
              "tar -xOf "
                  + BACKUP_IN_CONTAINER
                  + " ./sympa-appliance-backup/sympa-appliance-backup.txt");
      assertThat(manifest)
          .contains(
              "holds the site's secrets",
              "format 1",
              "sympa_data_version 6.2.76",
              "sympa_code_version 6.2.76",
              "database sqlite");

      membersBefore = server.databaseRows(MEMBERS_SQL);
      adminsBefore = server.databaseRows(ADMINS_SQL);
      cookieBefore = server.cookieSecret();
      dkimBefore = server.dnsRecords();
      sink.awaitRecipients(during, 203, DELIVERY);
    }
    assertThat(membersBefore).hasSize(203);

    Bind[] restored = binds("b");
    Bind[] withBackup = append(restored, new Bind(host.toString(), new Volume("/backup")));
    OneOffContainer.Ended restore =
        OneOffContainer.shell(
            ListServerImages.example(),
            withBackup,
            "sympa-appliance-entrypoint restore < /backup/site.tar");
    assertThat(restore.exitCode()).as(restore.output()).isZero();
    assertThat(restore.lines())
        .last()
        .asString()
        .startsWith("sympa-appliance-restore: restored the backup of ")
        .endsWith("(Sympa 6.2.76, sqlite database) into these volumes");
    OneOffContainer.Ended again =
        OneOffContainer.shell(
            ListServerImages.example(),
            withBackup,
            "sympa-appliance-entrypoint restore < /backup/site.tar");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.lines())
        .containsExactly(
            "sympa-appliance-restore: the volumes are not empty"
                + " (/var/lib/sympa/sympa.sqlite exists): restore into new, empty volumes");

    try (SmtpSinkContainer sink = Sinks.relayHostOn(network);
        SympaListServerContainer server = server(restored)) {
      sink.start();
      server.start();
      assertThat(server.databaseRows(MEMBERS_SQL)).isEqualTo(membersBefore);
      assertThat(server.databaseRows(ADMINS_SQL)).isEqualTo(adminsBefore);
      assertThat(server.cookieSecret()).isEqualTo(cookieBefore);
      assertThat(server.dnsRecords()).isEqualTo(dkimBefore);
      assertThat(server.archivedFilesContaining("team", archived)).isNotEmpty();
      assertThat(heldPosts(server, held)).isEqualTo(heldBefore);

      String after = token("after-restore");
      server.sendOverSmtp(OWNER, "team@" + DOMAIN, post(OWNER, "team", after));
      List<String> got = sink.awaitRecipients(after, 203, DELIVERY);
      assertThat(new HashSet<>(got)).containsAll(members).contains(OWNER);
    }
  }

  /**
   * The README's way from PostgreSQL 15 to 17: a backup of the site on 15 (the appliance's pg_dump
   * is 17's), an empty database and role on 17 under the same name, `restore`, start.
   */
  @Test
  void aSiteOnPostgresql15IsBackedUpAndRestoredOntoPostgresql17() throws Exception {
    String password = "postgresql-" + suffix;
    Path secret = host.resolve("db_password");
    Files.writeString(secret, password + "\n");
    List<String> members = IntStream.range(0, 20).mapToObj(i -> "p" + i + "@example.net").toList();
    String archived = token("archived-on-15");
    Bind[] original = binds("pg15");
    List<String> membersBefore;
    List<String> adminsBefore;
    try (SmtpSinkContainer sink = Sinks.relayHostOn(network);
        PostgresqlContainer postgres = PostgresqlContainer.version15(network, password);
        SympaListServerContainer server = onPostgresql(original, password)) {
      sink.start();
      postgres.start();
      assertThat(postgres.majorVersion()).isEqualTo("15");
      server.start();
      server.addMembers("team", members.toArray(String[]::new));
      server.sendOverSmtp(OWNER, "team@" + DOMAIN, post(OWNER, "team", archived));
      sink.awaitRecipients(archived, 23, DELIVERY);
      assertThat(
              Poll.until(
                  () -> server.archivedFilesContaining("team", archived),
                  files -> !files.isEmpty(),
                  DELIVERY,
                  Duration.ofMillis(250)))
          .isNotEmpty();
      server.shell("sympa-appliance-backup --output " + BACKUP_IN_CONTAINER);
      server.copyFileFromContainer(BACKUP_IN_CONTAINER, host.resolve("site.tar").toString());
      assertThat(
              server.shell(
                  "tar -xOf "
                      + BACKUP_IN_CONTAINER
                      + " ./sympa-appliance-backup/sympa-appliance-backup.txt"))
          .contains("database postgresql");
      membersBefore = postgres.rows(MEMBERS_SQL);
      adminsBefore = postgres.rows(ADMINS_SQL);
    }
    assertThat(membersBefore).hasSize(23);

    Bind[] restored = binds("pg17");
    Bind[] withBackup =
        append(
            append(restored, new Bind(host.toString(), new Volume("/backup"))),
            new Bind(secret.toString(), new Volume(ListServerImages.MOUNTED_DB_PASSWORD)));
    try (SmtpSinkContainer sink = Sinks.relayHostOn(network);
        PostgresqlContainer postgres = new PostgresqlContainer(network, password);
        SympaListServerContainer server = onPostgresql(restored, password)) {
      sink.start();
      postgres.start();
      assertThat(postgres.majorVersion()).isEqualTo("17");
      OneOffContainer.Ended restore =
          OneOffContainer.run(
              ListServerImages.exampleOnPostgresql(),
              cmd ->
                  cmd.withHostName(ListServerImages.HOSTNAME)
                      .withEntrypoint(
                          "sh", "-c", "sympa-appliance-entrypoint restore < /backup/site.tar")
                      .withHostConfig(
                          HostConfig.newHostConfig()
                              .withBinds(withBackup)
                              .withNetworkMode(network.getId())));
      assertThat(restore.exitCode()).as(restore.output()).isZero();
      assertThat(restore.lines())
          .last()
          .asString()
          .endsWith("(Sympa 6.2.76, postgresql database) into these volumes");
      assertThat(postgres.rows(MEMBERS_SQL)).isEqualTo(membersBefore);
      assertThat(postgres.rows(ADMINS_SQL)).isEqualTo(adminsBefore);

      server.start();
      assertThat(server.archivedFilesContaining("team", archived)).isNotEmpty();
      String after = token("after-move-to-17");
      server.sendOverSmtp(OWNER, "team@" + DOMAIN, post(OWNER, "team", after));
      assertThat(new HashSet<>(sink.awaitRecipients(after, 23, DELIVERY)))
          .containsAll(members)
          .contains(OWNER);
    }
  }

  private SympaListServerContainer onPostgresql(Bind[] binds, String password) {
    return new SympaListServerContainer(ListServerImages.exampleOnPostgresql())
        .withNetwork(network)
        .withNetworkAliases("sympa")
        .withSecretFile(ListServerImages.MOUNTED_DB_PASSWORD, password, 0400)
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(binds));
  }

  private SympaListServerContainer server(Bind[] binds) {
    return new SympaListServerContainer(ListServerImages.example())
        .withNetwork(network)
        .withNetworkAliases("sympa")
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(binds));
  }

  private Bind[] binds(String side) {
    String queue = "sympa-e2e-backup-queue-" + side + "-" + suffix;
    String spools = "sympa-e2e-backup-spools-" + side + "-" + suffix;
    String data = "sympa-e2e-backup-data-" + side + "-" + suffix;
    volumes.addAll(List.of(queue, spools, data));
    return SympaListServerContainer.volumeBinds(queue, spools, data);
  }

  private static Bind[] append(Bind[] binds, Bind more) {
    Bind[] all = java.util.Arrays.copyOf(binds, binds.length + 1);
    all[binds.length] = more;
    return all;
  }

  /** The held posts holding {@code token} in Sympa's moderation spool: name and SHA-256 of each. */
  private static List<String> heldPosts(SympaListServerContainer server, String token) {
    String out =
        server.shell(
            "cd /var/spool/sympa/moderation && grep -lF -e "
                + Shell.quote(token)
                + " -- * | xargs -r sha256sum");
    return out.lines().filter(line -> !line.isBlank()).toList();
  }
}
