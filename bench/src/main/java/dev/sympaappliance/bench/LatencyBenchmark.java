package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Latency ("latency"): from the 250 reply to the end of DATA (host's SMTP client) to the message's
 * file in Sympa's spool, under a light load and a saturating one.
 */
final class LatencyBenchmark implements Benchmark {
  /** The figures per run: percentile name -> percent. */
  private static final Map<String, Double> PERCENTILES = new LinkedHashMap<>();

  static {
    PERCENTILES.put("p50", 50.0);
    PERCENTILES.put("p95", 95.0);
    PERCENTILES.put("p99", 99.0);
    PERCENTILES.put("max", 100.0);
  }

  @Override
  public String name() {
    return "latency";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    String image = ctx.appliance();
    ObjectNode out = results.putObject("latency");
    Settings s = ctx.settings;
    load(
        ctx,
        out.putObject("light"),
        image,
        "light",
        s.lightMessages(),
        1,
        Settings.LIGHT_INTERVAL_MS);
    load(
        ctx,
        out.putObject("saturating"),
        image,
        "saturating",
        s.saturatingMessages(),
        s.sessions(),
        0);
    out.put(
        "method",
        "a Java SMTP client on the host (the bench module's SmtpClient, on Apache Commons Net)"
            + " stamps the 250 reply to the end of DATA;"
            + " the spool file's mtime (read after the run) is the appearance; messages matched by Message-ID."
            + " light: 1 session, one message every "
            + Settings.LIGHT_INTERVAL_MS
            + " ms; saturating: "
            + s.sessions()
            + " sessions sending back to back");
  }

  private static void load(
      BenchContext ctx,
      ObjectNode o,
      String image,
      String load,
      int n,
      int sessions,
      long intervalMs)
      throws Exception {
    Map<String, List<Double>> ps = new LinkedHashMap<>();
    PERCENTILES.keySet().forEach(p -> ps.put(p, new ArrayList<>()));
    List<Double> rates = new ArrayList<>();
    ArrayNode details = o.putArray("runs");
    for (int i = 0; i < ctx.settings.runs(); i++) {
      String app = ctx.docker.startAppliance(image, ctx.network(), "app", List.of());
      String ip = ctx.docker.ip(app, ctx.network());
      Map<String, Double> accepted = new ConcurrentHashMap<>();
      long t0 = System.nanoTime();
      SmtpClient.send(
          ip,
          Appliance.LIST_ADDRESS,
          n,
          sessions,
          intervalMs,
          "lat" + i + load.charAt(0) + "-" + ctx.runId,
          accepted);
      double sendS = (System.nanoTime() - t0) / 1e9;
      long deadline = System.nanoTime() + 120_000_000_000L;
      MsgSpool spool = new MsgSpool(ctx.docker, app);
      while (spool.count() < accepted.size() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Map<String, Double> byId = spool.messageIdTimes();
      List<Double> lat = new ArrayList<>();
      for (var e : accepted.entrySet()) {
        Double seen = byId.get(e.getKey());
        if (seen != null) {
          lat.add(
              (seen - e.getValue())
                  * 1000); // may be < 0: delivery starts before the client reads 250
        }
      }
      Collections.sort(lat);
      ObjectNode d = details.addObject();
      d.put("sent", n);
      d.put("accepted", accepted.size());
      d.put("matched_in_spool", lat.size());
      d.put("send_rate_msgs_per_s", Stats.round(accepted.size() / sendS, 1));
      rates.add(accepted.size() / sendS);
      for (var p : ps.entrySet()) {
        double v = Stats.percentile(lat, PERCENTILES.get(p.getKey()));
        p.getValue().add(v);
        d.put(p.getKey() + "_ms", Stats.round(v, 1));
      }
      Log.info(
          String.format(
              "  latency %s run %d: p50 %.0f ms, p99 %.0f ms (%d/%d matched, %.0f msgs/s offered)",
              load,
              i + 1,
              Stats.percentile(lat, 50),
              Stats.percentile(lat, 99),
              lat.size(),
              n,
              accepted.size() / sendS));
      ctx.docker.remove(app);
    }
    for (var p : ps.entrySet()) {
      o.set(p.getKey() + "_ms", Stats.node(p.getValue(), "ms"));
    }
    o.set("offered_msgs_per_s", Stats.node(rates, "msgs/s"));
  }
}
