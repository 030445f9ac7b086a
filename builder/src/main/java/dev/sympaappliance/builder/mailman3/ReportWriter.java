package dev.sympaappliance.builder.mailman3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mailman3-report.txt: for each list, the type chosen and why (the Mailman values that led to it,
 * and where the type does otherwise), every change made to fit the appliance, and every Mailman
 * setting the spec does not carry: those changed from Mailman's default one a line with their
 * value, those at the default and the list's state by name. Nothing read is left unmentioned.
 */
final class ReportWriter {
  private ReportWriter() {}

  /** What the import did, as a whole. */
  record Import(
      String url,
      String date,
      String mailHost,
      ListmasterChoice listmaster,
      List<ImportedList> imported,
      List<ListConversion.Skipped> skipped) {}

  /** What no spec of the appliance holds, for any list. */
  static final String NOT_READ =
      "bans, header matches, held messages, pending subscription requests, templates (welcome,"
          + " goodbye, header and footer texts), archives, the nonmember roster and its moderation"
          + " actions, members' preferences other than delivery mode and status (acknowledge_posts,"
          + " hide_address, preferred_language, receive_list_copy, receive_own_postings), user"
          + " accounts and passwords";

  static String report(Import in) {
    StringBuilder out = new StringBuilder();
    int members = in.imported().stream().mapToInt(list -> list.members().size()).sum();
    out.append("Import from Mailman 3 at ")
        .append(in.url())
        .append(" on ")
        .append(in.date())
        .append(", mail host ")
        .append(in.mailHost())
        .append('\n')
        .append("Review lists.yaml and members/ before building: they are what the appliance will")
        .append(" create.\n\n")
        .append("domain: ")
        .append(in.mailHost())
        .append(" (Mailman's mail host)\n")
        .append("listmaster: ")
        .append(in.listmaster().address() == null ? "" : in.listmaster().address() + ", ")
        .append(in.listmaster().note())
        .append('\n')
        .append("lists: ")
        .append(in.imported().size())
        .append(" imported, ")
        .append(in.skipped().size())
        .append(" skipped; ")
        .append(members)
        .append(" members\n\n");
    out.append("A list's type is the first of these rules that its Mailman policies (")
        .append(String.join(", ", ListBehaviour.MAILMAN_SETTINGS))
        .append(") match:\n");
    for (ListTypeMapping rule : ListTypeMapping.values()) {
      out.append("  ")
          .append(rule.ordinal() + 1)
          .append(". ")
          .append(rule.type)
          .append(": ")
          .append(rule.reason)
          .append('\n');
    }
    out.append("\nNot read, for any list: ").append(NOT_READ).append(".\n");
    for (ListConversion.Skipped skipped : in.skipped()) {
      out.append("\n== list ")
          .append(TextFitting.oneLine(skipped.source().listId(), 300))
          .append(": SKIPPED, with its ")
          .append(skipped.source().members().size())
          .append(" members\n  ")
          .append(skipped.reason())
          .append('\n');
    }
    for (ImportedList list : in.imported()) {
      list(out, list);
    }
    return out.toString();
  }

  private static void list(StringBuilder out, ImportedList list) {
    MailmanList source = list.source();
    out.append("\n== list ")
        .append(list.name())
        .append(" (")
        .append(TextFitting.oneLine(source.listId(), 300))
        .append(")\n");
    out.append("type: ")
        .append(list.rule().type)
        .append(" (rule ")
        .append(list.rule().ordinal() + 1)
        .append(")\n  Mailman: ");
    List<String> values = new ArrayList<>();
    for (String setting : ListBehaviour.MAILMAN_SETTINGS) {
      values.add(setting + " " + shown(source, setting));
    }
    out.append(String.join(", ", values))
        .append("\n  why: ")
        .append(list.rule().reason)
        .append('\n');
    List<String> differences =
        ListBehaviour.ofMailman(source)
            .differencesFrom(list.rule().sympa, list.rule().type, source);
    out.append("  where ")
        .append(list.rule().type)
        .append(" does otherwise:")
        .append(differences.isEmpty() ? " nowhere" : "")
        .append('\n');
    lines(out, "    ", differences);
    out.append("owners: ")
        .append(list.owners().size())
        .append(", editors (Mailman's moderators): ")
        .append(list.editors().size())
        .append(", members: ")
        .append(list.members().size())
        .append(list.membersFile() == null ? "" : " (" + list.membersFile() + ")")
        .append('\n');
    out.append("notes:\n");
    lines(out, "  ", list.notes());
    MailmanSettings.Unmapped settings = MailmanSettings.unmapped(source, list.carried());
    out.append("Mailman settings the spec does not carry, changed from Mailman's default:")
        .append(settings.changed().isEmpty() ? " none" : "")
        .append('\n');
    for (Map.Entry<String, String> setting : settings.changed().entrySet()) {
      out.append("  ")
          .append(TextFitting.word(setting.getKey()))
          .append(": ")
          .append(setting.getValue())
          .append('\n');
    }
    names(
        out,
        "Mailman settings the spec does not carry, at Mailman 3.3's default:",
        settings.atDefault());
    names(out, "Mailman's state, no settings (not carried):", settings.state());
  }

  private static String shown(MailmanList list, String setting) {
    return list.config().containsKey(setting) ? TextFitting.word(list.text(setting)) : "(absent)";
  }

  /** A heading and names, wrapped to lines of at most {@value #WIDTH} characters. */
  private static void names(StringBuilder out, String heading, List<String> names) {
    out.append(heading);
    if (names.isEmpty()) {
      out.append(" none\n");
      return;
    }
    out.append('\n');
    StringBuilder line = new StringBuilder(" ");
    for (int i = 0; i < names.size(); i++) {
      String name = TextFitting.word(names.get(i)) + (i + 1 < names.size() ? "," : "");
      if (line.length() + 1 + name.length() > WIDTH) {
        out.append(line).append('\n');
        line = new StringBuilder(" ");
      }
      line.append(' ').append(name);
    }
    out.append(line).append('\n');
  }

  private static final int WIDTH = 100;

  private static void lines(StringBuilder out, String indent, List<String> lines) {
    for (String line : lines) {
      out.append(indent).append(line).append('\n');
    }
  }
}
