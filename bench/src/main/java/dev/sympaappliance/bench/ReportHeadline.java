package dev.sympaappliance.bench;

import static dev.sympaappliance.bench.Format.mb;
import static dev.sympaappliance.bench.Format.row;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The report's "Headline": one table row per main figure of every benchmark. */
final class ReportHeadline {
  private ReportHeadline() {}

  /** Appends the section "Headline" of the results R to MD. */
  static void write(StringBuilder md, JsonNode r) {
    JsonNode b = r.path("build");
    JsonNode in = r.path("intake");
    JsonNode lat = r.path("latency");
    JsonNode size = r.path("image_size");
    md.append("\n## Headline\n\n| figure | median | min | max |\n| --- | --- | --- | --- |\n");
    for (String flavour : List.of("tools", "full")) {
      JsonNode rb = r.path("rebuild").path(flavour);
      row(
          md,
          "config-only rebuild, " + flavour + ", `docker build` (render not counted)",
          rb.path("docker_build_s"));
      row(
          md,
          "config-only rebuild, " + flavour + ", builder API in a running JVM",
          rb.path("in_jvm_s"));
      row(
          md,
          "config-only rebuild, " + flavour + ", `bin/builder` (whole process)",
          rb.path("cli_bin_builder_s"));
      row(
          md,
          "config-only rebuild, " + flavour + ", `java -jar` (whole process)",
          rb.path("cli_java_jar_s"));
      row(
          md,
          "config-only rebuild, " + flavour + ", `java -jar` as before (docker CLI, whole archive)",
          rb.path("cli_before_s"));
      row(
          md,
          "  ratio builder API / docker build (target < 1)",
          rb.path("ratio_in_jvm_over_docker_build"));
      row(
          md,
          "  ratio `bin/builder` / docker build (target ≤ 1)",
          rb.path("ratio_cli_bin_builder_over_docker_build"));
    }
    row(md, "JVM start (`java -jar builder.jar --version`)", b.path("builder_jvm_start_s"));
    row(
        md,
        "config-only rebuild, builder, `--output tar` (no docker load)",
        b.path("config_only_builder_to_tar_s"));
    row(md, "build with the base cached (empty Jib cache)", b.path("base_cached_s"));
    row(md, "cold build (mmdebstrap from nothing)", b.path("cold_s"));
    row(md, "smtp-sink (the SMTP path's limit)", in.path("smtp_sink_msgs_per_s"));
    row(md, "appliance SMTP acceptance", in.path("smtp_accept_msgs_per_s"));
    row(md, "spool intake, one list, appliance", in.path("spool_intake_msgs_per_s"));
    row(md, "spool intake / SMTP acceptance (target ≥ 0.5)", in.path("ratio_intake_to_accept"));
    row(md, "spool intake / smtp-sink", in.path("ratio_intake_to_sink"));
    row(md, "SMTP acceptance / smtp-sink", in.path("ratio_accept_to_sink"));
    if (in.has("howto_runs")) { // comparisons
      row(
          md,
          "baseline: spool intake, how-to's master.cf line, Postfix defaults",
          in.path("howto_spool_intake_msgs_per_s"));
      row(
          md,
          "comparison: spool intake, how-to's line, 500 slots",
          in.path("howto_500_spool_intake_msgs_per_s"));
      row(
          md,
          "comparison: intake / acceptance, how-to's line, 500 slots",
          in.path("howto_500_ratio_intake_to_accept"));
      row(
          md,
          "comparison: spool intake, appliance with 100 slots",
          in.path("guard_100_spool_intake_msgs_per_s"));
      row(
          md,
          "comparison: intake / acceptance, appliance with 100 slots",
          in.path("guard_100_ratio_intake_to_accept"));
    }
    for (String load : Report.LOADS) {
      for (String p : Report.PERCENTILES) {
        row(md, "latency " + p + ", " + load + " load", lat.path(load).path(p + "_ms"));
      }
    }
    row(md, "start: `docker run` to 220", r.path("start").path("to_220_s"));
    JsonNode full = r.path("start_full");
    if (!full.isMissingNode()) {
      row(
          md,
          "full flavour (example spec, web): `docker run` to healthy, new volumes (goal ≤ 8 s)",
          full.path("first_start_to_healthy_s"));
      row(
          md,
          "full flavour: `docker run` to healthy on the same volumes (goal ≤ 3 s)",
          full.path("restart_to_healthy_s"));
      md.append("| full flavour: idle memory, PSS of the container's processes (goal ≤ 350 MiB) | ")
          .append(full.path("idle_memory").path("total_pss_mib").asText("n/a"))
          .append(" MiB | | |\n");
    }
    JsonNode d = r.path("distribution");
    int members = d.path("members").asInt();
    row(
        md,
        "distribution, " + members + " members, full flavour as built (recipients/s)",
        d.path("tuned").path("rcpt_per_s"));
    if (d.has("defaults")) { // comparison
      row(
          md,
          "distribution, " + members + " members, Sympa's and Postfix's defaults (recipients/s)",
          d.path("defaults").path("rcpt_per_s"));
    }
    row(
        md,
        "Postfix alone, " + members + " recipients in packets of 2,500 (recipients/s)",
        d.path("postfix_alone_packets_2500").path("rcpt_per_s"));
    if (d.has("postfix_alone_packets_25")) { // comparison
      row(
          md,
          "Postfix alone, " + members + " recipients in packets of 25, 13 at a time (recipients/s)",
          d.path("postfix_alone_packets_25").path("rcpt_per_s"));
    }
    int small = d.path("small_members").asInt();
    row(
        md,
        "distribution, "
            + small
            + " members, one-click unsubscribe: a copy per member (recipients/s)",
        d.path("one_click").path("rcpt_per_s"));
    row(
        md,
        "Postfix alone, " + small + " one-recipient messages over SMTP (recipients/s)",
        d.path("postfix_one_recipient_smtp").path("rcpt_per_s"));
    md.append("| one-click / Postfix's one-recipient SMTP intake (target ≥ 0.5) | ")
        .append(d.path("ratio_one_click_over_postfix_one_recipient").asText("n/a"))
        .append(" | | |\n");
    md.append("| image size, uncompressed | ")
        .append(mb(size.path("uncompressed_bytes").asLong()))
        .append(" | | |\n");
    md.append("| image size, `docker save \\| gzip` | ")
        .append(mb(size.path("compressed_bytes").asLong()))
        .append(" | | |\n");
  }
}
