package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sympaappliance.builder.render.ConfigRenderer;
import dev.sympaappliance.builder.render.ImagePaths;
import dev.sympaappliance.builder.render.RenderedFile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sympa's database: SQLite by default, or PostgreSQL with its password from a mounted file. */
class DatabaseSpecTest {
  private static final UserInput FULL =
      UserInput.builder()
          .set(Settings.DOMAIN, "lists.example.org")
          .lists(List.of("team"))
          .set(Settings.LISTMASTER, "listmaster@example.org")
          .set(Settings.RELAYHOST, "relay.example.net")
          .build();
  private static final String SPEC = "domain: lists.example.org\nlistmaster: admin@example.org\n";

  private static UserInput postgresql(String host, String passwordFile) {
    return UserInput.builder()
        .set(Settings.DATABASE, "postgresql")
        .set(Settings.DB_HOST, host)
        .set(Settings.DB_PASSWORD_FILE, passwordFile)
        .build();
  }

  private static String file(ApplianceSpec spec, String path) {
    return new ConfigRenderer()
        .render(spec).files().stream()
            .filter(f -> f.path().equals(path))
            .findFirst()
            .map(RenderedFile::text)
            .orElseThrow(() -> new AssertionError("no " + path));
  }

  @Test
  void theFullFlavourKeepsSqliteInTheVolumeByDefault() {
    ApplianceSpec spec = ApplianceSpec.fromUserInput(FULL);
    assertThat(spec.database()).hasValue(Database.SQLITE);
    assertThat(file(spec, ImagePaths.SYMPA_CONF).lines())
        .contains("db_type\tSQLite", "db_name\t/var/lib/sympa/sympa.sqlite")
        .noneMatch(line -> line.startsWith("db_host"));
    assertThat(
            ApplianceSpec.fromUserInput(FULL.toBuilder().set(Settings.FLAVOUR, "tools").build())
                .database())
        .isEmpty();
  }

  @Test
  void postgresqlIsNamedInSympaConfAndItsPasswordIsReadFromTheMountedFileAtStart() {
    ApplianceSpec spec =
        ApplianceSpec.fromUserInput(
            SpecFile.parse(
                "lists.yaml",
                SPEC
                    + "database:\n"
                    + "  type: postgresql\n  host: postgres\n  password_file: /run/secrets/db_password\n"));

    assertThat(spec.database().flatMap(Database::postgresql))
        .hasValue(
            new Database.Postgresql(
                "postgres", 5432, "sympa", "sympa", "/run/secrets/db_password"));
    String conf = file(spec, ImagePaths.SYMPA_CONF);
    assertThat(conf.lines())
        .contains(
            "db_type\tPostgreSQL",
            "db_host\tpostgres",
            "db_port\t5432",
            "db_name\tsympa",
            "db_user\tsympa")
        .noneMatch(line -> line.startsWith("db_passwd"));
    String entrypoint = file(spec, ImagePaths.ENTRYPOINT);
    assertThat(entrypoint)
        .contains(
            "password=$(head -n 1 /run/secrets/db_password | tr -d '\\r')",
            "printf 'db_passwd\\t%s\\n' \"$password\" >> /etc/sympa/sympa/sympa.conf",
            "until pg_isready -q -h postgres -p 5432 -d sympa -U sympa; do",
            "export SYMPA_APPLIANCE_DB_PASSWORD_FILE=/run/secrets/db_password")
        .doesNotContain("chown sympa:sympa /var/lib/sympa/sympa.sqlite")
        .doesNotContain("echo \"$password");
  }

  @Test
  void flagsOverrideTheFileAndNameAnotherPortDatabaseAndRole() {
    UserInput merged =
        SpecFile.parse(
                "lists.yaml",
                SPEC
                    + "database:\n  type: postgresql\n  host: postgres\n"
                    + "  password_file: /run/secrets/db\n")
            .overriddenBy(
                UserInput.builder()
                    .set(Settings.DB_HOST, "db.example.net:6432")
                    .set(Settings.DB_NAME, "lists")
                    .set(Settings.DB_USER, "sympa_rw")
                    .build());
    assertThat(ApplianceSpec.fromUserInput(merged).database().flatMap(Database::postgresql))
        .hasValue(
            new Database.Postgresql(
                "db.example.net", 6432, "lists", "sympa_rw", "/run/secrets/db"));
  }

  @Test
  void postgresqlNeedsItsServerAndAPasswordFile() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(FULL.overriddenBy(postgresql(null, "/run/secrets/db"))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid --database 'postgresql': PostgreSQL needs its server: give --db-host");
    assertThatThrownBy(
            () -> ApplianceSpec.fromUserInput(FULL.overriddenBy(postgresql("postgres", null))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid --database 'postgresql': PostgreSQL needs a password, from a mounted file");
  }

  @Test
  void serverSettingsWithSqliteAndADatabaseForAnImageWithoutSympasDaemonsAreErrors() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    FULL.toBuilder().set(Settings.DB_HOST, "postgres").build()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "invalid --db-host 'postgres': only applies to a PostgreSQL database (--database postgresql,"
                + " database.type: postgresql)");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    FULL.toBuilder()
                        .set(Settings.FLAVOUR, "tools")
                        .build()
                        .overriddenBy(postgresql("postgres", "/run/secrets/db"))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "invalid --database 'postgresql': only applies to --role appliance --sympa full (only Sympa's"
                + " daemons keep a database)");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    FULL.toBuilder().set(Settings.DATABASE, "mysql").build()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("invalid --database 'mysql': expected sqlite");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Sympa", "1sympa", "sympa-db", "sympa;drop", "sympa\ndb_passwd x", ""})
  void aDatabaseOrRoleNameNeedsNoQuoting(String name) {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    FULL.toBuilder()
                        .set(Settings.DATABASE, "postgresql")
                        .set(Settings.DB_HOST, "postgres")
                        .set(Settings.DB_NAME, name)
                        .set(Settings.DB_PASSWORD_FILE, "/run/secrets/db")
                        .build()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("--db-name")
        .hasMessageContaining("expected a name of 1-63 characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"postgres:0", "postgres:99999", "post gres", "postgres\ndb_passwd x", "-postgres"})
  void theServerIsAHostAndAPort(String host) {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(FULL.overriddenBy(postgresql(host, "/run/secrets/db"))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("--db-host")
        .hasMessageContaining("HOST[:PORT]");
  }

  @Test
  void aSpecFileNamesTheLineAndColumnOfABadValue() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    SpecFile.parse(
                        "lists.yaml",
                        SPEC
                            + "database:\n"
                            + "  type: postgresql\n  host: postgres\n  user: Admin\n"
                            + "  password_file: /run/secrets/db\n")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid lists.yaml:6:9: database.user 'Admin': expected a name of 1-63 characters");
    assertThatThrownBy(() -> SpecFile.parse("lists.yaml", SPEC + "database:\n  kind: postgresql\n"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("database.kind 'kind': unknown key");
  }
}
