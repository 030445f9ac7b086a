package dev.sympaappliance.builder.render;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Flavour;
import dev.sympaappliance.builder.spec.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What each image kind (role, and flavour for an appliance) is made of: its files, the template of
 * each, the s6 services of the full flavour, its volumes and its ports.
 */
final class ImageLayout {
  private ImageLayout() {}

  /** A file of the image and the template (or, for a script, the resource) it is made from. */
  record Output(String template, String path, int mode, int uid, int gid) {}

  private static final Output MAIN_CF =
      new Output("main.cf.ftl", "/etc/postfix/main.cf", 0644, 0, 0);
  private static final Output MASTER_CF =
      new Output("master.cf.ftl", "/etc/postfix/master.cf", 0644, 0, 0);
  private static final Output TRANSPORT =
      new Output("transport_regexp.ftl", "/etc/postfix/transport_regexp", 0644, 0, 0);
  private static final Output RELAY_RECIPIENTS =
      new Output("relay_recipients.ftl", "/etc/postfix/relay_recipients", 0644, 0, 0);
  private static final Output SYMPA_CONF =
      new Output(
          "sympa.conf.ftl",
          ImagePaths.SYMPA_CONF,
          0640,
          ImagePaths.SYMPA_UID,
          ImagePaths.SYMPA_GID);
  private static final Output ENTRYPOINT =
      new Output("sympa-appliance-entrypoint.ftl", ImagePaths.ENTRYPOINT, 0755, 0, 0);

  /**
   * The files of each image kind (role, and flavour for an appliance), in the order they are
   * written.
   */
  private static final Map<String, List<Output>> OUTPUTS =
      Map.of(
          kind(Role.APPLIANCE, Flavour.TOOLS),
              List.of(
                  MAIN_CF,
                  MASTER_CF,
                  TRANSPORT,
                  new Output("sympa_aliases.ftl", ImagePaths.SYMPA_ALIASES, 0644, 0, 0),
                  RELAY_RECIPIENTS,
                  SYMPA_CONF,
                  ENTRYPOINT),
          kind(Role.APPLIANCE, Flavour.FULL),
              List.of(
                  MAIN_CF,
                  MASTER_CF,
                  TRANSPORT,
                  RELAY_RECIPIENTS,
                  new Output("virtual_alias.ftl", "/etc/postfix/virtual_alias", 0644, 0, 0),
                  SYMPA_CONF,
                  new Output("list_aliases.tt2.ftl", "/etc/sympa/list_aliases.tt2", 0644, 0, 0),
                  new Output(
                      "sympa-appliance-full-entrypoint.ftl", ImagePaths.ENTRYPOINT, 0755, 0, 0),
                  new Output("sympa-appliance-health.ftl", ImagePaths.HEALTH_CHECK, 0755, 0, 0),
                  new Output("sympa-appliance-dns.ftl", ImagePaths.DNS_RECORDS, 0755, 0, 0),
                  new Output(
                      "s6-svscan-SIGTERM.ftl",
                      ImagePaths.SERVICES + "/.s6-svscan/SIGTERM",
                      0755,
                      0,
                      0),
                  new Output("postfix.run.ftl", ImagePaths.SERVICES + "/postfix/run", 0755, 0, 0)),
          kind(Role.RELAY, Flavour.TOOLS),
              List.of(
                  MAIN_CF,
                  MASTER_CF,
                  TRANSPORT,
                  new Output("virtual.regexp.ftl", "/etc/postfix/virtual.regexp", 0644, 0, 0),
                  ENTRYPOINT),
          kind(Role.SINK, Flavour.TOOLS),
              List.of(
                  new Output(
                      "sympa-appliance-sink-entrypoint.ftl", ImagePaths.ENTRYPOINT, 0755, 0, 0)));

  /**
   * Full flavour: shell and Perl scripts that are not templates, copied into the image as they are
   * (the logic lives in them; what they need of the site they read from the image's own files).
   */
  static final List<Output> FULL_SCRIPTS =
      List.of(
          new Output("scripts/sympa-appliance-upgrade.sh", ImagePaths.UPGRADE, 0755, 0, 0),
          new Output("scripts/sympa-appliance-backup.sh", ImagePaths.BACKUP, 0755, 0, 0),
          new Output("scripts/sympa-appliance-restore.sh", ImagePaths.RESTORE, 0755, 0, 0),
          new Output("scripts/sympa-appliance-members.pl", ImagePaths.MEMBERS, 0755, 0, 0),
          new Output("scripts/sympa-appliance-archive.pl", ImagePaths.ARCHIVE_IMPORT, 0755, 0, 0),
          new Output("scripts/sympa-appliance-preload.pl", ImagePaths.PRELOAD, 0755, 0, 0),
          new Output("scripts/sympa-appliance-daemon.pl", ImagePaths.DAEMON_CLIENT, 0755, 0, 0));

  /**
   * Full flavour: an s6 service beside Postfix, with the program it runs (Sympa's daemon, or the
   * service's own name), its run template, its logger's template and the prefix the logger gives
   * its lines.
   */
  record Service(
      String name, String daemon, String runTemplate, String logTemplate, String prefix) {}

