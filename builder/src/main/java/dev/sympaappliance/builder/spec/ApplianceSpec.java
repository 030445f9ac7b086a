package dev.sympaappliance.builder.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an image is: its role, its list domain and lists, its Postfix host name, Sympa's
 * listmaster, where its outgoing mail goes and, for a front relay, the Sympa server behind it.
 * Immutable and valid by construction.
 *
 * @param sympaDomain the list domain the Sympa server serves: mail for {@code domain} is
 *     translated to it by a front relay; for the other roles it is {@code domain} itself
 * @param postconfOverrides main.cf parameters set last, in order, over the generated ones
 */
public record ApplianceSpec(
    Role role,
    DomainName domain,
    DomainName hostname,
    List<ListName> lists,
    EmailAddress listmaster,
    Optional<SmtpDestination> relayhost,
    Optional<SmtpDestination> sympaServer,
    DomainName sympaDomain,
    Map<String, String> postconfOverrides) {

  public ApplianceSpec {
    lists = List.copyOf(lists);
    postconfOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(postconfOverrides));
    if (role == Role.SINK && !postconfOverrides.isEmpty()) {
      throw new InvalidSpecException("--postconf", postconfOverrides.keySet().iterator().next(), "a sink runs no Postfix");
    }
    Set<ListName> seen = new LinkedHashSet<>();
    for (ListName list : lists) {
      if (!seen.add(list)) {
        throw new InvalidSpecException("--list", list.value(), "each list may be given only once");
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
  }

  /** Raw user values, as the CLI receives them; null means "not given". */
  public record UserInput(
      String role, String domain, List<String> lists, String hostname, String listmaster,
      String relayhost, String sympaServer, String sympaDomain, List<String> postconf) {

    public UserInput {
      postconf = postconf == null ? List.of() : List.copyOf(postconf);
    }

    public UserInput(String role, String domain, List<String> lists, String hostname, String listmaster,
        String relayhost, String sympaServer, String sympaDomain) {
      this(role, domain, lists, hostname, listmaster, relayhost, sympaServer, sympaDomain, List.of());
    }

    public static UserInput appliance(String domain, List<String> lists) {
      return new UserInput(null, domain, lists, null, null, null, null, null);
    }
  }

  /** An appliance (the default role) without relay host. */
  public static ApplianceSpec fromUserInput(String domain, List<String> lists, String hostname, String listmaster) {
    return fromUserInput(new UserInput(null, domain, lists, hostname, listmaster, null, null, null));
  }

  /**
   * Validates every raw value against its grammar. Defaults: role appliance, hostname
   * {@code mx.DOMAIN} ({@code relay.DOMAIN} for a front relay), listmaster {@code listmaster@DOMAIN}, relay host port 25, Sympa domain
   * the list domain.
   */
  public static ApplianceSpec fromUserInput(UserInput in) {
    Role role = in.role() == null ? Role.APPLIANCE : Role.parse("--role", in.role());
    DomainName listDomain = DomainName.parse("--domain", in.domain());
    // A front relay must not share the Sympa server's name: Postfix refuses to deliver to a
    // server that greets with its own name ("mail for [sympa]:25 loops back to myself").
    String defaultHostPrefix = role == Role.RELAY ? "relay." : "mx.";
    DomainName host = in.hostname() == null
        ? DomainName.parse("--hostname", defaultHostPrefix + listDomain.value())
        : DomainName.parse("--hostname", in.hostname());
    List<ListName> listNames = new ArrayList<>();
    for (String list : in.lists()) {
      listNames.add(ListName.parse("--list", list));
    }
    EmailAddress master = in.listmaster() == null
        ? new EmailAddress("listmaster", listDomain)
        : EmailAddress.parse("--listmaster", in.listmaster());
    Optional<SmtpDestination> relayhost = in.relayhost() == null
        ? Optional.empty() : Optional.of(SmtpDestination.parse("--relayhost", in.relayhost()));
    Optional<SmtpDestination> sympaServer = in.sympaServer() == null
        ? Optional.empty() : Optional.of(SmtpDestination.parse("--sympa-server", in.sympaServer()));
    DomainName sympaDomain = in.sympaDomain() == null
        ? listDomain : DomainName.parse("--sympa-domain", in.sympaDomain());
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String raw : in.postconf()) {
      String[] override = Grammar.postconfOverride("--postconf", raw);
      if (overrides.put(override[0], override[1]) != null) {
        throw new InvalidSpecException("--postconf", raw, "each parameter may be given only once");
      }
    }
    return new ApplianceSpec(role, listDomain, host, listNames, master, relayhost, sympaServer, sympaDomain, overrides);
  }
}
