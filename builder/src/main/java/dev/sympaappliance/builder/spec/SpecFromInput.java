package dev.sympaappliance.builder.spec;

import static dev.sympaappliance.builder.spec.Settings.BULK_WORKERS;
import static dev.sympaappliance.builder.spec.Settings.DEBIAN;
import static dev.sympaappliance.builder.spec.Settings.DOMAIN;
import static dev.sympaappliance.builder.spec.Settings.FLAVOUR;
import static dev.sympaappliance.builder.spec.Settings.HOSTNAME;
import static dev.sympaappliance.builder.spec.Settings.LISTMASTER;
import static dev.sympaappliance.builder.spec.Settings.PLATFORMS;
import static dev.sympaappliance.builder.spec.Settings.RELAYHOST;
import static dev.sympaappliance.builder.spec.Settings.ROLE;
import static dev.sympaappliance.builder.spec.Settings.SYMPA_DOMAIN;
import static dev.sympaappliance.builder.spec.Settings.SYMPA_SERVER;
import static dev.sympaappliance.builder.spec.Settings.WEB;
import static dev.sympaappliance.builder.spec.Settings.WEB_URL;
import static dev.sympaappliance.builder.spec.Settings.WEB_WORKERS;

import com.google.common.net.InternetDomainName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Judges a {@link UserInput} into an {@link ApplianceSpec}: first the role and flavour, then the
 * refusal of every setting the image does not take (as {@link Settings} declares), then each value
 * by its type's rule, and the rules between values.
 */
final class SpecFromInput {
  private SpecFromInput() {}

