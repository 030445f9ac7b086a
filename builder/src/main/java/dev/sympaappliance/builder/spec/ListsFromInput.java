package dev.sympaappliance.builder.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lists of a {@link UserInput}: those a spec file declares (with owners, editors and
 * subscribers), then those {@code --list} names that the file does not declare, with defaults.
 */
final class ListsFromInput {
  private ListsFromInput() {}

  /** Every list, each once; {@code master} owns a list that names no owner. */
  static List<MailingList> lists(UserInput in, EmailAddress master) {
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
    return lists;
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
      Optional<String> mode =
          s.mode() == null
              ? Optional.empty()
              : Optional.of(Grammar.receptionMode(in.field(sat + ".mode", "mode"), s.mode()));
      subscribers.add(new Subscriber(address, subscriberName, mode));
    }
    Optional<String> description =
        raw.description() == null
            ? Optional.empty()
            : Optional.of(
                Grammar.description(
                    in.field(at + ".description", "description"), raw.description()));
    return new MailingList(name, subject, type, description, owners, editors, subscribers);
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
