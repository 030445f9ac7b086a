package dev.sympaappliance.builder.spec;

import java.util.Collections;
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
 * @param domains the further list domains (Sympa virtual hosts) of a spec's {@code domains:}, each
 *     with its own lists, listmaster, web address and DKIM key; {@code domain} is the first
 * @param platforms the platforms the image is built for, in the order given: at least one, each
 *     once; the rendered configuration is the same on every one
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
    DebianSuite debian,
    List<ListDomain> domains,
    List<Platform> platforms,
    int bulkWorkers) {

  /** How many bulk.pl run side by side by default, and at most ({@code bulk.workers}). */
  public static final int DEFAULT_BULK_WORKERS = 2;

  public static final int MAX_BULK_WORKERS = 8;

  static final String BULK_WORKERS_RULE =
      "expected a number of bulk.pl processes from 1 to " + MAX_BULK_WORKERS;

  static final String LISTMASTER_LOOPS =
      "Sympa mails the listmaster, and %s is inside the list domain," + " where its notices loop";

  public ApplianceSpec {
    lists = List.copyOf(lists);
    domains = List.copyOf(domains);
    platforms = List.copyOf(platforms);
    if (platforms.isEmpty()) {
      throw new InvalidSpecException(
          "--platform", "", "must not be empty; expected at least one platform");
    }
    if (Set.copyOf(platforms).size() != platforms.size()) {
      throw new InvalidSpecException(
          "--platform",
          String.join(",", platforms.stream().map(Platform::id).toList()),
          "each platform may be given only once");
    }
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

  static boolean insideListDomain(EmailAddress address, DomainName domain, DomainName sympaDomain) {
    return address.domain().equals(domain) || address.domain().equals(sympaDomain);
  }

  /** The first list domain (the top level of a spec) as a {@link ListDomain}. */
  public ListDomain firstDomain() {
    return ListDomain.of(this, true);
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
   * Validates every raw value against its grammar (see {@link SpecFromInput}). Defaults: role
   * appliance, flavour full for an appliance (tools for the other roles), hostname {@code
   * mx.DOMAIN} ({@code relay.DOMAIN} for a front relay), listmaster {@code listmaster@DOMAIN}
   * (flavour tools only: full needs one outside the list domain), relay host port 25, Sympa domain
   * the list domain; a list given by name only has its name as subject, type discussion_list and
   * the listmaster as owner.
   */
  public static ApplianceSpec fromUserInput(UserInput in) {
    return SpecFromInput.read(in);
  }
}
