package dev.sympaappliance.builder.spec;

import static dev.sympaappliance.builder.spec.Settings.DATABASE;
import static dev.sympaappliance.builder.spec.Settings.DB_HOST;
import static dev.sympaappliance.builder.spec.Settings.DB_NAME;
import static dev.sympaappliance.builder.spec.Settings.DB_PASSWORD_FILE;
import static dev.sympaappliance.builder.spec.Settings.DB_USER;

import java.util.List;
import java.util.Optional;

/**
 * Sympa's database (full flavour): SQLite, a file in the volume (the default), or an external
 * PostgreSQL server. Its password is never part of it: only the path of a mounted file (a Docker or
 * Kubernetes secret), which the entrypoint reads at each start.
 *
 * @param postgresql the server; empty for SQLite
 */
public record Database(Optional<Postgresql> postgresql) {
  /** Where SQLite's database lives: the volume of /var/lib/sympa. */
  public static final String SQLITE_FILE = "/var/lib/sympa/sympa.sqlite";

  public static final int POSTGRESQL_PORT = 5432;
  public static final String DEFAULT_NAME = "sympa";
  public static final String DEFAULT_USER = "sympa";

  public static final Database SQLITE = new Database(Optional.empty());

  /** An external PostgreSQL server; the schema is created at the first start. */
  public record Postgresql(String host, int port, String name, String user, String passwordFile) {}

  /** The settings of a spec's {@code database:} mapping, the type first. */
  private static final List<Setting<?>> SETTINGS =
      List.of(DATABASE, DB_HOST, DB_NAME, DB_USER, DB_PASSWORD_FILE);

  /**
   * Validates {@code in}; {@code full}: the image runs Sympa's daemons (only they keep a database).
   */
  static Optional<Database> fromInput(UserInput in, boolean full) {
    if (!full) {
      return Optional.empty();
    }
    String typeField = in.field(DATABASE);
    String type = Grammar.databaseType(typeField, in.getOrDefault(DATABASE));
    if (type.equals("sqlite")) {
      Optional<Setting<?>> given = in.firstGiven(SETTINGS.subList(1, SETTINGS.size()));
      if (given.isPresent()) {
        throw new InvalidSpecException(
            in.field(given.get()),
            in.raw(given.get()),
            "only applies to a PostgreSQL database (--database postgresql, database.type: postgresql)");
      }
      return Optional.of(SQLITE);
    }
    if (!in.has(DB_HOST)) {
      throw new InvalidSpecException(
          typeField,
          in.get(DATABASE),
          "PostgreSQL needs its server: give --db-host" + " HOST[:PORT] (database.host)");
    }
    if (!in.has(DB_PASSWORD_FILE)) {
      throw new InvalidSpecException(
          typeField,
          in.get(DATABASE),
          "PostgreSQL needs a password, from a mounted file"
              + " (a secret): give --db-password-file PATH (database.password_file)");
    }
    SmtpDestination server =
        SmtpDestination.parse(in.field(DB_HOST), in.get(DB_HOST), POSTGRESQL_PORT);
    String name =
        in.has(DB_NAME) ? Grammar.sqlIdentifier(in.field(DB_NAME), in.get(DB_NAME)) : DEFAULT_NAME;
    String dbUser =
        in.has(DB_USER) ? Grammar.sqlIdentifier(in.field(DB_USER), in.get(DB_USER)) : DEFAULT_USER;
    String passwordFile =
        Grammar.containerPath(in.field(DB_PASSWORD_FILE), in.get(DB_PASSWORD_FILE));
    return Optional.of(
        new Database(
            Optional.of(new Postgresql(server.host(), server.port(), name, dbUser, passwordFile))));
  }
}
