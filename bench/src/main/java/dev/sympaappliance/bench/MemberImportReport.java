package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The report's section "Member import" ({@link MemberImportBenchmark}). */
final class MemberImportReport {
  private MemberImportReport() {}

  /** Appends the section of the member import results M to MD; nothing when there are none. */
  static void write(StringBuilder md, JsonNode m) {
    if (m.isMissingNode()) {
      return;
    }
    md.append("\n## 9. Member import\n\n")
        .append("Members added to one list of a running full list server (SQLite), timed inside")
        .append(" the container: `sympa-appliance-members add` (Sympa's add_list_member, 500")
        .append(" members a transaction) against Sympa's own `sympa add`, whose")
        .append(" report template is parsed twice per member.\n\n")
        .append("| command | members | seconds | members/s |\n| --- | --- | --- | --- |\n");
    row(md, "`sympa add --quiet` (baseline)", m.path("baseline_sympa_add"));
    for (JsonNode run : m.path("runs")) {
      row(md, "`sympa-appliance-members add`", run);
    }
    JsonNode first = m.path("first_start");
    md.append(
        String.format(
            Locale.ROOT,
            "%nFirst start of an image whose spec lists %d members: healthy after %.1f s"
                + " (from `docker run`; %d members in the database).%n",
            first.path("members").asInt(),
            first.path("healthy_s").asDouble(),
            first.path("members_in_database").asInt()));
  }

  private static void row(StringBuilder md, String command, JsonNode run) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %.2f | %d |%n",
            command,
            run.path("members").asInt(),
            run.path("seconds").asDouble(),
            run.path("per_s").asLong()));
  }
}
