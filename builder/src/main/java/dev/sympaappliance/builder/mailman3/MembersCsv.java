package dev.sympaappliance.builder.mailman3;

import java.util.List;

/**
 * A list's members file: one member a line, {@code ADDRESS,NAME,MODE}, CSV as RFC 4180 quotes it (a
 * name holding a comma, a double quote or a line break is quoted, its quotes doubled), UTF-8, lines
 * ending in \n. The first line, a comment, says what the file is; the members file's readers skip
 * lines starting with #.
 */
final class MembersCsv {
  private MembersCsv() {}

  static String csv(String listId, List<ImportedList.Member> members) {
    StringBuilder out = new StringBuilder();
    out.append("# ADDRESS,NAME,MODE — imported from Mailman 3 list ")
        .append(TextFitting.oneLine(listId, 300))
        .append('\n');
    for (ImportedList.Member member : members) {
      out.append(field(member.address()))
          .append(',')
          .append(field(member.name()))
          .append(',')
          .append(field(member.mode()))
          .append('\n');
    }
    return out.toString();
  }

  /** A field, quoted when it needs to be. */
  static String field(String value) {
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
