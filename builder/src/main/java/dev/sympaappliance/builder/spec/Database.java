package dev.sympaappliance.builder.spec;

import java.util.Optional;

/**
 * Sympa's database (full flavour): SQLite, a file in the volume (the default), or an external
 * PostgreSQL server. Its password is never part of it: only the path of a mounted file (a
 * Docker or Kubernetes secret), which the entrypoint reads at each start.
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

  /**
   * Raw user values; null means "not given".
   *
   * @param type {@code --database}, spec {@code database.type}: sqlite or postgresql
   * @param host {@code --db-host HOST[:PORT]}, spec {@code database.host}
   */
  public record Input(String type, String host, String name, String user, String passwordFile) {
    public static final Input NONE = new Input(null, null, null, null, null);

    /** The first value given, as an error names it: {key path, flag, raw value}; null when none. */
    String[] firstGiven(boolean withType) {
      String[][] all = {
          {"database.type", "--database", withType ? type : null},
          {"database.host", "--db-host", host},
          {"database.name", "--db-name", name},
          {"database.user", "--db-user", user},
          {"database.password_file", "--db-password-file", passwordFile}};
      for (String[] given : all) {
        if (given[2] != null) {
          return given;
        }
      }
      return null;
    }
  }

  /** Validates {@code in}; {@code full}: the image runs Sympa's daemons (only they keep a database). */
  static Optional<Database> fromInput(ApplianceSpec.UserInput user, Input in, boolean full) {
    if (!full) {
      String[] given = in.firstGiven(true);
      if (given != null) {
        throw new InvalidSpecException(user.field(given[0], given[1]), given[2],
            "only applies to --role appliance --sympa full (only Sympa's daemons keep a database)");
      }
      return Optional.empty();
    }
    String typeField = user.field("database.type", "--database");
    String type = in.type() == null ? "sqlite" : Grammar.databaseType(typeField, in.type());
    if (type.equals("sqlite")) {
      String[] given = in.firstGiven(false);
      if (given != null) {
        throw new InvalidSpecException(user.field(given[0], given[1]), given[2],
            "only applies to a PostgreSQL database (--database postgresql, database.type: postgresql)");
      }
      return Optional.of(SQLITE);
    }
    if (in.host() == null) {
      throw new InvalidSpecException(typeField, in.type(), "PostgreSQL needs its server: give --db-host HOST[:PORT]"
          + " (database.host)");
    }
    if (in.passwordFile() == null) {
      throw new InvalidSpecException(typeField, in.type(), "PostgreSQL needs a password, from a mounted file (a"
          + " secret): give --db-password-file PATH (database.password_file)");
    }
    Object[] server = Grammar.smtpDestination(user.field("database.host", "--db-host"), in.host(), POSTGRESQL_PORT);
    String name = in.name() == null ? DEFAULT_NAME
        : Grammar.sqlIdentifier(user.field("database.name", "--db-name"), in.name());
    String dbUser = in.user() == null ? DEFAULT_USER
        : Grammar.sqlIdentifier(user.field("database.user", "--db-user"), in.user());
    String passwordFile = Grammar.containerPath(user.field("database.password_file", "--db-password-file"),
        in.passwordFile());
    return Optional.of(new Database(Optional.of(new Postgresql((String) server[0], (Integer) server[1], name, dbUser,
        passwordFile))));
  }
}
