package dev.sympaappliance.builder.spec;

import static dev.sympaappliance.builder.spec.Settings.DEBIAN;
import static dev.sympaappliance.builder.spec.Settings.DOMAIN;
import static dev.sympaappliance.builder.spec.Settings.FLAVOUR;
import static dev.sympaappliance.builder.spec.Settings.HOSTNAME;
import static dev.sympaappliance.builder.spec.Settings.LISTMASTER;
import static dev.sympaappliance.builder.spec.Settings.RELAYHOST;
import static dev.sympaappliance.builder.spec.Settings.ROLE;
import static dev.sympaappliance.builder.spec.Settings.SYMPA_DOMAIN;
import static dev.sympaappliance.builder.spec.Settings.SYMPA_SERVER;
import static dev.sympaappliance.builder.spec.Settings.WEB;
import static dev.sympaappliance.builder.spec.Settings.WEB_URL;
import static dev.sympaappliance.builder.spec.Settings.WEB_WORKERS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an image is: its role and flavour, its list domain and lists, its Postfix host name, Sympa's
 * listmaster, where its outgoing mail goes and, for a front relay, the Sympa server behind it.
 * Immutable and valid by construction.
 *
 * @param flavour what of Sympa an appliance holds; {@link Flavour#TOOLS} for a relay and a sink
 * @param sympaDomain the list domain the Sympa server serves: mail for {@code domain} is translated
 *     to it by a front relay; for the other roles it is {@code domain} itself
 * @param postconfOverrides main.cf parameters set last, in order, over the generated ones
 * @param sympaOverrides sympa.conf parameters set last, in order, over the generated ones
 * @param web the web interface, served by the full flavour unless turned off
 * @param deliverability STARTTLS (every role with Postfix) and, full flavour, DKIM, DMARC
 *     protection and SMTP AUTH; empty for a sink
 * @param deployment how the spec's {@code deployment:} splits it into services (Swarm, Kubernetes);
 *     empty when the spec has none
 * @param debian the Debian release the image is built on (its base recipe and package versions)
 */
public record ApplianceSpec(
    Role role,
    Flavour flavour,
    DomainName domain,
    DomainName hostname,
    List<MailingList> lists,
    EmailAddress listmaster,
    Optional<SmtpDestination> relayhost,
    Optional<SmtpDestination> sympaServer,
    DomainName sympaDomain,
    Map<String, String> postconfOverrides,
    Map<String, String> sympaOverrides,
    Optional<WebInterface> web,
    Optional<Deliverability> deliverability,
    Optional<Database> database,
    Optional<Deployment> deployment,
    DebianSuite debian) {

  static final String LISTMASTER_LOOPS =
      "Sympa mails the listmaster, and %s is inside the list domain," + " where its notices loop";

  public ApplianceSpec {
    lists = List.copyOf(lists);
    postconfOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(postconfOverrides));
    sympaOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(sympaOverrides));
    if (role == Role.SINK && !postconfOverrides.isEmpty()) {
      Map.Entry<String, String> first = postconfOverrides.entrySet().iterator().next();
      throw new InvalidSpecException(
          "--postconf", first.getKey() + "=" + first.getValue(), "a sink runs no Postfix");
    }
    if (role != Role.APPLIANCE && !sympaOverrides.isEmpty()) {
      Map.Entry<String, String> first = sympaOverrides.entrySet().iterator().next();
      throw new InvalidSpecException(
          "--sympa-conf",
          first.getKey() + "=" + first.getValue(),
          "only applies to --role appliance");
    }
    if (role != Role.APPLIANCE && flavour != Flavour.TOOLS) {
      throw new InvalidSpecException(
          "--sympa", flavour.cliName(), "only applies to --role appliance");
    }
    Set<ListName> seen = new LinkedHashSet<>();
    for (MailingList list : lists) {
      if (!seen.add(list.name())) {
        throw new InvalidSpecException(
            "--list", list.name().value(), "each list may be given only once");
      }
    }
    if (role == Role.RELAY && sympaServer.isEmpty()) {
      throw new InvalidSpecException(
          "--sympa-server",
          "",
          "required with --role relay: the Sympa server to forward list mail to");
    }
    if (role != Role.RELAY && sympaServer.isPresent()) {
      throw new InvalidSpecException(
          "--sympa-server", sympaServer.get().toString(), "only applies to --role relay");
    }
    if (role != Role.RELAY && !sympaDomain.equals(domain)) {
      throw new InvalidSpecException(
          "--sympa-domain", sympaDomain.value(), "only applies to --role relay");
    }
    if (role == Role.SINK && relayhost.isPresent()) {
      throw new InvalidSpecException(
          "--relayhost", relayhost.get().toString(), "a sink keeps all mail; it has no relay host");
    }
    if (flavour == Flavour.FULL && insideListDomain(listmaster, domain, sympaDomain)) {
      throw new InvalidSpecException(
          "--listmaster",
          listmaster.toString(),
          "with --sympa full the listmaster"
              + " must be outside the list domain: "
              + String.format(LISTMASTER_LOOPS, listmaster));
    }
    if (flavour != Flavour.FULL && web.isPresent()) {
      throw new InvalidSpecException("--web", web.get().url(), Settings.WEB.refusal());
    }
    if ((role != Role.SINK) != deliverability.isPresent()
        || deliverability
            .filter(
                d ->
                    flavour != Flavour.FULL
                        && (d.dkim().isPresent()
                            || !d.dmarcModes().isEmpty()
                            || d.relayhostPasswordFile().isPresent()))
            .isPresent()) {
      throw new IllegalArgumentException(
          "every role with Postfix has TLS settings, only the full flavour the others");
    }
  }

  private static boolean insideListDomain(
      EmailAddress address, DomainName domain, DomainName sympaDomain) {
    return address.domain().equals(domain) || address.domain().equals(sympaDomain);
  }

  /** The names of the lists, in order. */
  public List<ListName> listNames() {
    return lists.stream().map(MailingList::name).toList();
  }

  /** An appliance (the default role and flavour) without relay host. */
  public static ApplianceSpec fromUserInput(
      String domain, List<String> lists, String hostname, String listmaster) {
    return fromUserInput(
        UserInput.builder()
            .set(Settings.DOMAIN, domain)
            .lists(lists)
            .set(Settings.HOSTNAME, hostname)
            .set(Settings.LISTMASTER, listmaster)
            .build());
  }

  /**
   * Validates every raw value against its grammar. Defaults: role appliance, flavour full for an
   * appliance (tools for the other roles), hostname {@code mx.DOMAIN} ({@code relay.DOMAIN} for a
   * front relay), listmaster {@code listmaster@DOMAIN} (flavour tools only: full needs one outside
   * the list domain), relay host port 25, Sympa domain the list domain; a list given by name only
   * has its name as subject, type discussion_list and the listmaster as owner.
   */
  public static ApplianceSpec fromUserInput(UserInput in) {
    Role role = Role.parse(in.field(ROLE), valueOrDefault(in, ROLE));
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
    EmailAddress master =
        givenMaster != null ? givenMaster : new EmailAddress("listmaster", listDomain);

    List<MailingList> lists = new ArrayList<>();
    Set<ListName> declared = new HashSet<>();
    for (int i = 0; i < in.listDefinitions().size(); i++) {
      MailingList list = mailingList(in, i, master);
      if (!declared.add(list.name())) {
        throw new InvalidSpecException(
            in.field("lists[" + i + "].name", "--list"),
            in.listDefinitions().get(i).name(),
            "each list may be declared only once");
      }
      lists.add(list);
    }
    Set<ListName> given = new HashSet<>();
    for (String raw : in.lists()) {
      ListName name = ListName.parse("--list", raw);
      if (!given.add(name)) {
        throw new InvalidSpecException("--list", name.value(), "each list may be given only once");
      }
      if (!declared.contains(name)) {
        lists.add(MailingList.withDefaults(name, master));
      }
    }

    Optional<SmtpDestination> relayhost = destination(in, RELAYHOST);
    Optional<SmtpDestination> sympaServer = destination(in, SYMPA_SERVER);
    DomainName sympaDomain =
        in.has(SYMPA_DOMAIN)
            ? DomainName.parse(in.field(SYMPA_DOMAIN), in.get(SYMPA_DOMAIN))
            : listDomain;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String raw : in.postconf()) {
      String field = in.field("postconf." + UserInput.settingName(raw), "--postconf");
      ConfOverride override = ConfOverride.postconf(field, raw);
      if (overrides.put(override.name(), override.value()) != null) {
        throw new InvalidSpecException(field, raw, "each parameter may be given only once");
      }
      if (role == Role.SINK) {
        throw new InvalidSpecException(field, raw, "a sink runs no Postfix");
      }
    }
    Map<String, String> sympaOverrides = new LinkedHashMap<>();
    for (String raw : in.sympaConf()) {
      String field = in.field("sympa_conf." + UserInput.settingName(raw), "--sympa-conf");
      ConfOverride override = ConfOverride.sympaConf(field, raw);
      if (sympaOverrides.put(override.name(), override.value()) != null) {
        throw new InvalidSpecException(field, raw, "each parameter may be given only once");
      }
      if (role != Role.APPLIANCE) {
        throw new InvalidSpecException(field, raw, "only applies to --role appliance");
      }
    }
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
    DebianSuite debian = DebianSuite.parse(in.field(DEBIAN), valueOrDefault(in, DEBIAN));
    if (flavour == Flavour.FULL && givenMaster == null) {
      // Every other rule first (as if the listmaster were fine): this error names only what is
      // missing.
      new ApplianceSpec(
          role,
          Flavour.TOOLS,
          listDomain,
          host,
          lists,
          master,
          relayhost,
          sympaServer,
          sympaDomain,
          overrides,
          sympaOverrides,
          Optional.empty(),
          Optional.of(Deliverability.postfixDefaults()),
          Optional.empty(),
          Optional.empty(),
          DebianSuite.DEFAULT);
      throw new InvalidSpecException(
          "--listmaster",
          "",
          "required with --sympa full: " + String.format(LISTMASTER_LOOPS, master));
    }
    if (flavour == Flavour.FULL && insideListDomain(master, listDomain, sympaDomain)) {
      throw new InvalidSpecException(
          in.field(LISTMASTER),
          in.get(LISTMASTER),
          "with --sympa full the"
              + " listmaster must be outside the list domain: "
              + String.format(LISTMASTER_LOOPS, master));
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
            debian);
    if (deployment.isPresent()) {
      String field = in.field("deployment", "deployment");
      Deployment.requireDeployable(spec, field, null);
      Deployment.requireBundledDatabaseHost(
          spec, deployment.get(), in.field(Settings.DEPLOY_POSTGRESQL_IMAGE));
    }
    return spec;
  }

  /** The value given, else the setting's default. */
  static <T> T valueOrDefault(UserInput in, Setting<T> setting) {
    return in.has(setting) ? in.get(setting) : setting.byDefault().orElseThrow();
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
      throw new InvalidSpecException(
          field,
          in.get(WEB_WORKERS),
          "the web interface is turned off ("
              + in.field(WEB.key(), "--no-web")
              + "); give a number of processes only to a web interface that is served");
    }
    return web.map(w -> w.withWorkers(workers));
  }

  /** The web interface at its address, as given or by default; empty when it is off. */
  private static Optional<WebInterface> address(UserInput in, boolean full, DomainName domain) {
    if (in.has(WEB_URL)) {
      String field = in.field(WEB_URL);
      WebInterface given = WebInterface.parse(field, in.get(WEB_URL));
      if (Boolean.FALSE.equals(in.get(WEB))) {
        throw new InvalidSpecException(
            field,
            in.get(WEB_URL),
            "the web interface is turned off ("
                + in.field(WEB.key(), "--no-web")
                + "); give an address only to a web interface that is served");
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

  private static MailingList mailingList(UserInput in, int index, EmailAddress listmaster) {
    UserInput.ListInput raw = in.listDefinitions().get(index);
    String at = "lists[" + index + "]";
    ListName name = ListName.parse(in.field(at + ".name", "--list"), raw.name());
    String subject =
        raw.subject() == null
            ? name.value()
            : Grammar.displayText(in.field(at + ".subject", "subject"), raw.subject());
    String type =
        raw.type() == null
            ? MailingList.DEFAULT_TYPE
            : Grammar.listType(in.field(at + ".type", "type"), raw.type());
    List<EmailAddress> owners =
        raw.owners() == null ? List.of(listmaster) : addresses(in, at + ".owners", raw.owners());
    if (owners.isEmpty()) {
      throw new InvalidSpecException(
          in.field(at + ".owners", "owners"), name.value(), Grammar.OWNER_REQUIRED);
    }
    List<EmailAddress> editors = addresses(in, at + ".editors", raw.editors());
    List<Subscriber> subscribers = new ArrayList<>();
    Set<EmailAddress> members = new HashSet<>();
    for (int k = 0; k < raw.subscribers().size(); k++) {
      UserInput.SubscriberInput s = raw.subscribers().get(k);
      String sat = at + ".subscribers[" + k + "]";
      String addressField =
          in.sources().containsKey(sat + ".address")
              ? in.field(sat + ".address", "subscriber")
              : in.field(sat, "subscriber");
      EmailAddress address = EmailAddress.parse(addressField, s.address());
      if (!members.add(address)) {
        throw new InvalidSpecException(
            addressField, s.address(), "each address may be subscribed only once");
      }
      Optional<String> subscriberName =
          s.name() == null
              ? Optional.empty()
              : Optional.of(
                  Grammar.displayText(in.field(sat + ".name", "subscriber name"), s.name()));
      subscribers.add(new Subscriber(address, subscriberName));
    }
    return new MailingList(name, subject, type, owners, editors, subscribers);
  }

  private static List<EmailAddress> addresses(UserInput in, String at, List<String> raws) {
    List<EmailAddress> out = new ArrayList<>();
    for (int j = 0; j < raws.size(); j++) {
      String field = in.field(at + "[" + j + "]", at);
      EmailAddress address = EmailAddress.parse(field, raws.get(j));
      if (out.contains(address)) {
        throw new InvalidSpecException(field, raws.get(j), "each address may be given only once");
      }
      out.add(address);
    }
    return out;
  }
}
