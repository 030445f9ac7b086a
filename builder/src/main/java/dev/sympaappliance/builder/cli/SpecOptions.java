package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.ApplianceSpec.UserInput;
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

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  ApplianceSpec toSpec() {
    UserInput flags = new UserInput(
        role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain, postconf, flavour, sympaConf)
        .withWeb(web, webUrl);
    if (specFile == null && domain == null) {
      throw new ParameterException(command.commandLine(), "Missing required option: '--domain=DOMAIN'"
          + " (or domain: in a --spec file)");
    }
    UserInput input = specFile == null ? flags : SpecFile.read(specFile).overriddenBy(flags);
    return ApplianceSpec.fromUserInput(input);
  }
}