  /**
   * Sympa's distribution daemon: the one a deployment's bulk service runs, and its core does not.
   * The image runs {@code bulk.workers} of it side by side, as services bulk, bulk-2, bulk-3…
   */
  private static final String BULK = "bulk";

  /**
   * Sympa's daemons, each in the foreground with a logger that prefixes its lines: each a child of
   * {@link #PRELOAD}, which loaded Sympa's modules once for all of them.
   */
  private static final List<String> SYMPA_DAEMONS =
      List.of("sympa_msg", BULK, "archived", "bounced", "task_manager");

  /** The parent of Sympa's daemons ({@link ImagePaths#PRELOAD}), wherever one of them runs. */
  private static final Service PRELOAD =
      new Service(
          "preload",
          "preload",
          "sympa-preload.run.ftl",
          "prefixing-logger.run.ftl",
          "sympa-appliance-preload");

  private static Stream<Service> sympaDaemons(ApplianceSpec spec) {
    return Stream.concat(Stream.of(PRELOAD), daemons(spec));
  }

  private static Stream<Service> daemons(ApplianceSpec spec) {
    return SYMPA_DAEMONS.stream()
        .flatMap(
            daemon ->
                IntStream.rangeClosed(1, daemon.equals(BULK) ? spec.bulkWorkers() : 1)
                    .mapToObj(
                        n -> {
                          String name = n == 1 ? daemon : daemon + "-" + n;
                          return new Service(
                              name,
                              daemon,
                              "sympa-daemon.run.ftl",
                              "prefixing-logger.run.ftl",
                              name + ".pl");
                        }));
  }

  /**
   * With the web interface: syslog is /dev/log for WWSympa, whose logger keeps only WWSympa's
   * lines.
   */
  private static final List<Service> WEB_SERVICES =
      List.of(
          new Service("syslog", "syslog", "syslog.run.ftl", "syslog-logger.run.ftl", "syslog"),
          new Service(
              "wwsympa", "wwsympa", "wwsympa.run.ftl", "prefixing-logger.run.ftl", "wwsympa.fcgi"),
          new Service("nginx", "nginx", "nginx.run.ftl", "prefixing-logger.run.ftl", "nginx"));

  /**
   * Postfix's queue and Sympa's spools (and, full flavour, Sympa's data): what must survive a new
   * container.
   */
  private static final Map<String, List<String>> VOLUMES =
      Map.of(
          kind(Role.APPLIANCE, Flavour.TOOLS), List.of("/var/spool/postfix", "/var/spool/sympa"),
          kind(Role.APPLIANCE, Flavour.FULL),
              List.of("/var/spool/postfix", "/var/spool/sympa", "/var/lib/sympa"),
          kind(Role.RELAY, Flavour.TOOLS), List.of("/var/spool/postfix"),
          kind(Role.SINK, Flavour.TOOLS), List.of("/sink"));

  private static String kind(Role role, Flavour flavour) {
    return role.cliName() + "/" + flavour.cliName();
  }

  /** The templated files of the image of {@code spec}, in the order they are written. */
  static List<Output> outputs(ApplianceSpec spec) {
    return OUTPUTS.get(kind(spec.role(), spec.flavour()));
  }

  /** The volumes of the image of {@code spec}. */
  static List<String> volumes(ApplianceSpec spec) {
    return VOLUMES.get(kind(spec.role(), spec.flavour()));
  }

  /** The ports the image of {@code spec} exposes: SMTP, and HTTP when the web is served. */
  static List<Integer> ports(ApplianceSpec spec) {
    return spec.web().isPresent() ? List.of(25, 80) : List.of(25);
  }

  /**
   * The full flavour's services beside Postfix: Sympa's daemons, and the web's when it is served.
   */
  static List<Service> services(ApplianceSpec spec) {
    return Stream.concat(
            sympaDaemons(spec),
            spec.web().isPresent() ? WEB_SERVICES.stream() : Stream.<Service>empty())
        .toList();
  }

  /** The s6 service names the full-flavour image of {@code spec} supervises, Postfix first. */
  static List<String> supervised(ApplianceSpec spec) {
    return withPostfix(services(spec).stream());
  }

  // What each service of a deployment runs (SYMPA_APPLIANCE_SERVICE): each has its own Postfix.

  /** A deployment's core: Postfix and Sympa's daemons but the bulk ones. */
  static List<String> coreServices(ApplianceSpec spec) {
    return withPostfix(sympaDaemons(spec).filter(service -> !service.daemon().equals(BULK)));
  }

  /** A deployment's bulk service: Postfix and Sympa's distribution daemons. */
  static List<String> bulkServices(ApplianceSpec spec) {
    return withPostfix(
        Stream.concat(
            Stream.of(PRELOAD), daemons(spec).filter(service -> service.daemon().equals(BULK))));
  }

  /** A deployment's web service: Postfix and the web's services. */
  static List<String> webServices() {
    return withPostfix(WEB_SERVICES.stream());
  }

  /** The s6 service names of Postfix and {@code services}, in that order. */
  private static List<String> withPostfix(Stream<Service> services) {
    return Stream.concat(Stream.of("postfix"), services.map(Service::name)).toList();
  }
}
