package dev.sympaappliance.builder.spec;

import java.util.List;
import java.util.Optional;

/**
 * A list of the list domain as Sympa creates it: its name, subject, Sympa list template ({@code
 * type}, one of {@link Grammar#LIST_TYPES}), description (its information page; the subject when
 * empty), owners, editors (moderators) and subscribers.
 */
public record MailingList(
    ListName name,
    String subject,
    String type,
    Optional<String> description,
    List<EmailAddress> owners,
    List<EmailAddress> editors,
    List<Subscriber> subscribers) {

  public static final String DEFAULT_TYPE = "discussion_list";

  public MailingList {
    Grammar.displayText("subject", subject);
    Grammar.listType("type", type);
    description.ifPresent(d -> Grammar.description("description", d));
    owners = List.copyOf(owners);
    editors = List.copyOf(editors);
    subscribers = List.copyOf(subscribers);
    if (owners.isEmpty()) {
      throw new InvalidSpecException("owners", name.value(), Grammar.OWNER_REQUIRED);
    }
  }

  /** What {@code --list NAME} means: subject NAME, a discussion list owned by the listmaster. */
  public static MailingList withDefaults(ListName name, EmailAddress listmaster) {
    return new MailingList(
        name,
        name.value(),
        DEFAULT_TYPE,
        Optional.empty(),
        List.of(listmaster),
        List.of(),
        List.of());
  }
}
