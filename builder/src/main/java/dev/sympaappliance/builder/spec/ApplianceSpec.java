package dev.sympaappliance.builder.spec;

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
 * What an image is: its role and flavour, its list domain and lists, its Postfix host name,
 * Sympa's listmaster, where its outgoing mail goes and, for a front relay, the Sympa server
 * behind it. Immutable and valid by construction.
 *
 * @param flavour what of Sympa an appliance holds; {@link Flavour#TOOLS} for a relay and a sink
 * @param sympaDomain the list domain the Sympa server serves: mail for {@code domain} is
 *     translated to it by a front relay; for the other roles it is {@code domain} itself
 * @param postconfOverrides main.cf parameters set last, in order, over the generated ones
 * @param sympaOverrides sympa.conf parameters set last, in order, over the generated ones
 * @param web the web interface, served by the full flavour unless turned off
 * @param deliverability STARTTLS (every role with Postfix) and, full flavour, DKIM, DMARC protection and
 *     SMTP AUTH; empty for a sink
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

  static final String LISTMASTER_LOOPS = "Sympa mails the listmaster, and %s is inside the list domain,"
      + " where its notices loop";

  public ApplianceSpec {
    lists = List.copyOf(lists);
    postconfOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(postconfOverrides));
    sympaOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(sympaOverrides));
    if (role == Role.SINK && !postconfOverrides.isEmpty()) {
      Map.Entry<String, String> first = postconfOverrides.entrySet().iterator().next();
      throw new InvalidSpecException("--postconf", first.getKey() + "=" + first.getValue(), "a sink runs no Postfix");
    }
    if (role != Role.APPLIANCE && !sympaOverrides.isEmpty()) {
      Map.Entry<String, String> first = sympaOverrides.entrySet().iterator().next();
      throw new InvalidSpecException("--sympa-conf", first.getKey() + "=" + first.getValue(),
          "only applies to --role appliance");
    }
    if (role != Role.APPLIANCE && flavour != Flavour.TOOLS) {
      throw new InvalidSpecException("--sympa", flavour.cliName(), "only applies to --role appliance");
    }
    Set<ListName> seen = new LinkedHashSet<>();
    for (MailingList list : lists) {
      if (!seen.add(list.name())) {
        throw new InvalidSpecException("--list", list.name().value(), "each list may be given only once");
      }
    }
    if (role == Role.RELAY && sympaServer.isEmpty()) {
      throw new InvalidSpecException("--sympa-server", "", "required with --role relay: the Sympa server to forward list mail to");
    }
    if (role != Role.RELAY && sympaServer.isPresent()) {
      throw new InvalidSpecException("--sympa-server", sympaServer.get().toString(), "only applies to --role relay");
    }
    if (role != Role.RELAY && !sympaDomain.equals(domain)) {
      throw new InvalidSpecException("--sympa-domain", sympaDomain.value(), "only applies to --role relay");
    }
    if (role == Role.SINK && relayhost.isPresent()) {
      throw new InvalidSpecException("--relayhost", relayhost.get().toString(), "a sink keeps all mail; it has no relay host");
    }
    if (flavour == Flavour.FULL && insideListDomain(listmaster, domain, sympaDomain)) {
      throw new InvalidSpecException("--listmaster", listmaster.toString(), "with --sympa full the listmaster"
          + " must be outside the list domain: " + String.format(LISTMASTER_LOOPS, listmaster));
    }
    if (flavour != Flavour.FULL && web.isPresent()) {
      throw new InvalidSpecException("--web", web.get().url(), WEB_NEEDS_FULL);
    }
    if ((role != Role.SINK) != deliverability.isPresent()
        || deliverability.filter(d -> flavour != Flavour.FULL && (d.dkim().isPresent() || !d.dmarcModes().isEmpty()
            || d.relayhostPasswordFile().isPresent())).isPresent()) {
      throw new IllegalArgumentException("every role with Postfix has TLS settings, only the full flavour the others");
    }
  }

  /** A spec with the deliverability defaults of its flavour (none but for the full flavour). */
  public ApplianceSpec(Role role, Flavour flavour, DomainName domain, DomainName hostname, List<MailingList> lists,
      EmailAddress listmaster, Optional<SmtpDestination> relayhost, Optional<SmtpDestination> sympaServer,
      DomainName sympaDomain, Map<String, String> postconfOverrides, Map<String, String> sympaOverrides,
      Optional<WebInterface> web) {
    this(role, flavour, domain, hostname, lists, listmaster, relayhost, sympaServer, sympaDomain, postconfOverrides,
        sympaOverrides, web, role == Role.SINK ? Optional.empty()
            : Optional.of(flavour == Flavour.FULL ? Deliverability.defaults() : Deliverability.postfixDefaults()),
        role == Role.APPLIANCE && flavour == Flavour.FULL ? Optional.of(Database.SQLITE) : Optional.empty(),
        Optional.empty(), DebianSuite.DEFAULT);
  }

  static final String WEB_NEEDS_FULL = "only applies to --role appliance --sympa full (the tools flavour has no"
      + " web interface)";

  private static boolean insideListDomain(EmailAddress address, DomainName domain, DomainName sympaDomain) {
    return address.domain().equals(domain) || address.domain().equals(sympaDomain);
  }

  /** The names of the lists, in order. */
  public List<ListName> listNames() {
    return lists.stream().map(MailingList::name).toList();
  }

  /** A list as a spec file declares it; every value raw, null when not given. */
  public record ListInput(String name, String subject, String type, List<String> owners, List<String> editors,
      List<SubscriberInput> subscribers) {
    public ListInput {
      owners = owners == null ? null : List.copyOf(owners);
      editors = editors == null ? List.of() : List.copyOf(editors);
      subscribers = subscribers == null ? List.of() : List.copyOf(subscribers);
    }
  }

  /** A subscriber as a spec file declares it: an address and, if given, a name (null if not). */
  public record SubscriberInput(String address, String name) {}

  /**
   * Raw user values, as the CLI receives them; null means "not given".
   *
   * @param lists list names given by {@code --list}: each a list with the defaults, unless
   *     {@code listDefinitions} declares the same name (then the declaration stands)
   * @param postconf {@code NAME=VALUE} main.cf overrides
   * @param sympaConf {@code NAME=VALUE} sympa.conf overrides
   * @param listDefinitions lists declared in full (by a spec file)
   * @param sources how an error names a value that did not come from its flag: key path
   *     ({@code domain}, {@code lists[0].owners[1]}, {@code postconf.NAME}, …) to a field such as
   *     {@code lists.yaml:14:7: lists[0].owners[1]}; a value not in it is named by its flag
   * @param deliverability DKIM, DMARC and TLS settings ({@link Deliverability.Input#NONE}: none given)
   * @param database Sympa's database ({@link Database.Input#NONE}: the default, SQLite)
   * @param debian the Debian suite's codename (null: {@link DebianSuite#DEFAULT})
   */
  public record UserInput(
      String role, String domain, List<String> lists, String hostname, String listmaster,
      String relayhost, String sympaServer, String sympaDomain, List<String> postconf,
      String flavour, List<String> sympaConf, Boolean web, String webUrl, List<ListInput> listDefinitions,
      Map<String, String> sources, Deliverability.Input deliverability, Database.Input database,
      Deployment.Input deployment, String debian) {

    public UserInput {
      lists = lists == null ? List.of() : List.copyOf(lists);
      postconf = postconf == null ? List.of() : List.copyOf(postconf);
      sympaConf = sympaConf == null ? List.of() : List.copyOf(sympaConf);
      listDefinitions = listDefinitions == null ? List.of() : List.copyOf(listDefinitions);
      sources = sources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sources));
      deliverability = deliverability == null ? Deliverability.Input.NONE : deliverability;
      database = database == null ? Database.Input.NONE : database;
      deployment = deployment == null ? Deployment.Input.NONE : deployment;
    }

    public UserInput(String role, String domain, List<String> lists, String hostname, String listmaster,
        String relayhost, String sympaServer, String sympaDomain, List<String> postconf,
        String flavour, List<String> sympaConf, Boolean web, String webUrl, List<ListInput> listDefinitions,
        Map<String, String> sources, Deliverability.Input deliverability, Database.Input database) {
      this(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain, postconf, flavour,
          sympaConf, web, webUrl, listDefinitions, sources, deliverability, database, Deployment.Input.NONE, null);
    }

    public UserInput(String role, String domain, List<String> lists, String hostname, String listmaster,
        String relayhost, String sympaServer, String sympaDomain, List<String> postconf,
        String flavour, List<String> sympaConf, Boolean web, String webUrl, List<ListInput> listDefinitions,
        Map<String, String> sources) {
      this(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain, postconf, flavour,
          sympaConf, web, webUrl, listDefinitions, sources, Deliverability.Input.NONE, Database.Input.NONE);
    }

    public UserInput(String role, String domain, List<String> lists, String hostname, String listmaster,
        String relayhost, String sympaServer, String sympaDomain, List<String> postconf,
        String flavour, List<String> sympaConf) {
      this(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain, postconf,
          flavour, sympaConf, null, null, List.of(), Map.of());
    }

    public UserInput(String role, String domain, List<String> lists, String hostname, String listmaster,
        String relayhost, String sympaServer, String sympaDomain, List<String> postconf) {
      this(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain, postconf, null, List.of());
    }

    public UserInput(String role, String domain, List<String> lists, String hostname, String listmaster,
        String relayhost, String sympaServer, String sympaDomain) {
      this(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain, List.of());
    }

    /** An appliance of the default flavour (full: it needs a listmaster outside the list domain). */
    public static UserInput appliance(String domain, List<String> lists) {
      return new UserInput(null, domain, lists, null, null, null, null, null);
    }

    /** The same input with another flavour ("tools", "full"; null: the default). */
    public UserInput withFlavour(String newFlavour) {
      return new UserInput(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain,
          postconf, newFlavour, sympaConf, web, webUrl, listDefinitions, sources, deliverability, database,
          deployment, debian);
    }

    /** The same input with the web interface on or off (null: the default) and its address (null: the default). */
    public UserInput withWeb(Boolean newWeb, String newWebUrl) {
      return new UserInput(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain,
          postconf, flavour, sympaConf, newWeb, newWebUrl, listDefinitions, sources, deliverability, database,
          deployment, debian);
    }

    /** The same input with these DKIM, DMARC and TLS settings. */
    public UserInput withDeliverability(Deliverability.Input newDeliverability) {
      return new UserInput(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain,
          postconf, flavour, sympaConf, web, webUrl, listDefinitions, sources, newDeliverability, database,
          deployment, debian);
    }

    /** The same input with this database. */
    public UserInput withDatabase(Database.Input newDatabase) {
      return new UserInput(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain,
          postconf, flavour, sympaConf, web, webUrl, listDefinitions, sources, deliverability, newDatabase,
          deployment, debian);
    }

    /** The same input with this deployment. */
    public UserInput withDeployment(Deployment.Input newDeployment) {
      return new UserInput(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain,
          postconf, flavour, sympaConf, web, webUrl, listDefinitions, sources, deliverability, database,
          newDeployment, debian);
    }

    /** The same input on this Debian suite (a codename; null: the default). */
    public UserInput withDebian(String newDebian) {
      return new UserInput(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain,
          postconf, flavour, sympaConf, web, webUrl, listDefinitions, sources, deliverability, database,
          deployment, newDebian);
    }

    /**
     * This input (a spec file's) with {@code flags} over it, as {@code helm --set} over values.yaml:
     * a scalar flag replaces the file's value; a {@code --postconf}/{@code --sympa-conf NAME=…}
     * replaces the file's entry of that NAME (in its place) and adds the others; a {@code --list
     * NAME} adds a list with the defaults unless the file declares NAME.
     */
    public UserInput overriddenBy(UserInput flags) {
      Map<String, String> merged = new LinkedHashMap<>(sources);
      List<String> postconfMerged = overrideSettings(postconf, flags.postconf(), "postconf.", merged);
      List<String> sympaConfMerged = overrideSettings(sympaConf, flags.sympaConf(), "sympa_conf.", merged);
      List<String> listsMerged = new ArrayList<>(lists);
      listsMerged.addAll(flags.lists());
      String webUrlMerged = pick(webUrl, flags.webUrl(), "web.url", merged);
      if (Boolean.FALSE.equals(flags.web()) && flags.webUrl() == null) {
        // --no-web turns off the file's whole web: block, its address included.
        webUrlMerged = null;
        merged.remove("web.url");
      }
      Deliverability.Input d = deliverability;
      Deliverability.Input f = flags.deliverability();
      Deliverability.Input deliverabilityMerged = new Deliverability.Input(
          pick(d.dkim(), f.dkim(), "dkim.enabled", merged),
          pick(d.dkimSelector(), f.dkimSelector(), "dkim.selector", merged),
          pick(d.dkimKeyFile(), f.dkimKeyFile(), "dkim.key_file", merged),
          pick(d.dmarcProtection(), f.dmarcProtection(), "dmarc.protection", merged),
          pick(d.tlsCertFile(), f.tlsCertFile(), "tls.cert_file", merged),
          pick(d.tlsKeyFile(), f.tlsKeyFile(), "tls.key_file", merged),
          pick(d.smtpTls(), f.smtpTls(), "tls.outbound", merged),
          pick(d.relayhostPasswordFile(), f.relayhostPasswordFile(), "relayhost_auth.password_file", merged),
          pick(d.oneClickUnsubscribe(), f.oneClickUnsubscribe(), "unsubscribe.one_click", merged));
      Database.Input b = database;
      Database.Input g = flags.database();
      Database.Input databaseMerged = new Database.Input(
          pick(b.type(), g.type(), "database.type", merged),
          pick(b.host(), g.host(), "database.host", merged),
          pick(b.name(), g.name(), "database.name", merged),
          pick(b.user(), g.user(), "database.user", merged),
          pick(b.passwordFile(), g.passwordFile(), "database.password_file", merged));
      return new UserInput(
          pick(role, flags.role(), "role", merged),
          pick(domain, flags.domain(), "domain", merged),
          listsMerged,
          pick(hostname, flags.hostname(), "hostname", merged),
          pick(listmaster, flags.listmaster(), "listmaster", merged),
          pick(relayhost, flags.relayhost(), "relayhost", merged),
          pick(sympaServer, flags.sympaServer(), "sympa_server", merged),
          pick(sympaDomain, flags.sympaDomain(), "sympa_domain", merged),
          postconfMerged,
          pick(flavour, flags.flavour(), "sympa", merged),
          sympaConfMerged,
          pick(web, flags.web(), "web.enabled", merged),
          webUrlMerged,
          listDefinitions,
          merged,
          deliverabilityMerged,
          databaseMerged,
          deployment,
          pick(debian, flags.debian(), "debian", merged));
    }

    private static <T> T pick(T mine, T flag, String key, Map<String, String> merged) {
      if (flag == null) {
        return mine;
      }
      merged.remove(key);
      return flag;
    }

    private static List<String> overrideSettings(List<String> mine, List<String> flags, String prefix,
        Map<String, String> merged) {
      List<String> out = new ArrayList<>(mine);
      List<String> names = new ArrayList<>(mine.stream().map(ApplianceSpec::settingName).toList());
      for (String flag : flags) {
        int at = names.indexOf(settingName(flag));
        if (at >= 0) {
          merged.remove(prefix + names.get(at));
          out.set(at, flag);
          names.set(at, null); // replaced once: a second flag of the same name is a duplicate
        } else {
          out.add(flag);
        }
      }
      return out;
    }

    /** How errors name the value at {@code keyPath}: its place in a spec file, else {@code flag}. */
    public String field(String keyPath, String flag) {
      return sources.getOrDefault(keyPath, flag);
    }
  }

  /** An appliance (the default role and flavour) without relay host. */
  public static ApplianceSpec fromUserInput(String domain, List<String> lists, String hostname, String listmaster) {
    return fromUserInput(new UserInput(null, domain, lists, hostname, listmaster, null, null, null));
  }

  /**
   * Validates every raw value against its grammar. Defaults: role appliance, flavour full for an
   * appliance (tools for the other roles), hostname {@code mx.DOMAIN} ({@code relay.DOMAIN} for a
   * front relay), listmaster {@code listmaster@DOMAIN} (flavour tools only: full needs one outside
   * the list domain), relay host port 25, Sympa domain the list domain; a list given by name only
   * has its name as subject, type discussion_list and the listmaster as owner.
   */
  public static ApplianceSpec fromUserInput(UserInput in) {
    Role role = in.role() == null ? Role.APPLIANCE : Role.parse(in.field("role", "--role"), in.role());
    Flavour flavour;
    if (in.flavour() == null) {
      flavour = role == Role.APPLIANCE ? Flavour.FULL : Flavour.TOOLS;
    } else {
      flavour = Flavour.parse(in.field("sympa", "--sympa"), in.flavour());
      if (role != Role.APPLIANCE) {
        throw new InvalidSpecException(in.field("sympa", "--sympa"), in.flavour(), "only applies to --role appliance");
      }
    }
    DomainName listDomain = DomainName.parse(in.field("domain", "--domain"), in.domain());
    // A front relay must not share the Sympa server's name: Postfix refuses to deliver to a
    // server that greets with its own name ("mail for [sympa]:25 loops back to myself").
    String defaultHostPrefix = role == Role.RELAY ? "relay." : "mx.";
    DomainName host = in.hostname() == null
        ? DomainName.parse("--hostname", defaultHostPrefix + listDomain.value())
        : DomainName.parse(in.field("hostname", "--hostname"), in.hostname());
    EmailAddress givenMaster = in.listmaster() == null
        ? null : EmailAddress.parse(in.field("listmaster", "--listmaster"), in.listmaster());
    EmailAddress master = givenMaster != null ? givenMaster : new EmailAddress("listmaster", listDomain);

    List<MailingList> lists = new ArrayList<>();
    Set<ListName> declared = new HashSet<>();
    for (int i = 0; i < in.listDefinitions().size(); i++) {
      MailingList list = mailingList(in, i, master);
      if (!declared.add(list.name())) {
        throw new InvalidSpecException(in.field("lists[" + i + "].name", "--list"), in.listDefinitions().get(i).name(),
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

    Optional<SmtpDestination> relayhost = in.relayhost() == null
        ? Optional.empty() : Optional.of(SmtpDestination.parse(in.field("relayhost", "--relayhost"), in.relayhost()));
    Optional<SmtpDestination> sympaServer = in.sympaServer() == null
        ? Optional.empty()
        : Optional.of(SmtpDestination.parse(in.field("sympa_server", "--sympa-server"), in.sympaServer()));
    DomainName sympaDomain = in.sympaDomain() == null
        ? listDomain : DomainName.parse(in.field("sympa_domain", "--sympa-domain"), in.sympaDomain());
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String raw : in.postconf()) {
      String field = in.field("postconf." + settingName(raw), "--postconf");
      String[] override = Grammar.postconfOverride(field, raw);
      if (overrides.put(override[0], override[1]) != null) {
        throw new InvalidSpecException(field, raw, "each parameter may be given only once");
      }
      if (role == Role.SINK) {
        throw new InvalidSpecException(field, raw, "a sink runs no Postfix");
      }
    }
    Map<String, String> sympaOverrides = new LinkedHashMap<>();
    for (String raw : in.sympaConf()) {
      String field = in.field("sympa_conf." + settingName(raw), "--sympa-conf");
      String[] override = Grammar.sympaConfOverride(field, raw);
      if (sympaOverrides.put(override[0], override[1]) != null) {
        throw new InvalidSpecException(field, raw, "each parameter may be given only once");
      }
      if (role != Role.APPLIANCE) {
        throw new InvalidSpecException(field, raw, "only applies to --role appliance");
      }
    }
    Optional<WebInterface> web = web(in, role, flavour, listDomain);
    Optional<Deliverability> deliverability =
        Deliverability.fromInput(in, in.deliverability(), role == Role.SINK ? Deliverability.Scope.NONE
            : role == Role.APPLIANCE && flavour == Flavour.FULL ? Deliverability.Scope.FULL
            : Deliverability.Scope.POSTFIX, relayhost.isPresent(), web);
    Optional<Database> database = Database.fromInput(in, in.database(), role == Role.APPLIANCE && flavour == Flavour.FULL);
    Optional<Deployment> deployment = Deployment.fromInput(in, in.deployment(), web.isPresent());
    DebianSuite debian = in.debian() == null
        ? DebianSuite.DEFAULT : DebianSuite.parse(in.field("debian", "--debian"), in.debian());
    if (flavour == Flavour.FULL && givenMaster == null) {
      // Every other rule first (as if the listmaster were fine): this error names only what is missing.
      new ApplianceSpec(role, Flavour.TOOLS, listDomain, host, lists, master, relayhost, sympaServer, sympaDomain,
          overrides, sympaOverrides, Optional.empty());
      throw new InvalidSpecException("--listmaster", "", "required with --sympa full: "
          + String.format(LISTMASTER_LOOPS, master));
    }
    if (flavour == Flavour.FULL && insideListDomain(master, listDomain, sympaDomain)) {
      throw new InvalidSpecException(in.field("listmaster", "--listmaster"), in.listmaster(), "with --sympa full the"
          + " listmaster must be outside the list domain: " + String.format(LISTMASTER_LOOPS, master));
    }
    ApplianceSpec spec = new ApplianceSpec(role, flavour, listDomain, host, lists, master, relayhost, sympaServer,
        sympaDomain, overrides, sympaOverrides, web, deliverability, database, deployment, debian);
    if (deployment.isPresent()) {
      String field = in.field("deployment", "deployment");
      Deployment.requireDeployable(spec, field, null);
      Deployment.requireBundledDatabaseHost(spec, deployment.get(), in.field("deployment.postgresql_image",
          "deployment.postgresql_image"));
    }
    return spec;
  }

  /** On by default for the full flavour, at http://DOMAIN/sympa unless --web-url says otherwise. */
  private static Optional<WebInterface> web(UserInput in, Role role, Flavour flavour, DomainName domain) {
    boolean full = role == Role.APPLIANCE && flavour == Flavour.FULL;
    if (Boolean.TRUE.equals(in.web()) && !full) {
      throw new InvalidSpecException(in.field("web.enabled", "--web"), "true", WEB_NEEDS_FULL);
    }
    if (in.webUrl() != null) {
      String field = in.field("web.url", "--web-url");
      WebInterface given = WebInterface.parse(field, in.webUrl());
      if (!full) {
        throw new InvalidSpecException(field, in.webUrl(), WEB_NEEDS_FULL);
      }
      if (Boolean.FALSE.equals(in.web())) {
        throw new InvalidSpecException(field, in.webUrl(), "the web interface is turned off ("
            + in.field("web.enabled", "--no-web") + "); give an address only to a web interface that is served");
      }
      return Optional.of(given);
    }
    return full && !Boolean.FALSE.equals(in.web()) ? Optional.of(WebInterface.defaultFor(domain)) : Optional.empty();
  }

  /** NAME of a raw {@code NAME=VALUE}, as far as it has one: only to find where it came from. */
  static String settingName(String raw) {
    int eq = raw == null ? -1 : raw.indexOf('=');
    return eq < 0 ? String.valueOf(raw) : raw.substring(0, eq).strip();
  }

  private static MailingList mailingList(UserInput in, int index, EmailAddress listmaster) {
    ListInput raw = in.listDefinitions().get(index);
    String at = "lists[" + index + "]";
    ListName name = ListName.parse(in.field(at + ".name", "--list"), raw.name());
    String subject = raw.subject() == null ? name.value() : Grammar.displayText(in.field(at + ".subject", "subject"), raw.subject());
    String type = raw.type() == null ? MailingList.DEFAULT_TYPE : Grammar.listType(in.field(at + ".type", "type"), raw.type());
    List<EmailAddress> owners = raw.owners() == null ? List.of(listmaster) : addresses(in, at + ".owners", raw.owners());
    if (owners.isEmpty()) {
      throw new InvalidSpecException(in.field(at + ".owners", "owners"), name.value(), Grammar.OWNER_REQUIRED);
    }
    List<EmailAddress> editors = addresses(in, at + ".editors", raw.editors());
    List<Subscriber> subscribers = new ArrayList<>();
    Set<EmailAddress> members = new HashSet<>();
    for (int k = 0; k < raw.subscribers().size(); k++) {
      SubscriberInput s = raw.subscribers().get(k);
      String sat = at + ".subscribers[" + k + "]";
      String addressField = in.sources().containsKey(sat + ".address")
          ? in.field(sat + ".address", "subscriber") : in.field(sat, "subscriber");
      EmailAddress address = EmailAddress.parse(addressField, s.address());
      if (!members.add(address)) {
        throw new InvalidSpecException(addressField, s.address(), "each address may be subscribed only once");
      }
      Optional<String> subscriberName = s.name() == null
          ? Optional.empty() : Optional.of(Grammar.displayText(in.field(sat + ".name", "subscriber name"), s.name()));
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