  /** See {@link ApplianceSpec#fromUserInput(UserInput)}, which calls this. */
  static ApplianceSpec read(UserInput in) {
    Role role = Role.parse(in.field(ROLE), in.getOrDefault(ROLE));
    // Only an appliance has a flavour to choose; given to another role, --sympa is refused below.
    Flavour flavour =
        role != Role.APPLIANCE
            ? Flavour.TOOLS
            : in.has(FLAVOUR) ? Flavour.parse(in.field(FLAVOUR), in.get(FLAVOUR)) : Flavour.FULL;
    Setting.Target target = Setting.Target.of(role, flavour);
    for (Setting<?> setting : Settings.ALL) {
      // A switch turned off is no error: what the image does not take is off anyway.
      if (in.has(setting) && !Boolean.FALSE.equals(in.get(setting)) && !setting.isTakenBy(target)) {
        throw new InvalidSpecException(in.field(setting), in.raw(setting), setting.refusal());
      }
    }
    DomainName listDomain = DomainName.parse(in.field(DOMAIN), in.get(DOMAIN));
    // A front relay must not share the Sympa server's name: Postfix refuses to deliver to a
    // server that greets with its own name ("mail for [sympa]:25 loops back to myself").
    String defaultHostPrefix = role == Role.RELAY ? "relay." : "mx.";
    DomainName host =
        in.has(HOSTNAME)
            ? DomainName.parse(in.field(HOSTNAME), in.get(HOSTNAME))
            : DomainName.parse("--hostname", defaultHostPrefix + listDomain.value());
    EmailAddress givenMaster =
        in.has(LISTMASTER) ? EmailAddress.parse(in.field(LISTMASTER), in.get(LISTMASTER)) : null;
    // Only the full flavour without a listmaster given looks for the parent domain's postmaster.
    Optional<EmailAddress> postmaster =
        flavour == Flavour.FULL && givenMaster == null
            ? postmasterOfParent(listDomain)
            : Optional.empty();
    EmailAddress master =
        givenMaster != null
            ? givenMaster
            : postmaster.orElse(new EmailAddress("listmaster", listDomain));

    List<MailingList> lists = ListsFromInput.lists(in, master);

    Optional<SmtpDestination> relayhost = destination(in, RELAYHOST);
    Optional<SmtpDestination> sympaServer = destination(in, SYMPA_SERVER);
    DomainName sympaDomain =
        in.has(SYMPA_DOMAIN)
            ? DomainName.parse(in.field(SYMPA_DOMAIN), in.get(SYMPA_DOMAIN))
            : listDomain;
    Map<String, String> overrides =
        overrides(
            in.postconf(),
            raw -> in.field("postconf." + UserInput.settingName(raw), "--postconf"),
            ConfOverride::postconf,
            role == Role.SINK ? "a sink runs no Postfix" : null);
    Map<String, String> sympaOverrides =
        overrides(
            in.sympaConf(),
            raw -> in.field("sympa_conf." + UserInput.settingName(raw), "--sympa-conf"),
            ConfOverride::sympaConf,
            role != Role.APPLIANCE ? "only applies to --role appliance" : null);
    Optional<WebInterface> web = web(in, role, flavour, listDomain);
    Optional<Deliverability> deliverability =
        Deliverability.fromInput(
            in,
            role == Role.SINK
                ? Deliverability.Scope.NONE
                : role == Role.APPLIANCE && flavour == Flavour.FULL
                    ? Deliverability.Scope.FULL
                    : Deliverability.Scope.POSTFIX,
            relayhost.isPresent(),
            web);
    Optional<Database> database =
        Database.fromInput(in, role == Role.APPLIANCE && flavour == Flavour.FULL);
    Optional<Deployment> deployment = Deployment.fromInput(in, web.isPresent());
    DebianSuite debian = DebianSuite.parse(in.field(DEBIAN), in.getOrDefault(DEBIAN));
    List<Platform> platforms = platforms(in, Platform.host(), System.getProperty("os.arch"));
    if (flavour == Flavour.FULL && givenMaster == null && postmaster.isEmpty()) {
      // Every rule the spec's constructor holds for an appliance was judged above (the settings
      // it does not take, the lists, the overrides): this error names only what is missing.
      throw new InvalidSpecException(
          "--listmaster",
          "",
          "required with --sympa full when the list domain has no parent domain under a public"
              + " suffix, whose postmaster@ is the default ("
              + listDomain
              + " has none): "
              + String.format(ApplianceSpec.LISTMASTER_LOOPS, master));
    }
    if (flavour == Flavour.FULL
        && ApplianceSpec.insideListDomain(master, listDomain, sympaDomain)) {
      throw new InvalidSpecException(
          in.field(LISTMASTER),
          in.get(LISTMASTER),
          "with --sympa full the"
              + " listmaster must be outside the list domain: "
              + String.format(ApplianceSpec.LISTMASTER_LOOPS, master));
    }
    ApplianceSpec spec =
        new ApplianceSpec(
            role,
            flavour,
            listDomain,
            host,
            lists,
            master,
            relayhost,
            sympaServer,
            sympaDomain,
            overrides,
            sympaOverrides,
            web,
            deliverability,
            database,
            deployment,
            debian,
            domains(in, role, flavour, listDomain, master, web),
            platforms,
            bulkWorkers(in));
    if (deployment.isPresent()) {
      String field = in.field("deployment", "deployment");
      Deployment.requireDeployable(spec, field, null);
      Deployment.requireBundledDatabaseHost(
          spec, deployment.get(), in.field(Settings.DEPLOY_POSTGRESQL_IMAGE));
    }
    return spec;
  }

