package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Start of the full flavour ("start_full", issue 26): the example spec (examples/lists.yaml, with
 * the web interface), from `docker run -d` to Docker's health status "healthy" (the timestamp of
 * the daemon's health_status event), on three new named volumes (first start) and again on the same
 * volumes after removing the container (restart); and the idle memory some seconds after the first
 * start's healthy: the PSS of the container's processes (host /proc smaps_rollup) and `docker
 * stats`.
 */
final class FullStartBenchmark implements Benchmark {
  static final String SPEC = "examples/lists.yaml";
  static final String HOSTNAME = "mx.lists.example.org";

  /** The named volumes of README "Volumes": suffix → mount point. */
  static final Map<String, String> VOLUMES =
      Map.of(
          "postfix", "/var/spool/postfix",
          "spool", "/var/spool/sympa",
          "data", "/var/lib/sympa");

  static final double GOAL_FIRST_START_S = 8;
  static final double GOAL_RESTART_S = 3;
  static final double GOAL_IDLE_MIB = 350;
  static final int HEALTHY_TIMEOUT_S = 180;

  @Override
  public String name() {
    return "start of the full flavour (example spec, web) to healthy; restart; idle memory";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    boolean smoke = ctx.settings.smoke();
    int runs = smoke ? 1 : 5;
    int idleSeconds = smoke ? 10 : 30;
    ObjectNode out = results.putObject("start_full");
    out.put("spec", SPEC);
    out.put("runs", runs);
    ObjectNode goals = out.putObject("goals");
    goals.put("first_start_s", GOAL_FIRST_START_S);
    goals.put("restart_s", GOAL_RESTART_S);
    goals.put("idle_pss_mib", GOAL_IDLE_MIB);

    String image =
        DistributionBenchmark.build(
            ctx, "start-full", List.of("--spec", Path.of(SPEC).toAbsolutePath().toString()));
    out.put(
        "image_mib",
        Stats.round(Long.parseLong(ctx.docker.inspectImage(image, "{{.Size}}")) / 1048576.0, 1));

    List<Double> first = new ArrayList<>();
    List<Double> restart = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      List<String> volumes = new ArrayList<>();
      try {
        List<String> opts =
            new ArrayList<>(List.of("--network", ctx.network(), "--hostname", HOSTNAME));
        for (var v : VOLUMES.entrySet()) {
          String vol = ctx.docker.prefix() + "-startfull" + i + "-" + v.getKey();
          Processes.run(List.of("docker", "volume", "create", "--label", ctx.docker.label(), vol));
          volumes.add(vol);
          opts.addAll(List.of("-v", vol + ":" + v.getValue()));
        }
        opts.add(image);
        String name = ctx.docker.prefix() + "-startfull" + i;
        first.add(runToHealthy(ctx, name, opts));
        if (i == 0) {
          Thread.sleep(idleSeconds * 1000L);
          out.set("idle_memory", idleMemory(ctx, name, idleSeconds));
        }
        ctx.docker.remove(name);
        restart.add(runToHealthy(ctx, name, opts));
        ctx.docker.remove(name);
        Log.info(
            String.format(
                "  run %d: first start %.2f s, restart %.2f s", i, first.get(i), restart.get(i)));
      } finally {
        for (String v : volumes) {
          Processes.tryRun(List.of("docker", "volume", "rm", "-f", v));
        }
      }
    }
    out.set("first_start_to_healthy_s", Stats.node(first, "s"));
    out.set("restart_to_healthy_s", Stats.node(restart, "s"));
    ObjectNode met = out.putObject("meets_goals");
    met.put("first_start", Stats.median(first) <= GOAL_FIRST_START_S);
    met.put("restart", Stats.median(restart) <= GOAL_RESTART_S);
    JsonNode idle = out.path("idle_memory").path("total_pss_mib");
    met.put("idle_memory", idle.isNumber() && idle.asDouble() <= GOAL_IDLE_MIB);
    out.put(
        "method",
        "wall time from invoking `docker run -d` (the host clock) to the timestamp (timeNano) of"
            + " the daemon's `health_status: healthy` event for the container, read from `docker"
            + " events`; first start on three new named volumes (/var/spool/postfix,"
            + " /var/spool/sympa, /var/lib/sympa), restart: the container removed and `docker run`"
            + " again on the same volumes; median of the runs. Idle memory "
            + idleSeconds
            + " s after the first start's healthy: the sum of Pss of /proc/PID/smaps_rollup over"
            + " the processes of the container's memory cgroup, read on the host, and `docker"
            + " stats --no-stream`");
    Log.info(
        String.format(
            "  full start median %.2f s, restart median %.2f s, idle PSS %s MiB",
            Stats.median(first), Stats.median(restart), idle.asText()));
  }

  /**
   * `docker run -d --name NAME OPTS…` (OPTS ending with the image), seconds from the invocation to
   * the daemon's health_status: healthy event of the container.
   */
  private static double runToHealthy(BenchContext ctx, String name, List<String> opts)
      throws Exception {
    Process events =
        new ProcessBuilder(
                "docker",
                "events",
                "--filter",
                "container=" + name,
                "--filter",
                "event=health_status",
                "--format",
                "{{.Status}} {{.TimeNano}}")
            .redirectErrorStream(true)
            .start();
    events.getOutputStream().close();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  lines.add(l);
                }
              } catch (Exception ignored) {
                // the process was ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      Thread.sleep(300); // `docker events` subscribed before the container exists
      Instant t0 = Instant.now();
      ctx.docker.runDetached(name, opts);
      long deadline = System.nanoTime() + HEALTHY_TIMEOUT_S * 1_000_000_000L;
      while (System.nanoTime() < deadline) {
        String l = lines.poll(500, TimeUnit.MILLISECONDS);
        if (l == null) {
          continue;
        }
        if (l.startsWith("health_status: healthy ")) {
          long end = Long.parseLong(l.substring(l.lastIndexOf(' ') + 1).trim());
          long start = t0.getEpochSecond() * 1_000_000_000L + t0.getNano();
          return (end - start) / 1e9;
        }
      }
      throw new IllegalStateException(
          name + " not healthy after " + HEALTHY_TIMEOUT_S + " s: " + String.join("; ", lines));
    } finally {
      events.destroy();
    }
  }

  /** The container's memory now: total PSS, per command PSS (MiB) and count, `docker stats`. */
  private static ObjectNode idleMemory(BenchContext ctx, String name, int idleSeconds)
      throws Exception {
    ObjectNode o = Results.newRoot();
    o.put("after_healthy_s", idleSeconds);
    ContainerMetrics m = ContainerMetrics.of(ctx.docker, name);
    if (m.hasMemory()) {
      ObjectNode procs = m.sampleProcesses();
      long totalKib = 0;
      int count = 0;
      ObjectNode table = o.putObject("pss_mib_by_process");
      ObjectNode counts = o.putObject("count_by_process");
      for (Iterator<Map.Entry<String, JsonNode>> it = procs.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getValue().isObject()) {
          continue;
        }
        long pss = e.getValue().path("pss_kib").asLong();
        totalKib += pss;
        count += e.getValue().path("count").asInt();
        table.put(e.getKey(), Stats.round(pss / 1024.0, 1));
        counts.put(e.getKey(), e.getValue().path("count").asInt());
      }
      o.put("total_pss_mib", Stats.round(totalKib / 1024.0, 1));
      o.put("processes", count);
      o.put("cgroup_total_rss_mib", Stats.round(m.totalRssKib() / 1024.0, 1));
    }
    String usage =
        Processes.run(List.of("docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", name))
            .out()
            .trim();
    o.put(
        "docker_stats_mem_usage",
        usage.contains(" / ") ? usage.substring(0, usage.indexOf(" / ")) : usage);
    return o;
  }
}
