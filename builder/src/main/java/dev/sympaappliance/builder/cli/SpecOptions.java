package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.ApplianceSpec.UserInput;
import dev.sympaappliance.builder.spec.Database;
import dev.sympaappliance.builder.spec.Deliverability;
import dev.sympaappliance.builder.spec.SpecFile;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options that describe an appliance, shared by `image` and `render`. */
final class SpecOptions {
  @Option(names = "--role", paramLabel = "appliance|relay|sink",
      description = "appliance (default): Postfix in front of Sympa's spools;"
          + " relay: a front MX that forwards list mail to --sympa-server;"
          + " sink: a staging SMTP sink that keeps every message under /sink.")
  String role;

  @Option(names = "--spec", paramLabel = "FILE",
      description = "A YAML spec file: everything these options say, plus lists with subjects, owners,"
          + " editors and subscribers. The options given beside it override the file's values.")
  String specFile;

  @Option(names = "--domain", paramLabel = "DOMAIN",
      description = "The list domain, e.g. lists.example.org (required unless the --spec file has domain:).")
  String domain;

  @Option(names = "--list", paramLabel = "NAME",
      description = "A list of the domain; its aliases are generated. Repeatable.")
  List<String> lists = new ArrayList<>();

  @Option(names = "--hostname", paramLabel = "HOST",
      description = "Postfix's myhostname (default: mx.DOMAIN; relay.DOMAIN for --role relay, which must"
          + " differ from the Sympa server's).")
  String hostname;

  @Option(names = "--listmaster", paramLabel = "ADDRESS",
      description = "Sympa's listmaster address; required with --sympa full, and outside the list domain"
          + " (default for --sympa tools: listmaster@DOMAIN).")
  String listmaster;

  @Option(names = "--relayhost", paramLabel = "HOST[:PORT]",
      description = "Send mail for other domains through this host (relayhost = [HOST]:PORT, port 25 by default).")
  String relayhost;

  @Option(names = "--sympa-server", paramLabel = "HOST[:PORT]",
      description = "With --role relay: the Sympa server that list mail is forwarded to (port 25 by default).")
  String sympaServer;

  @Option(names = "--sympa-domain", paramLabel = "DOMAIN",
      description = "With --role relay: the list domain the Sympa server serves, if not --domain;"
          + " virtual.regexp translates list addresses to it.")
  String sympaDomain;

  @Option(names = "--postconf", paramLabel = "NAME=VALUE",
      description = "Set a main.cf parameter last, over the generated value (repeatable). For tuning and"
          + " tests; the generated defaults are what Sympa's how-to prescribes.")
  List<String> postconf = new ArrayList<>();

  @Option(names = "--sympa", paramLabel = "full|tools",
      description = "With --role appliance: full (default): Debian's sympa package and its daemons;"
          + " tools: only Sympa's spool tools queue and bouncequeue.")
  String flavour;

  @Option(names = "--debian", paramLabel = "trixie|bookworm",
      description = "The Debian release the image is built on: trixie (default: Debian 13, Sympa 6.2.76) or"
          + " bookworm (Debian 12, Sympa 6.2.70).")
  String debian;

  @Option(names = "--sympa-conf", paramLabel = "NAME=VALUE",
      description = "Set a sympa.conf parameter last, over the generated value (repeatable).")
  List<String> sympaConf = new ArrayList<>();

  @Option(names = "--web", negatable = true,
      description = "With --sympa full: serve Sympa's web interface (WWSympa behind nginx, port 80); on by"
          + " default, --no-web leaves it out (subscriptions are then confirmed by replying to a mail).")
  Boolean web;

  @Option(names = "--web-url", paramLabel = "URL",
      description = "The public address of the web interface, Sympa's wwsympa_url: the links in its mail and"
          + " pages (default: http://DOMAIN/sympa). https://… when a TLS proxy in front forwards to port 80.")
  String webUrl;

  @Option(names = "--dkim", negatable = true,
      description = "With --sympa full: Sympa signs what it sends for the list domain with DKIM (on by default;"
          + " --no-dkim when a relay host signs instead).")
  Boolean dkim;

