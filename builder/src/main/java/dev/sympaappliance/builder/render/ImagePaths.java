package dev.sympaappliance.builder.render;

import dev.sympaappliance.builder.spec.DomainName;

/** Paths and users of the base image that the generated files refer to. */
public final class ImagePaths {
  private ImagePaths() {}

  public static final String QUEUE = "/usr/lib/sympa/bin/queue";
  public static final String BOUNCEQUEUE = "/usr/lib/sympa/bin/bouncequeue";
  public static final String MSG_SPOOL = "/var/spool/sympa/msg";
  public static final String BOUNCE_SPOOL = "/var/spool/sympa/bounce";
  public static final String SYMPA_CONF = "/etc/sympa/sympa/sympa.conf";

  /**
   * Where Sympa keeps a list domain's lists: the first domain's (sympa.conf's) in list_data itself,
   * a virtual host's in a directory of its name there.
   */
  public static String listData(DomainName domain, boolean first) {
    return first ? "/var/lib/sympa/list_data" : "/var/lib/sympa/list_data/" + domain.value();
  }

  /** The FastCGI parameters of a list domain's web interface, included by nginx.conf. */
  public static String fastcgiConf(DomainName domain, boolean first) {
    return first
        ? "/etc/nginx/sympa-fastcgi.conf"
        : "/etc/nginx/sympa-fastcgi-" + domain.value() + ".conf";
  }

  /** A further list domain's robot.conf: Sympa finds its virtual hosts as /etc/sympa/DOMAIN/. */
  public static String robotConf(DomainName domain) {
    return "/etc/sympa/" + domain.value() + "/robot.conf";
  }

  public static final String SYMPA_ALIASES = "/etc/sympa/sympa_aliases";
  public static final String ENTRYPOINT = "/usr/local/sbin/sympa-appliance-entrypoint";

  /**
   * Full flavour: the addresses of the lists, a table Sympa maintains (in the volume, as the lists
   * are).
   */
  public static final String LIST_RECIPIENTS = "/var/lib/sympa/list_recipients";

  /** The addresses of the spec's lists while the entrypoint makes them (main.cf: 450 for them). */
  public static final String LISTS_BEING_CREATED = "/etc/postfix/lists_being_created";

  /** Full flavour: the s6 service directories, copied to /run/service at each start. */
  public static final String SERVICES = "/etc/sympa-appliance/services";

  /** Full flavour: where s6-svscan runs them (supervise state never outlives a container). */
  public static final String RUN_SERVICES = "/run/service";

  /** Full flavour: the spec's lists, one creation file and one subscriber file each. */
  public static final String LIST_DEFINITIONS = "/etc/sympa-appliance/lists";

  /**
   * Where a list domain's spec lists are defined: the first domain's in {@link #LIST_DEFINITIONS}
   * itself, a further domain's in a directory of its own there.
   */
  public static String listDefinitions(DomainName domain, boolean first) {
    return first ? LIST_DEFINITIONS : LIST_DEFINITIONS + "/" + domain.value();
  }

  /**
   * Full flavour: the image's HEALTHCHECK command (ready: port 25, every daemon, Sympa's own
   * check).
   */
  public static final String HEALTH_CHECK = "/usr/local/sbin/sympa-appliance-health";

  /**
   * Full flavour: prints the DNS records to publish, with the DKIM key in use (docker exec C
   * sympa-appliance-dns).
   */
  public static final String DNS_RECORDS = "/usr/local/sbin/sympa-appliance-dns";

  /**
   * Checks, upgrades and records the version of Sympa that wrote the data (the full entrypoint
   * calls it).
   */
  public static final String UPGRADE = "/usr/local/lib/sympa-appliance/sympa-appliance-upgrade";

  /** `docker exec CONTAINER sympa-appliance-backup > site.tar`. */
  public static final String BACKUP = "/usr/local/sbin/sympa-appliance-backup";

  /**
   * Adds many members to a list at once (the spec's at the first start, a file later): `docker exec
   * -i CONTAINER sympa-appliance-members add LIST@DOMAIN - < members.csv`.
   */
  public static final String MEMBERS = "/usr/local/sbin/sympa-appliance-members";

  /**
   * Puts an mbox into a list's archive through Sympa's own archive code: `docker exec -i CONTAINER
   * sympa-appliance-archive import LIST@DOMAIN - < list.mbox`.
   */
  public static final String ARCHIVE_IMPORT = "/usr/local/sbin/sympa-appliance-archive";

  /**
   * Full flavour: loads Sympa's modules once and forks Sympa's daemons, which then share their
   * compiled code (an s6 service, {@link #PRELOAD_SOCKET}).
   */
  public static final String PRELOAD = "/usr/local/lib/sympa-appliance/sympa-appliance-preload";

  /** What each daemon's s6 service runs: asks {@link #PRELOAD} for its daemon and stands for it. */
  public static final String DAEMON_CLIENT =
      "/usr/local/lib/sympa-appliance/sympa-appliance-daemon";

  /** {@link #PRELOAD}'s socket (root's alone). */
  public static final String PRELOAD_SOCKET = "/run/sympa-appliance-preload.socket";

  /** Fills empty volumes from a backup: `docker run -i … IMAGE restore < site.tar`. */
  public static final String RESTORE = "/usr/local/sbin/sympa-appliance-restore";

  /** Full flavour with the web interface: WWSympa's FastCGI socket, nginx's only way in. */
  public static final String WWSYMPA_SOCKET = "/run/sympa/wwsympa.socket";

  public static final String SPOOL_GUARD = "/usr/local/lib/sympa-appliance/spool-guard";

  /**
   * Full flavour: the local Postfix listener bulk.pl hands its per-member copies to over one SMTP
   * connection (sympa-distribution.patch), instead of a sendmail process per copy. Loopback only.
   */
  public static final String BULK_SUBMISSION = "127.0.0.1:10025";

  /**
   * The spool guard defers delivery when a spool has less free space than this plus the message.
   */
  public static final int SPOOL_MIN_FREE_KB = 1024;

  /**
   * Numeric ids the base recipe gives user and group sympa (pinned so the config layer can use
   * them).
   */
  public static final int SYMPA_UID = 900;

  public static final int SYMPA_GID = 900;
}
