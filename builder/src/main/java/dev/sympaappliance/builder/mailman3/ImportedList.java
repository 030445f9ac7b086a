package dev.sympaappliance.builder.mailman3;

import java.util.List;
import java.util.stream.Stream;

/**
 * A Mailman list as the spec will hold it, every value already fitted to the appliance's grammar,
 * and the notes the report gives about it.
 */
record ImportedList(
    MailmanList source,
    String name,
    String subject,
    String subjectFrom,
    String description,
    ListTypeMapping rule,
    List<String> owners,
    List<String> editors,
    List<Member> members,
    List<String> notes) {

  /** One line of the list's members file. */
  record Member(String address, String name, String mode) {}

  ImportedList {
    owners = List.copyOf(owners);
    editors = List.copyOf(editors);
    members = List.copyOf(members);
    notes = List.copyOf(notes);
  }

  /** The attributes of Mailman's list config that the spec carries. */
  List<String> carried() {
    return subjectFrom.isEmpty()
        ? MailmanSettings.CARRIED
        : Stream.concat(MailmanSettings.CARRIED.stream(), Stream.of(subjectFrom)).toList();
  }

  /** Where the members file goes, relative to the spec's directory; null without members. */
  String membersFile() {
    return members.isEmpty() ? null : "members/" + name + ".csv";
  }
}