  /**
   * The platforms {@code in} gives, in its order: at least one, each a {@link Platform} and given
   * once; when it gives none, the host's ({@code host}, of {@code os.arch} {@code hostArch}), and
   * an error when the host is none of them.
   */
  static List<Platform> platforms(UserInput in, Optional<Platform> host, String hostArch) {
    if (!in.has(PLATFORMS)) {
      return List.of(
          host.orElseThrow(
              () ->
                  new InvalidSpecException(
                      PLATFORMS.flagOrKey(),
                      "",
                      "required on this host (os.arch "
                          + hostArch
                          + "): the default is the host's platform, and the builder builds for "
                          + Platform.RULE)));
    }
    List<String> raw = in.get(PLATFORMS);
    if (raw.isEmpty()) {
      throw new InvalidSpecException(
          in.field(PLATFORMS),
          "",
          "must not be empty; expected at least one platform, each " + Platform.RULE);
    }
    List<Platform> platforms = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String field = in.field(PLATFORMS.key() + "[" + i + "]", PLATFORMS.flagOrKey());
      Platform platform = Platform.parse(field, raw.get(i));
      if (platforms.contains(platform)) {
        throw new InvalidSpecException(field, raw.get(i), "each platform may be given only once");
      }
      platforms.add(platform);
    }
    return List.copyOf(platforms);
  }

  /**
   * The further list domains of {@code in}'s {@code domains:}, each judged as a spec of its own:
   * {@code in} with the entry's per-domain settings in place of the top level's, and the entry's
   * lists. Then the rules between domains: each domain once, no listmaster inside any of them, each
   * web address on a host of its own.
   */
  private static List<ListDomain> domains(
      UserInput in,
      Role role,
      Flavour flavour,
      DomainName first,
      EmailAddress firstMaster,
      Optional<WebInterface> firstWeb) {
    if (in.domains().isEmpty()) {
      return List.of();
    }
    String field = in.field("domains", "domains");
    if (role == Role.SINK || (role == Role.APPLIANCE && flavour != Flavour.FULL)) {
      throw new InvalidSpecException(
          field,
          "only applies to --role appliance --sympa full (Sympa's virtual hosts) and to its front"
              + " relay (--role relay)");
    }
    List<ListDomain> domains = new ArrayList<>();
    Map<DomainName, String> seen = new LinkedHashMap<>();
    seen.put(first, in.field(DOMAIN));
    Map<String, String> webHosts = new LinkedHashMap<>();
    firstWeb.ifPresent(w -> webHosts.put(w.authority(), in.field(WEB_URL)));
    for (UserInput entry : in.domains()) {
      ListDomain domain = ListDomain.of(read(alone(in, entry)), false);
      String at = entry.field(DOMAIN);
      String before = seen.putIfAbsent(domain.domain(), at);
      if (before != null) {
        throw new InvalidSpecException(
            at,
            domain.domain().value(),
            "each list domain may be given only once (first at " + before + ")");
      }
      domain
          .web()
          .ifPresent(
              w -> {
                String other = webHosts.putIfAbsent(w.authority(), entry.field(WEB_URL));
                if (other != null) {
                  throw new InvalidSpecException(
                      entry.field(WEB_URL),
                      w.url(),
                      "each list domain's web interface needs a host name of its own (WWSympa picks"
                          + " the domain by it); "
                          + w.authority()
                          + " is also "
                          + other);
                }
              });
      domains.add(domain);
    }
    // A listmaster in any list domain of the appliance loops as one in its own does.
    List<DomainName> names = List.copyOf(seen.keySet());
    for (int i = -1; role == Role.APPLIANCE && i < domains.size(); i++) {
      EmailAddress master = i < 0 ? firstMaster : domains.get(i).listmaster();
      if (names.contains(master.domain())) {
        UserInput source = i < 0 ? in : in.domains().get(i);
        throw new InvalidSpecException(
            source.field(LISTMASTER),
            master.toString(),
            "the listmaster must be outside every list domain of the appliance: "
                + String.format(ApplianceSpec.LISTMASTER_LOOPS, master));
      }
    }
    return domains;
  }

  /**
   * The spec of one entry of domains: alone: {@code in} without its lists, overrides, deployment
   * and further domains; the entry's per-domain settings and lists in place of the top level's (an
   * inherited setting the entry does not give keeps the top level's value).
   */
  private static UserInput alone(UserInput in, UserInput entry) {
    UserInput.Builder b = UserInput.builder();
    Map<String, String> sources = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      boolean fromEntry = setting.isPerDomain() && (entry.has(setting) || !setting.isInherited());
      boolean deploymentSetting = setting.section().filter("deployment"::equals).isPresent();
      UserInput from = fromEntry ? entry : in;
      if (!deploymentSetting && from.has(setting)) {
        b.setRaw(setting, from.get(setting));
        for (String path : from.pathsOf(setting)) {
          String place = from.sources().get(path);
          if (place != null) {
            sources.put(path, place);
          }
        }
      }
    }
    entry.sources().forEach(sources::putIfAbsent);
    return b.listDefinitions(entry.listDefinitions()).sources(sources).build();
  }

  /**
   * The full flavour's default listmaster: postmaster@ the list domain's parent (every mail domain
   * has a postmaster, RFC 5321 section 4.5.1), outside the list domain, where Sympa's notices would
   * loop. Only a parent that is a domain under a public suffix (Guava's copy of the Public Suffix
   * List) will do: {@code postmaster@org} or {@code postmaster@internal} reaches nobody.
   */
  static Optional<EmailAddress> postmasterOfParent(DomainName domain) {
    String value = domain.value();
    String parent = value.substring(value.indexOf('.') + 1);
    if (parent.equals(value)
        || !InternetDomainName.isValid(parent)
        || !InternetDomainName.from(parent).isUnderPublicSuffix()) {
      return Optional.empty();
    }
    return Optional.of(new EmailAddress("postmaster", new DomainName(parent)));
  }

  /**
   * NAME=VALUE overrides of a configuration file, each NAME once, in order; {@code refusal}: the
   * rule that refuses any, when the image has no such file.
   */
  private static Map<String, String> overrides(
      List<String> raws,
      Function<String, String> fieldOf,
      BiFunction<String, String, ConfOverride> parse,
      String refusal) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String raw : raws) {
      String field = fieldOf.apply(raw);
      ConfOverride override = parse.apply(field, raw);
      if (overrides.put(override.name(), override.value()) != null) {
        throw new InvalidSpecException(field, raw, "each parameter may be given only once");
      }
      if (refusal != null) {
        throw new InvalidSpecException(field, raw, refusal);
      }
    }
    return overrides;
  }

  /** How many bulk.pl run side by side: 1 to {@link ApplianceSpec#MAX_BULK_WORKERS}. */
  private static int bulkWorkers(UserInput in) {
    String raw = in.getOrDefault(BULK_WORKERS);
    if (!raw.matches("[1-9]") || Integer.parseInt(raw) > ApplianceSpec.MAX_BULK_WORKERS) {
      throw new InvalidSpecException(in.field(BULK_WORKERS), raw, ApplianceSpec.BULK_WORKERS_RULE);
    }
    return Integer.parseInt(raw);
  }

  /** On by default for the full flavour, at http://DOMAIN/sympa unless --web-url says otherwise. */
  private static Optional<WebInterface> web(
      UserInput in, Role role, Flavour flavour, DomainName domain) {
    boolean full = role == Role.APPLIANCE && flavour == Flavour.FULL;
    Optional<WebInterface> web = address(in, full, domain);
    if (!in.has(WEB_WORKERS)) {
      return web;
    }
    String field = in.field(WEB_WORKERS);
    int workers = WebInterface.parseWorkers(field, in.get(WEB_WORKERS));
    if (web.isEmpty()) {
      throw webIsOff(in, WEB_WORKERS, "a number of processes");
    }
    return web.map(w -> w.withWorkers(workers));
  }

  private static InvalidSpecException webIsOff(UserInput in, Setting<String> setting, String what) {
    return new InvalidSpecException(
        in.field(setting),
        in.get(setting),
        "the web interface is turned off ("
            + in.field(WEB.key(), "--no-web")
            + "); give "
            + what
            + " only to a web interface that is served");
  }

  /** The web interface at its address, as given or by default; empty when it is off. */
  private static Optional<WebInterface> address(UserInput in, boolean full, DomainName domain) {
    if (in.has(WEB_URL)) {
      String field = in.field(WEB_URL);
      WebInterface given = WebInterface.parse(field, in.get(WEB_URL));
      if (Boolean.FALSE.equals(in.get(WEB))) {
        throw webIsOff(in, WEB_URL, "an address");
      }
      return Optional.of(given);
    }
    return full && !Boolean.FALSE.equals(in.get(WEB))
        ? Optional.of(WebInterface.defaultFor(domain))
        : Optional.empty();
  }

  private static Optional<SmtpDestination> destination(UserInput in, Setting<String> setting) {
    return in.has(setting)
        ? Optional.of(SmtpDestination.parse(in.field(setting), in.get(setting)))
        : Optional.empty();
  }
}
