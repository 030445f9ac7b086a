package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One burst into a running appliance: smtp-source sends N messages to the list from a container on
 * the same network, then the wait until the spool holds them; its CPU, memory and Postfix's log
 * outcomes go into one "runs" entry.
 */
final class IntakeBurst {
  /**
   * smtp-source's [start, end] (epoch s, stamped inside its container), the last spool file's
   * mtime, the count.
   */
  record Outcome(double[] source, double lastFile, int count) {
    double acceptRate(int n) {
      return n / (source[1] - source[0]);
    }

    double spoolRate(int n) {
      return n / (lastFile - source[0]);
    }
  }

  private IntakeBurst() {}

  static Outcome measure(BenchContext ctx, String app, String image, int n, ObjectNode d)
      throws Exception {
    MsgSpool spool = new MsgSpool(ctx.docker, app);
    ContainerMetrics metrics = ContainerMetrics.of(ctx.docker, app);
    d.put("idle_container_rss_kib", metrics.hasMemory() ? metrics.totalRssKib() : -1);
    PeakMemorySampler sampler = new PeakMemorySampler(metrics);
    if (metrics.hasMemory()) {
      sampler.start();
    }
    long cpu0 = metrics.cpuNanos();
    long[] host0 = ProcFs.cpuJiffies();
    double[] source = smtpSource(ctx, image, "app", n, ctx.settings.sessions());
    long deadline = System.nanoTime() + 180_000_000_000L;
    int count = 0;
    while (System.nanoTime() < deadline) {
      count = spool.count();
      if (count >= n) {
        break;
      }
      Thread.sleep(100);
    }
    long cpu1 = metrics.cpuNanos();
    long[] host1 = ProcFs.cpuJiffies();
    if (metrics.hasMemory()) {
      sampler.stop();
    }
    if (cpu0 >= 0 && cpu1 >= 0) {
      // CPU time of the appliance's container (all its processes) per message, and how busy the
      // whole machine was meanwhile (100% = every core busy).
      d.put("appliance_cpu_ms_per_message", Stats.round((cpu1 - cpu0) / 1e6 / n, 3));
    }
    if (host0 != null && host1 != null && host1[1] > host0[1]) {
      d.put(
          "machine_cpu_busy_pct",
          Stats.round(100.0 * (host1[0] - host0[0]) / (host1[1] - host0[1]), 1));
    }
    // pipe(8) logs a delivery when queue exits, after its 1 s sleep: wait for an empty Postfix
    // queue
    // before counting the log's outcomes.
    boolean queueEmpty = false;
    for (int k = 0; k < 100 && !queueEmpty; k++) {
      queueEmpty =
          Processes.tryRun(List.of("docker", "exec", app, "postqueue", "-p"))
              .out()
              .contains("Mail queue is empty");
      if (!queueEmpty) {
        Thread.sleep(200);
      }
    }
    d.put("postfix_queue_empty_after", queueEmpty);
    Map<String, Double> mtimes = spool.mtimes();
    double last = mtimes.values().stream().mapToDouble(x -> x).max().orElse(Double.NaN);
    String logs = Processes.tryRun(List.of("docker", "logs", app)).out();
    d.put("messages", n);
    d.put("in_spool", count);
    d.put("lost", n - count);
    d.put("smtp_source_s", Stats.round(source[1] - source[0], 3));
    d.put("spool_complete_s", Stats.round(last - source[0], 3));
    d.put("log_delivered_to_sympa", countLines(logs, "relay=sympa, .*status=sent"));
    d.put("log_bounced", countLines(logs, "status=bounced"));
    d.put("log_deferred", countLines(logs, "status=deferred"));
    if (metrics.hasMemory()) {
      d.put("peak_container_memory_kib", metrics.peakMemoryKib());
      d.set("process_memory_at_peak", sampler.peak());
    }
    return new Outcome(source, last, count);
  }

  /**
   * smtp-source in a container of IMAGE against HOST:25; returns [start, end] epoch seconds,
   * stamped inside.
   */
  static double[] smtpSource(BenchContext ctx, String image, String host, int n, int sessions)
      throws Exception {
    String script =
        "date +%s.%N; smtp-source -d -s "
            + sessions
            + " -m "
            + n
            + " -l "
            + Settings.MESSAGE_BODY_BYTES
            + " -f "
            + SmtpClient.SENDER
            + " -t "
            + Appliance.LIST_ADDRESS
            + " "
            + host
            + ":25; rc=$?; date +%s.%N; exit $rc";
    String out =
        ctx.docker.runOnce(
            List.of("--network", ctx.network(), "--entrypoint", "sh", image, "-c", script));
    String[] lines = out.trim().split("\n");
    return new double[] {
      Double.parseDouble(lines[0].trim()), Double.parseDouble(lines[lines.length - 1].trim())
    };
  }

  private static int countLines(String text, String regex) {
    Pattern p = Pattern.compile(regex);
    int n = 0;
    for (String l : text.split("\n")) {
      if (p.matcher(l).find()) {
        n++;
      }
    }
    return n;
  }
}
