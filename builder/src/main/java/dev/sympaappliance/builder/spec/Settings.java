package dev.sympaappliance.builder.spec;

import static dev.sympaappliance.builder.spec.Setting.Target.FULL;
import static dev.sympaappliance.builder.spec.Setting.Target.RELAY;
import static dev.sympaappliance.builder.spec.Setting.Target.TOOLS;
import static dev.sympaappliance.builder.spec.Setting.list;
import static dev.sympaappliance.builder.spec.Setting.number;
import static dev.sympaappliance.builder.spec.Setting.onOff;
import static dev.sympaappliance.builder.spec.Setting.text;

import dev.sympaappliance.builder.spec.Setting.PerDomain;
import dev.sympaappliance.builder.spec.Setting.TakenBy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The table of settings: each setting of one value is declared here once, with its spec key, flag,
 * kind, help, default and the images that take it. The spec file's reader ({@link SpecReader}), the
 * command line's options, the "flags override the file" merge, the names errors give a value and
 * the refusal of a setting an image does not take ({@link ApplianceSpec#fromUserInput}) are all
 * made from {@link #ALL}; a test holds the README's tables (keys, flags, defaults) to it.
 *
 * <p>Lists, {@code postconf} and {@code sympa_conf} are not settings of one value: {@link
 * UserInput} holds them beside these. A setting of kind {@link Setting.Kind#LIST} ({@code
 * platforms}) is one value that is a list of strings, set as a whole: a flag replaces the file's.
 */
public final class Settings {
  private Settings() {}

  private static final List<Setting<?>> DECLARED = new ArrayList<>();

  private static <T> Setting<T> declare(Setting<T> setting) {
    DECLARED.add(setting);
    return setting;
  }

  private static final TakenBy POSTFIX = TakenBy.only("a sink runs no Postfix", FULL, TOOLS, RELAY);
  private static final TakenBy APPLIANCE =
      TakenBy.only("only applies to --role appliance", FULL, TOOLS);
  private static final TakenBy RELAY_ONLY = TakenBy.only("only applies to --role relay", RELAY);
  private static final TakenBy WEB_ONLY = sympa("the tools flavour has no web interface");
  private static final TakenBy SIGNING = sympa("Sympa signs and rewrites its mail");
  private static final TakenBy DATABASES = sympa("only Sympa's daemons keep a database");

  private static TakenBy sympa(String why) {
    return TakenBy.only("only applies to --role appliance --sympa full (" + why + ")", FULL);
  }

  // In the order a spec file lists them: its top-level keys, and each mapping's keys, follow it.
  public static final Setting<String> DOMAIN =
      declare(
          text(
                  "domain",
                  "--domain",
                  "DOMAIN",
                  "The list domain, e.g. lists.example.org (required unless the --spec file has domain:).")
              .perDomain(PerDomain.OWN));
  public static final Setting<String> HOSTNAME =
      declare(
          text(
              "hostname",
              "--hostname",
              "HOST",
              "Postfix's myhostname (default: mx.DOMAIN; relay.DOMAIN for --role relay, which must"
                  + " differ from the Sympa server's)."));
  public static final Setting<String> ROLE =
      declare(
          text(
                  "role",
                  "--role",
                  "appliance|relay|sink",
                  "appliance (default): Postfix in front of Sympa's spools;"
                      + " relay: a front MX that forwards list mail to --sympa-server;"
                      + " sink: a staging SMTP sink that keeps every message under /sink.")
              .byDefault("appliance"));
  public static final Setting<String> FLAVOUR =
      declare(
          text(
                  "sympa",
                  "--sympa",
                  "full|tools",
                  "With --role appliance: full (default): Debian's sympa package and its daemons;"
                      + " tools: only Sympa's spool tools queue and bouncequeue.")
              .takenBy(APPLIANCE));
  public static final Setting<String> DEBIAN =
      declare(
          text(
                  "debian",
                  "--debian",
                  "trixie|bookworm",
                  "The Debian release the image is built on: trixie (default: Debian 13, Sympa 6.2.76) or"
                      + " bookworm (Debian 12, Sympa 6.2.70).")
              .byDefault(DebianSuite.DEFAULT.codename()));

  /** No declared default: when none is given, the host's platform (see {@link Platform#host()}). */
  public static final Setting<List<String>> PLATFORMS =
      declare(
          list(
              "platforms",
              "--platform",
              "PLATFORM[,PLATFORM]",
              "The platforms the image is built for, comma-separated, each once: "
                  + Platform.RULE
                  + " (default: the host's, linux/amd64 on x86-64, linux/arm64 on ARM64)."));

  public static final Setting<String> LISTMASTER =
      declare(
          text(
                  "listmaster",
                  "--listmaster",
                  "ADDRESS",
                  "Sympa's listmaster address, outside the list domain with --sympa full (default:"
                      + " postmaster@ the parent domain, e.g. postmaster@example.org for lists.example.org;"
                      + " for --sympa tools: listmaster@DOMAIN).")
              .perDomain(PerDomain.OWN));
  public static final Setting<String> RELAYHOST =
      declare(
          text(
                  "relayhost",
                  "--relayhost",
                  "HOST[:PORT]",
                  "Send mail for other domains through this host (relayhost = [HOST]:PORT, port 25 by default).")
              .takenBy(
                  TakenBy.only("a sink keeps all mail; it has no relay host", FULL, TOOLS, RELAY)));
  public static final Setting<String> SYMPA_SERVER =
      declare(
          text(
                  "sympa_server",
                  "--sympa-server",
                  "HOST[:PORT]",
                  "With --role relay: the Sympa server that list mail is forwarded to (port 25 by default).")
              .takenBy(RELAY_ONLY));
  public static final Setting<String> SYMPA_DOMAIN =
      declare(
          text(
                  "sympa_domain",
                  "--sympa-domain",
                  "DOMAIN",
                  "With --role relay: the list domain the Sympa server serves, if not --domain;"
                      + " virtual.regexp translates the list domain's addresses to it.")
              .takenBy(RELAY_ONLY));
  public static final Setting<Boolean> WEB =
      declare(
          onOff(
                  "web.enabled",
                  "--web",
                  "With --sympa full: serve Sympa's web interface (WWSympa behind nginx, port 80); on by"
                      + " default, --no-web leaves it out (subscriptions are then confirmed by replying to a mail).")
              .byDefault(true)
              .takenBy(WEB_ONLY));
  public static final Setting<String> WEB_URL =
      declare(
          text(
                  "web.url",
                  "--web-url",
                  "URL",
                  "The public address of the web interface, Sympa's wwsympa_url: the links in its mail and"
                      + " pages (default: http://DOMAIN/sympa). https://… when a TLS proxy in front"
                      + " forwards to port 80.")
              .takenBy(WEB_ONLY)
              .perDomain(PerDomain.OWN));
  public static final Setting<String> WEB_WORKERS =
      declare(
          number(
                  "web.workers",
                  "--web-workers",
                  "N",
                  "With the web interface: how many WWSympa processes answer its requests at once, 1 to "
                      + WebInterface.MAX_WORKERS
                      + " (default: "
                      + WebInterface.DEFAULT_WORKERS
                      + "); each holds all of Sympa,"
                      + " about 120 MB, and serves one request at a time.")
              .byDefault(String.valueOf(WebInterface.DEFAULT_WORKERS))
              .takenBy(WEB_ONLY));
  public static final Setting<String> BULK_WORKERS =
      declare(
          number(
                  "bulk.workers",
                  "--bulk-workers",
                  "N",
                  "How many of Sympa's distribution daemons (bulk.pl) send a list's copies side by side"
                      + " in each container that runs them, 1 to "
                      + ApplianceSpec.MAX_BULK_WORKERS
                      + " (default: "
                      + ApplianceSpec.DEFAULT_BULK_WORKERS
                      + "); each holds all of Sympa, about 85 MB. Per-member copies (one-click"
                      + " unsubscribe, VERP) are bound by one bulk.pl's CPU: two send them about"
                      + " twice as fast on two cores.")
              .byDefault(String.valueOf(ApplianceSpec.DEFAULT_BULK_WORKERS))
              .takenBy(sympa("the tools flavour has no distribution daemon")));
  public static final Setting<Boolean> DKIM =
      declare(
          onOff(
                  "dkim.enabled",
                  "--dkim",
                  "With --sympa full: Sympa signs what it sends for the list domain with DKIM (on by default;"
                      + " --no-dkim when a relay host signs instead).")
              .byDefault(true)
              .takenBy(SIGNING));
  public static final Setting<String> DKIM_SELECTOR =
      declare(
          text(
                  "dkim.selector",
                  "--dkim-selector",
                  "SELECTOR",
                  "The DKIM selector: the key is published at SELECTOR._domainkey.DOMAIN (default: sympa).")
              .byDefault(Deliverability.DEFAULT_SELECTOR)
              .takenBy(SIGNING)
              .perDomain(PerDomain.INHERITED));
  public static final Setting<String> DKIM_KEY_FILE =
      declare(
          text(
                  "dkim.key_file",
                  "--dkim-key-file",
                  "PATH",
                  "A DKIM private key (PEM) mounted at PATH in the container, readable by user sympa (uid 900)."
                      + " Default: a 2048-bit RSA key made at the first start, in the volume.")
              .takenBy(SIGNING)
              .perDomain(PerDomain.OWN));
  public static final Setting<String> DMARC_PROTECTION =
      declare(
          text(
                  "dmarc.protection",
                  "--dmarc-protection",
                  "MODES",
                  "Sympa's dmarc_protection.mode: whose posts get their From rewritten to the list's address"
                      + " (default: dmarc_reject,dmarc_quarantine; none turns it off; all, dkim_signature, dmarc_any).")
              .byDefault("dmarc_reject,dmarc_quarantine")
              .takenBy(SIGNING)
              .perDomain(PerDomain.INHERITED));
  public static final Setting<String> TLS_CERT_FILE =
      declare(
          text(
                  "tls.cert_file",
                  "--tls-cert-file",
                  "PATH",
                  "The certificate (PEM, with its chain) Postfix offers with STARTTLS, mounted at PATH."
                      + " Default: a self-signed one made at the first start, in the volume.")
              .takenBy(POSTFIX));
  public static final Setting<String> TLS_KEY_FILE =
      declare(
          text(
                  "tls.key_file",
                  "--tls-key-file",
                  "PATH",
                  "The private key of --tls-cert-file, mounted at PATH (read by root).")
              .takenBy(POSTFIX));
  public static final Setting<String> SMTP_TLS =
      declare(
          text(
                  "tls.outbound",
                  "--smtp-tls",
                  "may|encrypt",
                  "TLS for outbound mail (smtp_tls_security_level): may (default: when the next hop offers it)"
                      + " or encrypt (never without).")
              .byDefault("may")
              .takenBy(POSTFIX));
  public static final Setting<String> RELAYHOST_PASSWORD_FILE =
      declare(
          text(
                  "relayhost_auth.password_file",
                  "--relayhost-password-file",
                  "PATH",
                  "With --relayhost: a file USERNAME:PASSWORD mounted at PATH (a Docker secret, say), for SMTP AUTH"
                      + " at the relay host; outbound TLS is then required (encrypt). Never in the image or the logs.")
              .takenBy(SIGNING));
  public static final Setting<Boolean> ONE_CLICK_UNSUBSCRIBE =
      declare(
          onOff(
                  "unsubscribe.one_click",
                  "--one-click-unsubscribe",
                  "With --sympa full: every copy is made for one member and carries an HTTPS one-click"
                      + " unsubscribe URL (RFC 8058) under the DKIM signature."
                      + " On by default with DKIM and an https:// --web-url;"
                      + " each member's copy is then its own SMTP transaction.")
              .takenBy(SIGNING)
              .perDomain(PerDomain.INHERITED));
  public static final Setting<String> DATABASE =
      declare(
          text(
                  "database.type",
                  "--database",
                  "sqlite|postgresql",
                  "With --sympa full: Sympa's database, sqlite (default: a file in the volume) or postgresql (an"
                      + " external server: --db-host, --db-password-file).")
              .byDefault("sqlite")
              .takenBy(DATABASES));
  public static final Setting<String> DB_HOST =
      declare(
          text(
                  "database.host",
                  "--db-host",
                  "HOST[:PORT]",
                  "The PostgreSQL server (port 5432 by default).")
              .takenBy(DATABASES));
  public static final Setting<String> DB_NAME =
      declare(
          text("database.name", "--db-name", "NAME", "The PostgreSQL database (default: sympa).")
              .byDefault(Database.DEFAULT_NAME)
              .takenBy(DATABASES));
  public static final Setting<String> DB_USER =
      declare(
          text("database.user", "--db-user", "NAME", "The PostgreSQL role (default: sympa).")
              .byDefault(Database.DEFAULT_USER)
              .takenBy(DATABASES));
  public static final Setting<String> DB_PASSWORD_FILE =
      declare(
          text(
                  "database.password_file",
                  "--db-password-file",
                  "PATH",
                  "A file holding the PostgreSQL password, mounted at PATH (a Docker or Kubernetes secret);"
                      + " read at each start, never in the image or the logs.")
              .takenBy(DATABASES));
  public static final Setting<String> DEPLOY_IMAGE =
      declare(text("deployment.image", null, null, null));
  public static final Setting<String> DEPLOY_RELAY_IMAGE =
      declare(text("deployment.relay_image", null, null, null));
  public static final Setting<String> DEPLOY_POSTGRESQL_IMAGE =
      declare(text("deployment.postgresql_image", null, null, null));
  public static final Setting<String> DEPLOY_RELAYS =
      declare(number("deployment.relays", null, null, null));
  public static final Setting<String> DEPLOY_BULK =
      declare(number("deployment.bulk", null, null, null));
  public static final Setting<String> DEPLOY_WEB =
      declare(number("deployment.web", null, null, null));
  public static final Setting<String> DEPLOY_SMTP_PORT =
      declare(number("deployment.smtp_port", null, null, null));
  public static final Setting<String> DEPLOY_HTTP_PORT =
      declare(number("deployment.http_port", null, null, null));

  /** Every setting, in the order of a spec file. */
  public static final List<Setting<?>> ALL = List.copyOf(DECLARED);

  /** The top-level keys the settings take, in order (each section once). */
  public static List<String> topLevelKeys() {
    LinkedHashSet<String> keys = new LinkedHashSet<>();
    ALL.forEach(s -> keys.add(s.section().orElse(s.key())));
    return List.copyOf(keys);
  }

  /** The settings each entry of a spec's {@code domains:} may set for its domain, in order. */
  public static List<Setting<?>> perDomain() {
    return ALL.stream().filter(Setting::isPerDomain).toList();
  }

  /** The settings of one section of a spec file ({@code dkim}), in order. */
  public static List<Setting<?>> inSection(String section) {
    return ALL.stream().filter(s -> s.section().filter(section::equals).isPresent()).toList();
  }
}
