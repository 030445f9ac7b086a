package dev.sympaappliance.bench;

import static dev.sympaappliance.bench.Format.mb;
import static dev.sympaappliance.bench.Format.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The report's "What limited each figure": one bullet per figure, with the numbers of the results.
 */
final class Limits {
  private Limits() {}

  static String text(JsonNode r) {
    JsonNode b = r.path("build");
    JsonNode in = r.path("intake");
    StringBuilder t = new StringBuilder();
    for (String flavour : java.util.List.of("tools", "full")) {
      JsonNode rb = r.path("rebuild").path(flavour);
      JsonNode api = rb.path("breakdown_median_s").path("in_jvm");
      JsonNode cli = rb.path("breakdown_median_s").path("cli_bin_builder");
      t.append(
          String.format(
              Locale.ROOT,
              "- **Config-only rebuild, %s flavour**: `docker build` %s s; the builder's API in a running"
                  + " JVM %s s (ratio %s), of which the load into the daemon"
                  + " %s s (the daemon registering the new layer and image;"
                  + " the archive sent leaves the base's layers out); `bin/builder`"
                  + " %s s (ratio %s), of which JVM start %s s and the load"
                  + " %s s (Jib writing the archive in a cold JVM, reading and"
                  + " hashing the cached base layer it then drops); `java -jar` %s s;"
                  + " the way before (docker CLI, base unpacked from its archive, every layer sent) %s s.\n",
              flavour,
              num(rb.path("docker_build_s").path("median").asDouble()),
              num(rb.path("in_jvm_s").path("median").asDouble()),
              num(rb.path("ratio_in_jvm_over_docker_build").path("median").asDouble()),
              num(api.path("load").asDouble()),
              num(rb.path("cli_bin_builder_s").path("median").asDouble()),
              num(rb.path("ratio_cli_bin_builder_over_docker_build").path("median").asDouble()),
              num(cli.path("jvm").asDouble()),
              num(cli.path("load").asDouble()),
              num(rb.path("cli_java_jar_s").path("median").asDouble()),
              num(rb.path("cli_before_s").path("median").asDouble())));
    }
    JsonNode dist = r.path("distribution");
    t.append(
        String.format(
            Locale.ROOT,
            "- **Distribution**: as built, Sympa hands Postfix packets of 2,500 without sleeping"
                + " (%s recipients/s); what is left is Postfix's work per message and recipient,"
                + " Docker writing Postfix's log, and Sympa's two spool polls (sleep 1). Postfix"
                + " alone with the same packets: %s recipients/s.",
            num(dist.path("tuned").path("rcpt_per_s").path("median").asDouble()),
            num(
                dist.path("postfix_alone_packets_2500")
                    .path("rcpt_per_s")
                    .path("median")
                    .asDouble())));
    if (dist.has("defaults")) {
      t.append(
          String.format(
              Locale.ROOT,
              " With Sympa's defaults bulk.pl sleeps 0.3 s after nearly every sendmail call (while"
                  + " fewer than maxsmtp / bulk_max_count = 13 calls run) and hands Postfix one"
                  + " packet of 25 at a time: %s recipients/s. Postfix alone with 25-recipient"
                  + " packets: %s, its cost being mostly per message (sendmail, postdrop, pickup,"
                  + " cleanup, qmgr, smtp: tens of ms of CPU each here). VERP sends one envelope"
                  + " per member: %s recipients/s.",
              num(dist.path("defaults").path("rcpt_per_s").path("median").asDouble()),
              num(
                  dist.path("postfix_alone_packets_25")
                      .path("rcpt_per_s")
                      .path("median")
                      .asDouble()),
              num(dist.path("tuned_verp").path("rcpt_per_s").path("median").asDouble())));
    }
    t.append('\n');
    if (dist.has("postfix_one_recipient_smtp")) {
      t.append(
          String.format(
              Locale.ROOT,
              "- **One copy per member** (one-click unsubscribe, %d members): %s recipients/s;"
                  + " Postfix's own one-recipient SMTP intake of as many ~1 KB messages in the same"
                  + " container (smtp-source, one session per message, %d at a time): %s"
                  + " recipients/s, ratio %s (target ≥ 0.5). Each copy is a message of its own to"
                  + " Postfix (smtpd, cleanup, qmgr, smtp), whoever submits it; Sympa's part is"
                  + " making and signing each copy.\n",
              dist.path("small_members").asInt(),
              num(dist.path("one_click").path("rcpt_per_s").path("median").asDouble()),
              dist.path("postfix_one_recipient_smtp").path("concurrency").asInt(),
              num(
                  dist.path("postfix_one_recipient_smtp")
                      .path("rcpt_per_s")
                      .path("median")
                      .asDouble()),
              dist.path("ratio_one_click_over_postfix_one_recipient").asText()));
    }
    t.append(
        String.format(
            Locale.ROOT,
            "- **Cold build**: mmdebstrap (package download and installation; the log of every"
                + " build is in its cache dir) dominates; the build with the base"
                + " cached (%s s) is Jib compressing the %s base layer once.\n",
            num(b.path("base_cached_s").path("median").asDouble()),
            mb(b.path("base_archive_bytes").asLong())));
    JsonNode runs = in.path("runs");
    JsonNode howto500 = in.path("howto_500_runs");
    double busy = 0, cpu = 0;
    int k = 0;
    for (JsonNode d : runs) {
      busy += d.path("machine_cpu_busy_pct").asDouble();
      cpu += d.path("appliance_cpu_ms_per_message").asDouble();
      k++;
    }
    double hCpu = 0;
    int h = 0;
    for (JsonNode d : howto500) {
      hCpu += d.path("appliance_cpu_ms_per_message").asDouble();
      h++;
    }
    double pipes = IntakeReport.maxSample(runs, "pipe", "count"),
        queues = IntakeReport.maxSample(runs, "queue", "count");
    double aRss = IntakeReport.maxSample(runs, "container_total_rss_kib");
    double hPipes = IntakeReport.maxSample(howto500, "pipe", "count"),
        hRss = IntakeReport.maxSample(howto500, "container_total_rss_kib");
    if (k > 0) {
      t.append(
          String.format(
              Locale.ROOT,
              "- **Spool intake (appliance)**: the CPU. The machine was %.0f%% busy (both cores) during the"
                  + " intake runs (mean); the appliance spent %.1f ms of CPU"
                  + " per message (smtpd, cleanup, qmgr, pipe, the spool guard,"
                  + " queue), with at most %.0f pipe processes and %.0f sleeping"
                  + " queue processes at once (container RSS %.0f MiB at"
                  + " most).%s The load generator and dockerd's log handling"
                  + " share the same 2 cores. Target intake/acceptance ≥ 0.5: median %s → %s.\n",
              busy / k,
              cpu / k,
              pipes,
              queues,
              aRss / 1024,
              in.has("guard_100_runs")
                  ? " More slots do not help: with 100 the intake is "
                      + num(in.path("guard_100_spool_intake_msgs_per_s").path("median").asDouble())
                      + " msgs/s."
                  : "",
              num(in.path("ratio_intake_to_accept").path("median").asDouble()),
              in.path("target_met").asBoolean() ? "**met**" : "**not met** on this machine"));
    }
    if (h > 0) {
      t.append(
          String.format(
              Locale.ROOT,
              "- **How-to's line with 500 slots** (this appliance's earlier tuning): %s msgs/s, ratio %s;"
                  + " %.1f ms of CPU per message (a pipe process held per"
                  + " delivery for queue's 1 s sleep: up to %.0f at once,"
                  + " container RSS up to %.0f MiB).\n",
              num(in.path("howto_500_spool_intake_msgs_per_s").path("median").asDouble()),
              num(in.path("howto_500_ratio_intake_to_accept").path("median").asDouble()),
              hCpu / h,
              hPipes,
              hRss / 1024));
    }
    if (in.has("howto_runs")) {
      t.append(
          String.format(
              Locale.ROOT,
              "- **How-to's line, Postfix defaults**: %s msgs/s = destination concurrency 20 / (1 s"
                  + " sleep of queue + overhead).\n",
              num(in.path("howto_spool_intake_msgs_per_s").path("median").asDouble())));
    }
    t.append(
        "- **SMTP acceptance vs smtp-sink**: smtp-sink discards"
            + " after the reply; the appliance runs smtpd + cleanup, which"
            + " writes and fsyncs a queue file per message, while the deliveries compete for the same CPU.\n");
    t.append(
        "- **Latency, light load**: the queue manager starts the"
            + " delivery when cleanup has committed the message, before"
            + " the client has read the 250, so the file often appears"
            + " within the kernel's file-time granularity (a few ms) of the"
            + " reply (values can be slightly negative). **Saturating load**:"
            + " offered faster than the spool intake, messages queue;"
            + " p99 ≈ the backlog / intake rate.\n");
    t.append(
        "- **Start time**: container creation plus the entrypoint (newaliases, postfix check) and Postfix's start.\n");
    t.append(
        "- **Image size**: /usr/lib/x86_64-linux-gnu (shared libraries of Postfix, apt, perl-base…) is most of it.\n");
    return t.toString();
  }
}
