package dev.sympaappliance.builder.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The full appliance split into the services of a deployment on an orchestrator (Docker Swarm,
 * Kubernetes): front relays (the public MX), exactly one core, bulk senders and web servers, all
 * but the relays from one image, on one PostgreSQL database (bundled, or an external server).
 *
 * @param image the full image (core, bulk, web), as {@code builder image --spec …} tags it
 * @param relayImage the front relay's image, as {@code builder image --spec … --front-relay} tags
 *     it
 * @param postgresqlImage a PostgreSQL image run as a service of the deployment, named after the
 *     database host; empty: the database is an external server
 * @param relays front relay replicas
 * @param bulk bulk (distribution) replicas
 * @param web web replicas (0 without the web interface)
 * @param smtpPort the port the relays publish
 * @param httpPort the port the web service publishes
 */
public record Deployment(
    String image,
    String relayImage,
    Optional<String> postgresqlImage,
    int relays,
    int bulk,
    int web,
    int smtpPort,
    int httpPort) {

  public static final String DEFAULT_IMAGE = "sympa-appliance:latest";
  public static final String DEFAULT_RELAY_IMAGE = "sympa-relay:latest";
  public static final int MAX_REPLICAS = 100;

  /** Where Docker mounts a service's secrets, and where a deployment wants every mounted file. */
  public static final String SECRETS_DIRECTORY = "/run/secrets/";

  /**
   * A file the services mount, a secret of the deployment: {@code name}, the file's name under
   * /run/secrets (also its Docker secret's name), and whether the relays mount it too (core, bulk
   * and web mount every one).
   */
  public record Secret(String name, String path, boolean relays) {
    static Secret of(String path, boolean relays) {
      return new Secret(path.substring(path.lastIndexOf('/') + 1), path, relays);
    }

    /**
     * Its Kubernetes Secret: a DNS name, {@code sympa-} and the file's name in lower case, '.' and
     * '_' as '-'.
     */
    public String kubernetesName() {
      return ("sympa-" + name.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-'))
          .replaceAll("-+$", "");
    }
  }

  /** The settings of a spec's {@code deployment:} mapping. */
  static final List<Setting<?>> SETTINGS = Settings.inSection("deployment");

  /**
   * Validates {@code in}, and that {@code spec} can be deployed; empty when no deployment was
   * given.
   */
  static Optional<Deployment> fromInput(UserInput in, boolean web) {
    if (in.firstGiven(SETTINGS).isEmpty()) {
      return Optional.empty();
    }
    Deployment defaults = defaults(web);
    String image =
        in.has(Settings.DEPLOY_IMAGE)
            ? Grammar.imageReference(in.field(Settings.DEPLOY_IMAGE), in.get(Settings.DEPLOY_IMAGE))
            : defaults.image();
    String relayImage =
        in.has(Settings.DEPLOY_RELAY_IMAGE)
            ? Grammar.imageReference(
                in.field(Settings.DEPLOY_RELAY_IMAGE), in.get(Settings.DEPLOY_RELAY_IMAGE))
            : defaults.relayImage();
    Optional<String> postgresqlImage =
        in.has(Settings.DEPLOY_POSTGRESQL_IMAGE)
            ? Optional.of(
                Grammar.imageReference(
                    in.field(Settings.DEPLOY_POSTGRESQL_IMAGE),
                    in.get(Settings.DEPLOY_POSTGRESQL_IMAGE)))
            : Optional.empty();
    int relays = replicas(in, Settings.DEPLOY_RELAYS, defaults.relays(), 1);
    int bulk = replicas(in, Settings.DEPLOY_BULK, defaults.bulk(), 1);
    int webReplicas = replicas(in, Settings.DEPLOY_WEB, defaults.web(), defaults.web());
    if (!web && webReplicas > 0) {
      throw new InvalidSpecException(
          in.field(Settings.DEPLOY_WEB),
          in.get(Settings.DEPLOY_WEB),
          "the web interface is turned off: a deployment without it runs no web service (0)");
    }
    int smtpPort = port(in, Settings.DEPLOY_SMTP_PORT, defaults.smtpPort());
    int httpPort = port(in, Settings.DEPLOY_HTTP_PORT, defaults.httpPort());
    return Optional.of(
        new Deployment(
            image, relayImage, postgresqlImage, relays, bulk, webReplicas, smtpPort, httpPort));
  }

  /**
   * The defaults: what a spec without a {@code deployment:} mapping deploys, and what a key left
   * out takes.
   */
  public static Deployment defaults(boolean web) {
    return new Deployment(
        DEFAULT_IMAGE, DEFAULT_RELAY_IMAGE, Optional.empty(), 2, 1, web ? 1 : 0, 25, 80);
  }

  private static int replicas(UserInput in, Setting<String> setting, int fallback, int min) {
    String raw = in.get(setting);
    if (raw == null) {
      return fallback;
    }
    String rule = "expected a number of replicas from " + min + " to " + MAX_REPLICAS;
    if (!raw.matches("[0-9]{1,3}")
        || Integer.parseInt(raw) < min
        || Integer.parseInt(raw) > MAX_REPLICAS) {
      throw new InvalidSpecException(in.field(setting), raw, rule);
    }
    return Integer.parseInt(raw);
  }

  private static int port(UserInput in, Setting<String> setting, int fallback) {
    String raw = in.get(setting);
    if (raw == null) {
      return fallback;
    }
    if (!raw.matches("[1-9][0-9]{0,4}") || Integer.parseInt(raw) > 65535) {
      throw new InvalidSpecException(in.field(setting), raw, "expected a port from 1 to 65535");
    }
    return Integer.parseInt(raw);
  }

  /**
   * Checks that {@code spec} can run as a deployment; {@code field} and {@code value} name what
   * asked for one ({@code --format swarm}; or the {@code deployment:} mapping, with a null value).
   */
  public static void requireDeployable(ApplianceSpec spec, String field, String value) {
    whyNotDeployable(spec)
        .ifPresent(
            rule -> {
              throw value == null
                  ? new InvalidSpecException(field, rule)
                  : new InvalidSpecException(field, value, rule);
            });
  }

  /** The rule {@code spec} breaks as a deployment; empty when it can be deployed. */
  private static Optional<String> whyNotDeployable(ApplianceSpec spec) {
    if (spec.role() != Role.APPLIANCE || spec.flavour() != Flavour.FULL) {
      return Optional.of(
          "a deployment splits the full list server into services: it needs --role appliance"
              + " --sympa full");
    }
    if (spec.database().flatMap(Database::postgresql).isEmpty()) {
      return Optional.of(
          "the services of a deployment share Sympa's database, and SQLite is a file of one"
              + " container: give database.type postgresql (--database postgresql)");
    }
    Map<String, String> seen = new LinkedHashMap<>();
    for (Secret secret : secrets(spec)) {
      if (!secret.path().equals(SECRETS_DIRECTORY + secret.name())) {
        return Optional.of(
            "in a deployment every mounted file is a secret, which Docker and Kubernetes mount as "
                + SECRETS_DIRECTORY
                + "NAME: "
                + secret.path()
                + " is not");
      }
      // Kubernetes' names are made of the files' names (Docker's): distinct ones mean both are
      // distinct.
      String earlier = seen.put(secret.kubernetesName(), secret.path());
      if (earlier != null) {
        return Optional.of(
            "two mounted files make the same secret name "
                + secret.kubernetesName()
                + " ("
                + earlier
                + ", "
                + secret.path()
                + "): give them names that differ in more than case, '.' and '_'");
      }
    }
    return Optional.empty();
  }

  /** Whether the deployment runs PostgreSQL itself: then the database host is its service name. */
  public static void requireBundledDatabaseHost(
      ApplianceSpec spec, Deployment deployment, String field) {
    if (deployment.postgresqlImage().isEmpty()) {
      return;
    }
    Database.Postgresql pg = spec.database().flatMap(Database::postgresql).orElseThrow();
    if (pg.host().contains(".") || pg.port() != Database.POSTGRESQL_PORT) {
      throw new InvalidSpecException(
          field,
          deployment.postgresqlImage().get(),
          "a bundled PostgreSQL is the"
              + " service named by database.host, on port 5432: give database.host a name of one label (e.g. postgres),"
              + " not "
              + pg.host()
              + ":"
              + pg.port());
    }
  }

  /**
   * The files the spec mounts into the containers, each a secret of the deployment: the database
   * password (core, bulk, web), the DKIM keys (the services that sign: bulk; and core, web for
   * Sympa's notices), the relay host's credentials (every Postfix that sends out), the TLS pair
   * (every Postfix, the relays' included: they are the public MX).
   */
  public static List<Secret> secrets(ApplianceSpec spec) {
    List<Secret> out = new ArrayList<>();
    spec.database()
        .flatMap(Database::postgresql)
        .ifPresent(pg -> out.add(Secret.of(pg.passwordFile(), false)));
    spec.deliverability()
        .ifPresent(
            d -> {
              d.dkim()
                  .flatMap(Deliverability.Dkim::keyFile)
                  .ifPresent(path -> out.add(Secret.of(path, false)));
              // Each further domain's mounted key too (a key shared by two domains, once).
              spec.domains().stream()
                  .flatMap(domain -> domain.dkim().flatMap(Deliverability.Dkim::keyFile).stream())
                  .filter(path -> out.stream().noneMatch(secret -> secret.path().equals(path)))
                  .forEach(path -> out.add(Secret.of(path, false)));
              d.relayhostPasswordFile().ifPresent(path -> out.add(Secret.of(path, false)));
              d.tlsFiles()
                  .ifPresent(
                      tls -> {
                        out.add(Secret.of(tls.certFile(), true));
                        out.add(Secret.of(tls.keyFile(), true));
                      });
            });
    return out;
  }
}
