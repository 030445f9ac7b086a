package dev.sympaappliance.builder.spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an appliance image is: its list domain, its lists, its Postfix host name and Sympa's
 * listmaster. Immutable and valid by construction.
 */
public record ApplianceSpec(DomainName domain, DomainName hostname, List<ListName> lists, EmailAddress listmaster) {
  public ApplianceSpec {
    lists = List.copyOf(lists);
    Set<ListName> seen = new LinkedHashSet<>();
    for (ListName list : lists) {
      if (!seen.add(list)) {
        throw new InvalidSpecException("--list", list.value(), "each list may be given only once");
      }
    }
  }

  /**
   * Builds a spec from raw user values, the way the CLI receives them. {@code hostname} and
   * {@code listmaster} may be null: they default to {@code mx.DOMAIN} and {@code listmaster@DOMAIN}.
   */
  public static ApplianceSpec fromUserInput(String domain, List<String> lists, String hostname, String listmaster) {
    DomainName listDomain = DomainName.parse("--domain", domain);
    DomainName host = hostname == null
        ? DomainName.parse("--hostname", "mx." + listDomain.value())
        : DomainName.parse("--hostname", hostname);
    List<ListName> listNames = new ArrayList<>();
    for (String list : lists) {
      listNames.add(ListName.parse("--list", list));
    }
    EmailAddress master = listmaster == null
        ? new EmailAddress("listmaster", listDomain)
        : EmailAddress.parse("--listmaster", listmaster);
    return new ApplianceSpec(listDomain, host, listNames, master);
  }
}
