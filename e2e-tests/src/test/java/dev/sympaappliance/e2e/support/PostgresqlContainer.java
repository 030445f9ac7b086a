package dev.sympaappliance.e2e.support;

import dev.sympaappliance.builder.spec.Database;
import dev.sympaappliance.builder.spec.DebianSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The tests' PostgreSQL server: Debian's postgresql (17 on trixie; 15 on bookworm, {@link
 * #version15}) in an image built like ours (mmdebstrap base, Jib layer), "postgres" on the test
 * network, with an empty database {@value #DATABASE} owned by role {@value #USER}, whose password
 * is the container's DB_PASSWORD (a test helper's setting: the list server under test gets it from
 * a mounted file only). Password logins over TCP (scram-sha-256) from anywhere on the network.
 */
public final class PostgresqlContainer extends ShellContainer<PostgresqlContainer> {
  public static final String DATABASE = Database.DEFAULT_NAME;
  public static final String USER = Database.DEFAULT_USER;
  public static final String DATA = "/var/lib/postgresql/data";

  private static final String ENTRYPOINT =
      """
      #!/bin/sh
      # Test PostgreSQL: a cluster made at the first start, a role and a database for Sympa, then
      # postgres in the foreground as user postgres. Takes DB_PASSWORD, or the official image's
      # POSTGRES_PASSWORD_FILE, POSTGRES_DB and POSTGRES_USER (the deployment files use those).
      set -eu
      password=${DB_PASSWORD:-}
      if [ -z "$password" ] && [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
        password=$(head -n 1 "$POSTGRES_PASSWORD_FILE")
      fi
      [ -n "$password" ] || { echo 'neither DB_PASSWORD nor POSTGRES_PASSWORD_FILE is set' >&2; exit 1; }
      db=${POSTGRES_DB:-%2$s}
      user=${POSTGRES_USER:-%3$s}
      set -- /usr/lib/postgresql/*/bin
      bin=$1
      as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
      install -d -o postgres -g postgres -m 0775 /run/postgresql
      if [ ! -s %1$s/PG_VERSION ]; then
        install -d -o postgres -g postgres -m 0700 %1$s
        as_postgres $bin/initdb -D %1$s -U postgres --encoding=UTF8 --locale=C --auth-local=peer \\
          --auth-host=scram-sha-256 >/dev/null
        as_postgres $bin/pg_ctl -D %1$s -o "-c listen_addresses=''" -w -l /tmp/setup.log start >/dev/null
        as_postgres psql -q -v ON_ERROR_STOP=1 -v pw="$password" -v db="$db" -v user="$user" <<'SQL'
      CREATE ROLE :"user" LOGIN PASSWORD :'pw';
      CREATE DATABASE :"db" OWNER :"user";
      SQL
        as_postgres $bin/pg_ctl -D %1$s -w stop >/dev/null
        echo "host all all 0.0.0.0/0 scram-sha-256" >> %1$s/pg_hba.conf
      fi
      echo 'test postgresql: starting'
      exec setpriv --reuid=postgres --regid=postgres --init-groups $bin/postgres -D %1$s -c listen_addresses='*'
      """
          .formatted(DATA, DATABASE, USER);

  /** PostgreSQL 17 (Debian 13's). */
  public PostgresqlContainer(Network network, String password) {
    this(Holder.IMAGE, network, password);
  }

  /** PostgreSQL 15 (Debian 12's): the old side of a move to 17. */
  public static PostgresqlContainer version15(Network network, String password) {
    return new PostgresqlContainer(Version15.IMAGE, network, password);
  }

  private PostgresqlContainer(DockerImageName image, Network network, String password) {
    super(image);
    withNetwork(network);
    withNetworkAliases("postgres");
    withEnv("DB_PASSWORD", password);
    withCreateContainerCmdModifier(cmd -> cmd.withStopSignal("SIGINT"));
    waitingFor(
        Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 1)
            .withStartupTimeout(Duration.ofSeconds(90)));
  }

  /** The server's major version, as it reports it (e.g. "17"). */
  public String majorVersion() {
    return rows("show server_version").get(0).replaceFirst("^([0-9]+).*", "$1");
  }

  /** Rows of a query in Sympa's database, as psql prints them unaligned ('|' between columns). */
  public List<String> rows(String sql) {
    String out =
        execOk(
            "setpriv --reuid=postgres --regid=postgres --init-groups psql -X -q -t -A -d "
                + DATABASE
                + " -c "
                + Shell.quote(sql));
    List<String> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        rows.add(line);
      }
    }
    return rows;
  }

  /** The image, for services that are not Testcontainers' (a Swarm stack). */
  public static DockerImageName image() {
    return Holder.IMAGE;
  }

  private static final class Holder {
    // postfix and netbase: the base recipe's last step configures Postfix.
    public static final DockerImageName IMAGE =
        TestHelperImages.build("sympa-appliance-e2e-postgresql:latest", ENTRYPOINT);
  }

  private static final class Version15 {
    public static final DockerImageName IMAGE =
        TestHelperImages.build(
            "sympa-appliance-e2e-postgresql15:latest", DebianSuite.BOOKWORM, ENTRYPOINT);
  }
}
