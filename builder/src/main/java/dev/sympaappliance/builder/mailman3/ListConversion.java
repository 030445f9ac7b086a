package dev.sympaappliance.builder.mailman3;

import dev.sympaappliance.builder.spec.EmailAddress;
import dev.sympaappliance.builder.spec.Grammar;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import dev.sympaappliance.builder.spec.ListName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a Mailman list into the spec's terms: its name checked by the appliance's own grammar
 * ({@link ListName}, {@link EmailAddress}), its subject and description fitted ({@link
 * TextFitting}), its type chosen ({@link ListTypeMapping}), its members' reception modes ({@link
 * ReceptionModes}). What does not fit is reported: a list whose name the appliance refuses is
 * skipped, so is an address it refuses; every other change is a note.
 */
final class ListConversion {
  private ListConversion() {}

  /** A list the appliance cannot take, and why. */
  record Skipped(MailmanList source, String reason) {}

  /** The list in the spec's terms, or why it is skipped: exactly one of the two. */
  record Result(ImportedList imported, Skipped skipped) {}

  static Result convert(MailmanList list) {
    ListName name;
    try {
      name = ListName.parse("list_name", list.listName());
    } catch (InvalidSpecException e) {
      return new Result(null, new Skipped(list, e.getMessage()));
    }
    List<String> notes = new ArrayList<>();
    if (!name.value().equals(list.listName())) {
      notes.add("name: " + TextFitting.quoted(list.listName()) + " in lower case");
    }
    String subjectFrom = subjectFrom(list);
    String subject = subjectFrom.isEmpty() ? name.value() : fitted(list, subjectFrom, notes);
    String description = description(list, notes);
    ListTypeMapping rule = ListTypeMapping.of(ListBehaviour.ofMailman(list));
    List<String> owners = addresses("owner", list.owners(), notes);
    if (owners.isEmpty()) {
      notes.add("owners: none that the appliance takes; the spec leaves them out (the listmaster)");
    }
    List<String> editors = addresses("moderator", list.moderators(), notes);
    List<ImportedList.Member> members = members(list.members(), notes);
    if (subjectFrom.isEmpty()) {
      notes.add("subject: Mailman's description and display_name are empty; the list's name");
    }
    return new Result(
        new ImportedList(
            list,
            name.value(),
            subject,
            subjectFrom,
            description,
            rule,
            owners,
            editors,
            members,
            notes),
        null);
  }

  /**
   * Where the subject comes from: Mailman's description if it has one, else its display name; empty
   * when neither has any text (the subject is then the list's name).
   */
  private static String subjectFrom(MailmanList list) {
    for (String from : List.of("description", "display_name")) {
      if (!TextFitting.oneLine(list.text(from), Grammar.MAX_TEXT_LENGTH).isEmpty()) {
        return from;
      }
    }
    return "";
  }

  private static String fitted(MailmanList list, String from, List<String> notes) {
    String raw = list.text(from);
    String fitted = TextFitting.oneLine(raw, Grammar.MAX_TEXT_LENGTH);
    notes.add("subject: from Mailman's " + from);
    if (!fitted.equals(raw)) {
      notes.add(
          "subject: changed to fit (one line, no control characters, at most "
              + Grammar.MAX_TEXT_LENGTH
              + " characters); Mailman's "
              + from
              + " was "
              + TextFitting.quoted(raw));
    }
    return fitted;
  }

  /** Mailman's info, the list's long description; empty when it has none. */
  private static String description(MailmanList list, List<String> notes) {
    String raw = list.text("info");
    String fitted = TextFitting.lines(raw, TextFitting.DESCRIPTION_MAX);
    if (!fitted.isEmpty() && !fitted.equals(raw)) {
      notes.add(
          "description: Mailman's info changed to fit (lines separated by \\n, no other control"
              + " characters, no blanks at the ends of lines, at most "
              + TextFitting.DESCRIPTION_MAX
              + " characters)");
    }
    return fitted;
  }

  private static List<String> addresses(
      String role, List<MailmanMember> people, List<String> notes) {
    Set<String> out = new LinkedHashSet<>();
    for (MailmanMember person : people) {
      String address = address(role, person.email(), notes);
      if (address != null && !out.add(address)) {
        notes.add(role + " " + address + ": given twice; once in the spec");
      }
    }
    return List.copyOf(out);
  }

  private static List<ImportedList.Member> members(
      List<MailmanMember> members, List<String> notes) {
    List<ImportedList.Member> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (MailmanMember member : members) {
      String address = address("member", member.email(), notes);
      if (address == null) {
        continue;
      }
      if (!seen.add(address)) {
        notes.add("member " + address + ": given twice; the first is kept");
        continue;
      }
      String mode = ReceptionModes.of(member);
      if (mode == null) {
        notes.add(
            "member "
                + address
                + ": delivery_mode "
                + TextFitting.word(member.deliveryMode())
                + " unknown; mail");
        mode = "mail";
      } else if (mode.equals(ReceptionModes.NOMAIL)) {
        notes.add(
            "member "
                + address
                + ": delivery disabled (delivery_status "
                + TextFitting.word(member.deliveryStatus())
                + ", delivery_mode "
                + TextFitting.word(member.deliveryMode())
                + "): nomail");
      }
      if (member.moderationAction() != null) {
        notes.add(
            "member "
                + address
                + ": moderation_action "
                + TextFitting.word(member.moderationAction())
                + " not carried over (Sympa has no moderation of one member's posts)");
      }
      String name = TextFitting.oneLine(member.displayName(), Grammar.MAX_TEXT_LENGTH);
      if (!name.equals(member.displayName())) {
        notes.add(
            "member "
                + address
                + ": name changed to fit (one line, at most "
                + Grammar.MAX_TEXT_LENGTH
                + " characters); Mailman's was "
                + TextFitting.quoted(member.displayName()));
      }
      out.add(new ImportedList.Member(address, name, mode));
    }
    return out;
  }

  /** The address as the appliance writes it, or null (and a note) when it refuses it. */
  private static String address(String role, String raw, List<String> notes) {
    try {
      return EmailAddress.parse(role, raw).toString();
    } catch (InvalidSpecException e) {
      notes.add(role + " skipped: " + e.getMessage());
      return null;
    }
  }
}
