package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The report's section "Mail intake": one row per intake run of every configuration, the
 * comparisons' set-up, and "Tuning and its cost".
 */
final class IntakeReport {
  private IntakeReport() {}

  /** Appends the section "Mail intake" of the intake results IN to MD. */
  static void write(StringBuilder md, JsonNode in) {
    md.append("\n## 4. Mail intake\n\n").append(in.path("method").asText()).append(".\n\n");
    md.append(
        "| configuration | run | appliance SMTP msgs/s | spool intake msgs/s | in spool / sent |"
            + " bounced | deferred | pipe processes | PSS per pipe | queue processes | PSS per queue |"
            + " container RSS (largest sample) | appliance CPU ms/msg | machine CPU busy |\n");
    md.append(
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (String[] v :
        new String[][] {
          {"runs", "appliance"},
          {"guard_100_runs", "appliance, 100 slots"},
          {"howto_500_runs", "how-to's line, 500 slots"},
          {"howto_runs", "how-to's line, defaults"}
        }) {
      int i = 1;
      for (JsonNode d : in.path(v[0])) {
        JsonNode pm = d.path("process_memory_at_peak");
        md.append("| ")
            .append(v[1])
            .append(" | ")
            .append(i++)
            .append(" | ")
            .append(d.path("smtp_accept_msgs_per_s").asText())
            .append(" | ")
            .append(d.path("spool_intake_msgs_per_s").asText())
            .append(" | ")
            .append(d.path("in_spool").asText())
            .append(" / ")
            .append(d.path("messages").asText())
            .append(" | ")
            .append(d.path("log_bounced").asText())
            .append(" | ")
            .append(d.path("log_deferred").asText())
            .append(" | ")
            .append(pm.path("pipe").path("count").asText("0"))
            .append(" | ")
            .append(pm.path("pipe").path("pss_kib_each").asText("–"))
            .append(" KiB | ")
            .append(pm.path("queue").path("count").asText("0"))
            .append(" | ")
            .append(pm.path("queue").path("pss_kib_each").asText("–"))
            .append(" KiB | ")
            .append(pm.path("container_total_rss_kib").asLong() / 1024)
            .append(" MiB | ")
            .append(d.path("appliance_cpu_ms_per_message").asText("?"))
            .append(" | ")
            .append(d.path("machine_cpu_busy_pct").asText("?"))
            .append("% |\n");
      }
    }
    md.append("\nsmtp-sink, same load generator, per run: ");
    for (JsonNode d : in.path("runs")) {
      md.append(d.path("sink_msgs_per_s").asText()).append(" msgs/s; ");
    }
    if (!in.has("howto_runs")) {
      md.append(
          "\n\nThe comparisons (the how-to's master.cf line, with Postfix's defaults and with 500"
              + " slots; the appliance with 100 slots) were not run: `bench/run.sh --comparisons`"
              + " adds them.\n");
    } else {
      md.append("\n\nThe how-to's line runs ")
          .append(in.path("howto_messages").asText())
          .append(" messages per run (")
          .append("at 20 per second a run of 2000 would take 100 s); the others ")
          .append(in.path("runs").path(0).path("messages").asText())
          .append(
              ". Setup of each comparison, run in a fresh container of the same image before Postfix starts:\n\n");
      for (String v : List.of("howto", "howto_500", "guard_100")) {
        md.append("- `")
            .append(v)
            .append("`: `")
            .append(in.path(v + "_setup").asText())
            .append("`\n");
      }
    }
    tuning(md, in);
  }

  private static void tuning(StringBuilder md, JsonNode in) {
    md.append("\n### Tuning and its cost\n\n");
    md.append(
        "Sympa's `queue` sleeps 1 s after spooling each message, and"
            + " with `sympa_destination_recipient_limit = 1` each list"
            + " address is one destination. Called directly (the how-to's"
            + " line), every delivery holds one of the destination's"
            + " slots for that second, so posts to one list run at most"
            + " *destination concurrency* per second. The appliance's"
            + " spool guard (a static C binary,"
            + " `builder/src/main/resources/dev/sympaappliance/builder/base/spool-guard.c`)"
            + " reports the delivery to Postfix once queue's file is"
            + " in the spool under its final name and leaves queue to"
            + " finish its sleep (PID 1, Postfix's master, reaps it), so a slot is held for milliseconds.\n\n"
            + "| setting | Postfix default | appliance | why |\n| --- | --- | --- | --- |\n"
            + "| `sympa_destination_concurrency_limit` | 20 (`default_destination_concurrency_limit`)"
            + " | unchanged | with the guard, 20 slots keep both cores busy; 100 slots (a comparison,"
            + " `--comparisons`) gain nothing. Raising it instead of releasing the slot early (the how-to's"
            + " line with 500) costs a pipe and a queue process per message in flight |\n"
            + "| `sympa_initial_destination_concurrency` | 5 | unchanged | slow start"
            + " reaches 20 slots after a few dozen deliveries, milliseconds each |\n"
            + "| `sympa` maxproc (master.cf) | `-` = `default_process_limit` 100 |"
            + " unchanged | caps all lists together; ≥ the destination limit |\n"
            + "| `default_process_limit` | 100 | unchanged | governs smtpd"
            + " and the other services; 20 sessions need 20 smtpd |\n"
            + "| `qmgr_message_active_limit` | 20000 | unchanged | a burst of 2000 messages fits |\n"
            + "| `in_flow_delay` | 1s | unchanged | cleanup waits for a token qmgr hands out as it"
            + " admits mail into the active queue; never short here, so it did not slow smtpd |\n"
            + "| `sympabounce` | as above | unchanged | bounces go to"
            + " many distinct addresses, each its own destination |\n\n"
            + "Memory: pipe processes exist only while mail is delivered"
            + " (a pipe exits after `max_idle` 100 s idle); at most 20"
            + " deliver to one destination at a time, and the master keeps a few more idle ones ("
            + (long) maxSample(in.path("runs"), "pipe", "count")
            + " at most in these runs); each released delivery leaves a"
            + " sleeping queue process for up to 1 s, so their number is"
            + " about the intake rate ("
            + (long) maxSample(in.path("runs"), "queue", "count")
            + " at most). The table shows the proportional set size (PSS: shared pages split"
            + " between sharers) per process in the sample with the"
            + " largest container RSS, read from the host's /proc; RSS per"
            + " process is in the JSON.\n");
  }

  /** The largest value at PATH (e.g. "pipe", "count") in the memory samples of RUNS; 0 if none. */
  static double maxSample(JsonNode runs, String... path) {
    double max = 0;
    for (JsonNode d : runs) {
      JsonNode v = d.path("process_memory_at_peak");
      for (String p : path) {
        v = v.path(p);
      }
      max = Math.max(max, v.asDouble(0));
    }
    return max;
  }
}
