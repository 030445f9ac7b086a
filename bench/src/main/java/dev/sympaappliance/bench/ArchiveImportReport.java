package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The report's section "Archive import" ({@link ArchiveImportBenchmark}). */
final class ArchiveImportReport {
  private ArchiveImportReport() {}

  /** Appends the section of the archive import results A to MD; nothing when there are none. */
  static void write(StringBuilder md, JsonNode a) {
    if (a.isMissingNode()) {
      return;
    }
    md.append("\n## 10. Archive import\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "An mbox of %d messages over %d months (%.1f MB, written by the archive test's"
                    + " generator with Python's mailbox and email in %.1f s) imported into a"
                    + " list of a running full list server with `sympa-appliance-archive import`:"
                    + " %.1f s, %d messages/s, from the command's start to its end (the messages"
                    + " filed by Sympa::Archive and each month's web archive rebuilt with"
                    + " MHonArc).%n%nThe command's summary: `%s`%n",
                a.path("messages").asInt(),
                a.path("months").asInt(),
                a.path("mbox_bytes").asLong() / 1e6,
                a.path("generated_s").asDouble(),
                a.path("seconds").asDouble(),
                a.path("per_s").asLong(),
                a.path("summary").asText()));
  }
}
