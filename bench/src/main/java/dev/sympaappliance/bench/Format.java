package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How the report writes numbers: figures to 3 significant-ish digits, sizes in MB, stats cells and
 * rows.
 */
final class Format {
  private Format() {}

  /** 0 decimals from 100, 1 from 10, else 2. */
  static String num(double v) {
    return v >= 100
        ? String.format(Locale.ROOT, "%.0f", v)
        : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  /** Decimal megabytes, one decimal. */
  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** A stats node as "median (min–max)", or "n/a". */
  static String cell(JsonNode s) {
    if (!s.has("median")) {
      return "n/a";
    }
    return num(s.path("median").asDouble())
        + " ("
        + num(s.path("min").asDouble())
        + "–"
        + num(s.path("max").asDouble())
        + ")";
  }

  /** A row "| LABEL | median unit | min | max |" of a stats node, or "| LABEL | n/a | | |". */
  static void row(StringBuilder md, String label, JsonNode s) {
    if (!s.has("median")) {
      md.append("| ").append(label).append(" | n/a | | |\n");
      return;
    }
    String u = s.path("unit").asText();
    md.append("| ")
        .append(label)
        .append(" | ")
        .append(num(s.path("median").asDouble()))
        .append(' ')
        .append(u)
        .append(" | ")
        .append(num(s.path("min").asDouble()))
        .append(" | ")
        .append(num(s.path("max").asDouble()))
        .append(" |\n");
  }
}
