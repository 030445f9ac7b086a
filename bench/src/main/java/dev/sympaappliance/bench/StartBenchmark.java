package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Start time ("start"): from `docker run -d` to the 220 banner on port 25. */
final class StartBenchmark implements Benchmark {
  @Override
  public String name() {
    return "start";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    String image = ctx.appliance();
    ObjectNode out = results.putObject("start");
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < ctx.settings.startRuns(); i++) {
      long t0 = System.nanoTime();
      String name =
          ctx.docker.runDetached(
              ctx.docker.prefix() + "-start" + i,
              List.of("--network", ctx.network(), "--hostname", Appliance.HOSTNAME, image));
      SmtpClient.awaitBanner(ctx.docker.ip(name, ctx.network()), 30);
      times.add((System.nanoTime() - t0) / 1e9);
      ctx.docker.remove(name);
    }
    out.set("to_220_s", Stats.node(times, "s"));
    out.put(
        "method",
        "wall time from invoking `docker run -d` to reading the 220 banner on port 25"
            + " (host connects to the container's address every 10 ms)");
    Log.info("  start median " + Stats.median(times) + " s");
  }
}