  @Option(names = "--dkim-selector", paramLabel = "SELECTOR",
      description = "The DKIM selector: the key is published at SELECTOR._domainkey.DOMAIN (default: sympa).")
  String dkimSelector;

  @Option(names = "--dkim-key-file", paramLabel = "PATH",
      description = "A DKIM private key (PEM) mounted at PATH in the container, readable by user sympa (uid 900)."
          + " Default: a 2048-bit RSA key made at the first start, in the volume.")
  String dkimKeyFile;

  @Option(names = "--dmarc-protection", paramLabel = "MODES",
      description = "Sympa's dmarc_protection.mode: whose posts get their From rewritten to the list's address"
          + " (default: dmarc_reject,dmarc_quarantine; none turns it off; all, dkim_signature, dmarc_any).")
  String dmarcProtection;

  @Option(names = "--tls-cert-file", paramLabel = "PATH",
      description = "The certificate (PEM, with its chain) Postfix offers with STARTTLS, mounted at PATH."
          + " Default: a self-signed one made at the first start, in the volume.")
  String tlsCertFile;

  @Option(names = "--tls-key-file", paramLabel = "PATH",
      description = "The private key of --tls-cert-file, mounted at PATH (read by root).")
  String tlsKeyFile;

  @Option(names = "--smtp-tls", paramLabel = "may|encrypt",
      description = "TLS for outbound mail (smtp_tls_security_level): may (default: when the next hop offers it)"
          + " or encrypt (never without).")
  String smtpTls;

  @Option(names = "--relayhost-password-file", paramLabel = "PATH",
      description = "With --relayhost: a file USERNAME:PASSWORD mounted at PATH (a Docker secret, say), for SMTP AUTH"
          + " at the relay host; outbound TLS is then required (encrypt). Never in the image or the logs.")
  String relayhostPasswordFile;

  @Option(names = "--one-click-unsubscribe", negatable = true,
      description = "With --sympa full: every copy is made for one member and carries an HTTPS one-click"
          + " unsubscribe URL (RFC 8058) under the DKIM signature. On by default with DKIM and an https:// --web-url;"
          + " each member's copy is then its own SMTP transaction.")
  Boolean oneClickUnsubscribe;

  @Option(names = "--database", paramLabel = "sqlite|postgresql",
      description = "With --sympa full: Sympa's database, sqlite (default: a file in the volume) or postgresql (an"
          + " external server: --db-host, --db-password-file).")
  String database;

  @Option(names = "--db-host", paramLabel = "HOST[:PORT]",
      description = "The PostgreSQL server (port 5432 by default).")
  String dbHost;

  @Option(names = "--db-name", paramLabel = "NAME", description = "The PostgreSQL database (default: sympa).")
  String dbName;

  @Option(names = "--db-user", paramLabel = "NAME", description = "The PostgreSQL role (default: sympa).")
  String dbUser;

  @Option(names = "--db-password-file", paramLabel = "PATH",
      description = "A file holding the PostgreSQL password, mounted at PATH (a Docker or Kubernetes secret);"
          + " read at each start, never in the image or the logs.")
  String dbPasswordFile;

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  ApplianceSpec toSpec() {
    UserInput flags = new UserInput(
        role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain, postconf, flavour, sympaConf)
        .withWeb(web, webUrl)
        .withDeliverability(new Deliverability.Input(dkim, dkimSelector, dkimKeyFile, dmarcProtection, tlsCertFile,
            tlsKeyFile, smtpTls, relayhostPasswordFile, oneClickUnsubscribe))
        .withDatabase(new Database.Input(database, dbHost, dbName, dbUser, dbPasswordFile))
        .withDebian(debian);
    if (specFile == null && domain == null) {
      throw new ParameterException(command.commandLine(), "Missing required option: '--domain=DOMAIN'"
          + " (or domain: in a --spec file)");
    }
    UserInput input = specFile == null ? flags : SpecFile.read(specFile).overriddenBy(flags);
    return ApplianceSpec.fromUserInput(input);
  }
}
