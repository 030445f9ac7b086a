package dev.sympaappliance.builder.spec;

import java.util.List;
import java.util.Optional;

/**
 * A further list domain of the appliance, one entry of a spec's {@code domains:}: a Sympa virtual
 * host ("robot") with its own lists, listmaster, web address, DKIM key and DMARC and one-click
 * settings. Every other setting is the appliance's. Made by {@link SpecFromInput} with the same
 * rules as the top-level domain.
 *
 * @param web the web interface's public address for this domain; empty when the appliance serves
 *     none
 * @param dkim its DKIM selector and mounted key; empty without DKIM
 * @param dkimKeyPath the key Sympa signs its mail with: the mounted one, else the one the
 *     entrypoint makes at the first start (the first domain's under {@link
 *     Deliverability#GENERATED_KEY_DIRECTORY}, a further domain's in a directory of its own there)
 * @param dmarcModes Sympa's {@code dmarc_protection.mode} for its lists; empty: none
 */
public record ListDomain(
    DomainName domain,
    EmailAddress listmaster,
    List<MailingList> lists,
    Optional<WebInterface> web,
    Optional<Deliverability.Dkim> dkim,
    Optional<String> dkimKeyPath,
    List<String> dmarcModes,
    boolean oneClickUnsubscribe) {

  public ListDomain {
    lists = List.copyOf(lists);
    dmarcModes = List.copyOf(dmarcModes);
  }

  /**
   * The domain's settings as {@link SpecFromInput} judged them in a spec of their own; {@code
   * first}: the top level's domain.
   */
  static ListDomain of(ApplianceSpec judged, boolean first) {
    Optional<Deliverability> d = judged.deliverability();
    Optional<Deliverability.Dkim> dkim = d.flatMap(Deliverability::dkim);
    return new ListDomain(
        judged.domain(),
        judged.listmaster(),
        judged.lists(),
        judged.web(),
        dkim,
        dkim.map(
            k ->
                first
                    ? k.keyPath()
                    : k.keyPathIn(
                        Deliverability.GENERATED_KEY_DIRECTORY + "/" + judged.domain().value())),
        d.map(Deliverability::dmarcModes).orElse(List.of()),
        d.filter(Deliverability::oneClickUnsubscribe).isPresent());
  }

  /** The names of its lists, in order. */
  public List<ListName> listNames() {
    return lists.stream().map(MailingList::name).toList();
  }
}
