package dev.sympaappliance.bench;

import static dev.sympaappliance.bench.Format.cell;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The report's section "Distribution" ({@link DistributionBenchmark}): one row per setup, the
 * ratios, one-click unsubscribe and what DKIM signing costs.
 */
final class DistributionReport {
  private DistributionReport() {}

  /** Appends the section "Distribution" of the distribution results D to MD. */
  static void write(StringBuilder md, JsonNode d) {
    md.append("\n## 8. Distribution\n\n");
    md.append("One post from a member to a list of ")
        .append(d.path("members").asInt())
        .append(" members over ")
        .append(d.path("domains").asInt())
        .append(" domains; the relay host is an smtp-sink on the same Docker network. Time from")
        .append(
            " the post's SMTP 250 to the sink's acceptance of the last recipient (X-Rcpt-Args lines in the dumps of")
        .append(
            " the post's messages; the newest dump's time). Members are written into Sympa's database with sqlite3")
        .append(" before the post. Mailman 2's published figure: ")
        .append(d.path("mailman2_rcpt_per_s").asInt())
        .append(
            " recipients/s (FAQ 4.12, without VERP).\n\n| setup | seconds | recipients/s | SMTP transactions |\n"
                + "| --- | --- | --- | --- |\n");
    distributionRow(
        md,
        "as built (nrcpt 2500, avg 2500, maxsmtp 1, bulk_max_count 1;"
            + " up to 1,000 recipients per SMTP transaction, connection cache)",
        d.path("tuned"));
    distributionRow(
        md,
        "Sympa's defaults (nrcpt 25, avg 10, maxsmtp 40, bulk_max_count 3)"
            + " and Postfix's (50 recipients per transaction, no cache)",
        d.path("defaults"));
    distributionRow(
        md,
        "Postfix alone: sendmail in the appliance, packets of 2,500, one at a time",
        d.path("postfix_alone_packets_2500"));
    distributionRow(
        md,
        "Postfix alone: sendmail in the appliance, packets of 25, 13 at a time",
        d.path("postfix_alone_packets_25"));
    distributionRow(
        md, "as built, " + d.path("small_members").asInt() + " members", d.path("tuned_small"));
    distributionRow(
        md,
        "as built with `verp_rate 100%` (one envelope per member), "
            + d.path("verp_members").asInt()
            + " members",
        d.path("tuned_verp"));
    if (d.has("one_click")) {
      distributionRow(
          md,
          "one-click unsubscribe (web at https://, the default there: one signed copy per member), "
              + d.path("small_members").asInt()
              + " members",
          d.path("one_click"));
    }
    if (d.has("postfix_one_recipient_smtp")) {
      distributionRow(
          md,
          "Postfix alone: one-recipient SMTP intake in the one-click appliance, one ~1 KB message"
              + " per member (smtp-source to 127.0.0.1:25, "
              + d.path("postfix_one_recipient_smtp").path("concurrency").asInt()
              + " sessions at a time), "
              + d.path("small_members").asInt()
              + " members",
          d.path("postfix_one_recipient_smtp"));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "\nRatios (medians): as built / Postfix alone in packets of 2,500 = **%s** (target ≥ 0.5);"
                + " / Mailman 2 = **%s**. Memory after the runs (docker stats): %s as built.\n",
            d.path("ratio_tuned_over_postfix_alone_2500").asText(),
            d.path("ratio_tuned_over_mailman2").asText(),
            d.path("tuned_memory_after").asText()));
    if (d.has("defaults")) {
      md.append(
          String.format(
              Locale.ROOT,
              "Comparisons: as built / Postfix alone in Sympa's default packets = %s; / Sympa's"
                  + " and Postfix's defaults = %s, whose memory after the run was %s.\n",
              d.path("ratio_tuned_over_postfix_alone_25").asText(),
              d.path("ratio_tuned_over_defaults").asText(),
              d.path("defaults_memory_after").asText()));
    } else {
      md.append(
          "\nThe comparisons (Sympa's and Postfix's defaults, Postfix alone in packets of 25, the"
              + " as-built rate for the small list, VERP, DKIM's cost) were not run:"
              + " `bench/run.sh --comparisons` adds them.\n");
    }
    if (d.has("tuned_small")) {
      md.append(
          String.format(
              Locale.ROOT,
              "\nOne-click unsubscribe: %s × the as-built rate for the same %d members"
                  + " (medians; copies with List-Unsubscribe-Post at the sink after the last run: %d).\n",
              d.path("ratio_one_click_over_tuned_small").asText(),
              d.path("small_members").asInt(),
              d.path("one_click_headers").asInt()));
    }
    if (d.has("postfix_one_recipient_smtp")) {
      md.append(
          String.format(
              Locale.ROOT,
              "\nOne-click unsubscribe / Postfix's own one-recipient SMTP intake of the same %d"
                  + " messages in the same container = **%s** (medians; target ≥ 0.5).\n",
              d.path("small_members").asInt(),
              d.path("ratio_one_click_over_postfix_one_recipient").asText()));
    }
    JsonNode k = d.path("dkim");
    if (!k.isMissingNode()) {
      md.append(
          String.format(
              Locale.ROOT,
              "\nDKIM signing (Sympa's, Mail::DKIM): one post to the %d-member list took %s ms of"
                  + " the container's CPU signed and %s ms unsigned (`--no-dkim`;"
                  + " medians, cgroup usage from the post to one second"
                  + " after its last recipient), a difference of %s ms. Sympa"
                  + " signs each packet of recipients once (one packet here),"
                  + " not each recipient. One signature alone (RSA 2048, a 1 KB post, %d in a row): %s ms of CPU.\n",
              k.path("members").asInt(),
              k.path("signed_cpu_ms").path("median").asText(),
              k.path("unsigned_cpu_ms").path("median").asText(),
              k.path("signed_minus_unsigned_cpu_ms").asText(),
              k.path("signature_alone").path("signatures").asInt(),
              k.path("signature_alone").path("cpu_ms_per_signature").asText()));
    }
  }

  /** A row of the setup M; none for a comparison that did not run (M missing). */
  private static void distributionRow(StringBuilder md, String label, JsonNode m) {
    if (m.isMissingNode()) {
      return;
    }
    md.append("| ")
        .append(label)
        .append(" | ")
        .append(cell(m.path("seconds")))
        .append(" | ")
        .append(cell(m.path("rcpt_per_s")))
        .append(" | ")
        .append(cell(m.path("smtp_transactions")))
        .append(" |\n");
  }
}
