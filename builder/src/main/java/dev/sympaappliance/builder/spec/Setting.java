package dev.sympaappliance.builder.spec;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * One setting of a spec with a single value, declared once: its key in a spec file (a path such as
 * {@code dkim.selector}), its flag (null for a setting only a spec file gives), the kind of value
 * it takes, and its help. The spec file's reader, the command line's options, the "flags override
 * the file" merge and the names errors give a value are all made from {@link #ALL}; a test holds
 * the README's tables to it. The rule of each value is its value type's (see {@link
 * ApplianceSpec#fromUserInput}).
 *
 * <p>Lists, {@code postconf} and {@code sympa_conf} are not settings of one value: {@link
 * UserInput} holds them beside these.
 *
 * @param <T> {@link String} for text and whole numbers (as their text), {@link Boolean} for
 *     switches
 */
public final class Setting<T> {
  /** What a value is, in a spec file and on the command line. */
  public enum Kind {
    /** A YAML string; {@code --flag=VALUE}. */
    TEXT,
    /** A YAML whole number; {@code --flag=N}. Held as its text, for the grammar to judge. */
    NUMBER,
    /** YAML {@code true} or {@code false}; {@code --flag} and {@code --no-flag}. */
    SWITCH
  }

  private final String key;
  private final String flag;
  private final Kind kind;
  private final Class<T> type;
  private final String label;
  private final String help;

  private Setting(String key, String flag, Kind kind, Class<T> type, String label, String help) {
    this.key = key;
    this.flag = flag;
    this.kind = kind;
    this.type = type;
    this.label = label;
    this.help = help;
  }

  private static Setting<String> text(String key, String flag, String label, String help) {
    return new Setting<>(key, flag, Kind.TEXT, String.class, label, help);
  }

  private static Setting<String> number(String key, String flag, String label, String help) {
    return new Setting<>(key, flag, Kind.NUMBER, String.class, label, help);
  }

  private static Setting<Boolean> onOff(String key, String flag, String help) {
    return new Setting<>(key, flag, Kind.SWITCH, Boolean.class, null, help);
  }

  // In the order a spec file lists them: its top-level keys, and each mapping's keys, follow it.
  public static final Setting<String> DOMAIN =
      text(
          "domain",
          "--domain",
          "DOMAIN",
          "The list domain, e.g. lists.example.org (required unless the --spec file has domain:).");
  public static final Setting<String> HOSTNAME =
      text(
          "hostname",
          "--hostname",
          "HOST",
          "Postfix's myhostname (default: mx.DOMAIN; relay.DOMAIN for --role relay, which must"
              + " differ from the Sympa server's).");
  public static final Setting<String> ROLE =
      text(
          "role",
          "--role",
          "appliance|relay|sink",
          "appliance (default): Postfix in front of Sympa's spools;"
              + " relay: a front MX that forwards list mail to --sympa-server;"
              + " sink: a staging SMTP sink that keeps every message under /sink.");
  public static final Setting<String> FLAVOUR =
      text(
          "sympa",
          "--sympa",
          "full|tools",
          "With --role appliance: full (default): Debian's sympa package and its daemons;"
              + " tools: only Sympa's spool tools queue and bouncequeue.");
  public static final Setting<String> DEBIAN =
      text(
          "debian",
          "--debian",
          "trixie|bookworm",
          "The Debian release the image is built on: trixie (default: Debian 13, Sympa 6.2.76) or"
              + " bookworm (Debian 12, Sympa 6.2.70).");
  public static final Setting<String> LISTMASTER =
      text(
          "listmaster",
          "--listmaster",
          "ADDRESS",
          "Sympa's listmaster address; required with --sympa full, and outside the list domain"
              + " (default for --sympa tools: listmaster@DOMAIN).");
  public static final Setting<String> RELAYHOST =
      text(
          "relayhost",
          "--relayhost",
          "HOST[:PORT]",
          "Send mail for other domains through this host (relayhost = [HOST]:PORT, port 25 by default).");
  public static final Setting<String> SYMPA_SERVER =
      text(
          "sympa_server",
          "--sympa-server",
          "HOST[:PORT]",
          "With --role relay: the Sympa server that list mail is forwarded to (port 25 by default).");
  public static final Setting<String> SYMPA_DOMAIN =
      text(
          "sympa_domain",
          "--sympa-domain",
          "DOMAIN",
          "With --role relay: the list domain the Sympa server serves, if not --domain;"
              + " virtual.regexp translates list addresses to it.");
  public static final Setting<Boolean> WEB =
      onOff(
          "web.enabled",
          "--web",
          "With --sympa full: serve Sympa's web interface (WWSympa behind nginx, port 80); on by"
              + " default, --no-web leaves it out (subscriptions are then confirmed by replying to a mail).");
  public static final Setting<String> WEB_URL =
      text(
          "web.url",
          "--web-url",
          "URL",
          "The public address of the web interface, Sympa's wwsympa_url: the links in its mail and"
              + " pages (default: http://DOMAIN/sympa). https://… when a TLS proxy in front forwards to port 80.");
  public static final Setting<String> WEB_WORKERS =
      number(
          "web.workers",
          "--web-workers",
          "N",
          "With the web interface: how many WWSympa processes answer its requests at once, 1 to "
              + WebInterface.MAX_WORKERS
              + " (default: "
              + WebInterface.DEFAULT_WORKERS
              + "); each holds all of Sympa,"
              + " about 120 MB, and serves one request at a time.");
  public static final Setting<Boolean> DKIM =
      onOff(
          "dkim.enabled",
          "--dkim",
          "With --sympa full: Sympa signs what it sends for the list domain with DKIM (on by default;"
              + " --no-dkim when a relay host signs instead).");
  public static final Setting<String> DKIM_SELECTOR =
      text(
          "dkim.selector",
          "--dkim-selector",
          "SELECTOR",
          "The DKIM selector: the key is published at SELECTOR._domainkey.DOMAIN (default: sympa).");
  public static final Setting<String> DKIM_KEY_FILE =
      text(
          "dkim.key_file",
          "--dkim-key-file",
          "PATH",
          "A DKIM private key (PEM) mounted at PATH in the container, readable by user sympa (uid 900)."
              + " Default: a 2048-bit RSA key made at the first start, in the volume.");
  public static final Setting<String> DMARC_PROTECTION =
      text(
          "dmarc.protection",
          "--dmarc-protection",
          "MODES",
          "Sympa's dmarc_protection.mode: whose posts get their From rewritten to the list's address"
              + " (default: dmarc_reject,dmarc_quarantine; none turns it off; all, dkim_signature, dmarc_any).");
  public static final Setting<String> TLS_CERT_FILE =
      text(
          "tls.cert_file",
          "--tls-cert-file",
          "PATH",
          "The certificate (PEM, with its chain) Postfix offers with STARTTLS, mounted at PATH."
              + " Default: a self-signed one made at the first start, in the volume.");
  public static final Setting<String> TLS_KEY_FILE =
      text(
          "tls.key_file",
          "--tls-key-file",
          "PATH",
          "The private key of --tls-cert-file, mounted at PATH (read by root).");
  public static final Setting<String> SMTP_TLS =
      text(
          "tls.outbound",
          "--smtp-tls",
          "may|encrypt",
          "TLS for outbound mail (smtp_tls_security_level): may (default: when the next hop offers it)"
              + " or encrypt (never without).");
  public static final Setting<String> RELAYHOST_PASSWORD_FILE =
      text(
          "relayhost_auth.password_file",
          "--relayhost-password-file",
          "PATH",
          "With --relayhost: a file USERNAME:PASSWORD mounted at PATH (a Docker secret, say), for SMTP AUTH"
              + " at the relay host; outbound TLS is then required (encrypt). Never in the image or the logs.");
  public static final Setting<Boolean> ONE_CLICK_UNSUBSCRIBE =
      onOff(
          "unsubscribe.one_click",
          "--one-click-unsubscribe",
          "With --sympa full: every copy is made for one member and carries an HTTPS one-click"
              + " unsubscribe URL (RFC 8058) under the DKIM signature."
              + " On by default with DKIM and an https:// --web-url;"
              + " each member's copy is then its own SMTP transaction.");
  public static final Setting<String> DATABASE =
      text(
          "database.type",
          "--database",
          "sqlite|postgresql",
          "With --sympa full: Sympa's database, sqlite (default: a file in the volume) or postgresql (an"
              + " external server: --db-host, --db-password-file).");
  public static final Setting<String> DB_HOST =
      text(
          "database.host",
          "--db-host",
          "HOST[:PORT]",
          "The PostgreSQL server (port 5432 by default).");
  public static final Setting<String> DB_NAME =
      text("database.name", "--db-name", "NAME", "The PostgreSQL database (default: sympa).");
  public static final Setting<String> DB_USER =
      text("database.user", "--db-user", "NAME", "The PostgreSQL role (default: sympa).");
  public static final Setting<String> DB_PASSWORD_FILE =
      text(
          "database.password_file",
          "--db-password-file",
          "PATH",
          "A file holding the PostgreSQL password, mounted at PATH (a Docker or Kubernetes secret);"
              + " read at each start, never in the image or the logs.");
  public static final Setting<String> DEPLOY_IMAGE = text("deployment.image", null, null, null);
  public static final Setting<String> DEPLOY_RELAY_IMAGE =
      text("deployment.relay_image", null, null, null);
  public static final Setting<String> DEPLOY_POSTGRESQL_IMAGE =
      text("deployment.postgresql_image", null, null, null);
  public static final Setting<String> DEPLOY_RELAYS = number("deployment.relays", null, null, null);
  public static final Setting<String> DEPLOY_BULK = number("deployment.bulk", null, null, null);
  public static final Setting<String> DEPLOY_WEB = number("deployment.web", null, null, null);
  public static final Setting<String> DEPLOY_SMTP_PORT =
      number("deployment.smtp_port", null, null, null);
  public static final Setting<String> DEPLOY_HTTP_PORT =
      number("deployment.http_port", null, null, null);

  /** Every setting, in the order of a spec file. */
  public static final List<Setting<?>> ALL =
      List.of(
          DOMAIN,
          HOSTNAME,
          ROLE,
          FLAVOUR,
          DEBIAN,
          LISTMASTER,
          RELAYHOST,
          SYMPA_SERVER,
          SYMPA_DOMAIN,
          WEB,
          WEB_URL,
          WEB_WORKERS,
          DKIM,
          DKIM_SELECTOR,
          DKIM_KEY_FILE,
          DMARC_PROTECTION,
          TLS_CERT_FILE,
          TLS_KEY_FILE,
          SMTP_TLS,
          RELAYHOST_PASSWORD_FILE,
          ONE_CLICK_UNSUBSCRIBE,
          DATABASE,
          DB_HOST,
          DB_NAME,
          DB_USER,
          DB_PASSWORD_FILE,
          DEPLOY_IMAGE,
          DEPLOY_RELAY_IMAGE,
          DEPLOY_POSTGRESQL_IMAGE,
          DEPLOY_RELAYS,
          DEPLOY_BULK,
          DEPLOY_WEB,
          DEPLOY_SMTP_PORT,
          DEPLOY_HTTP_PORT);

  /** Its key in a spec file: a top-level key, or {@code SECTION.KEY} for a key of a mapping. */
  public String key() {
    return key;
  }

  /** Its flag ({@code --domain}); empty for a setting only a spec file gives. */
  public Optional<String> flag() {
    return Optional.ofNullable(flag);
  }

  public Kind kind() {
    return kind;
  }

  /** The Java type of its value: {@link Boolean} for a switch, else {@link String}. */
  public Class<T> type() {
    return type;
  }

  /** What the flag's value looks like in the help ({@code HOST[:PORT]}); null for a switch. */
  public String label() {
    return label;
  }

  /** The flag's help text; null for a setting only a spec file gives. */
  public String help() {
    return help;
  }

  /** The mapping of a spec file that holds it ({@code dkim}); empty for a top-level key. */
  public Optional<String> section() {
    int dot = key.indexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(key.substring(0, dot));
  }

  /** Its key inside its section ({@code selector}), or its top-level key. */
  public String name() {
    return key.substring(key.indexOf('.') + 1);
  }

  /** How an error names it when no spec file gave it: its flag, else its key. */
  public String flagOrKey() {
    return flag == null ? key : flag;
  }

  /** The top-level keys the settings take, in order (each section once). */
  public static List<String> topLevelKeys() {
    LinkedHashSet<String> keys = new LinkedHashSet<>();
    ALL.forEach(s -> keys.add(s.section().orElse(s.key)));
    return List.copyOf(keys);
  }

  /** The settings of one section of a spec file ({@code dkim}), in order. */
  public static List<Setting<?>> inSection(String section) {
    return ALL.stream().filter(s -> s.section().filter(section::equals).isPresent()).toList();
  }

  @Override
  public String toString() {
    return key;
  }
}
