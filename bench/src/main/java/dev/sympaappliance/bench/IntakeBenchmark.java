package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Mail intake ("intake"): the SMTP path's limit (smtp-source against smtp-sink), the appliance's
 * SMTP acceptance and spool intake of one burst to one list, then the same burst on variants of the
 * appliance's Postfix configuration, each in a fresh container of the same image (comparisons,
 * {@link Settings#comparisons()}).
 */
final class IntakeBenchmark implements Benchmark {
  /** pipe(8) running Sympa's queue directly, as in Sympa's Postfix how-to. */
  static final String HOWTO_SYMPA_COMMAND =
      "sympa/unix/command=pipe flags=R user=sympa argv=/usr/lib/sympa/bin/queue ${recipient}";

  @Override
  public String name() {
    return "intake";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    String image = ctx.appliance();
    ObjectNode out = results.putObject("intake");
    int n = ctx.settings.intakeMessages();
    appliance(ctx, out, image, n);
    if (!ctx.settings.comparisons()) {
      return;
    }
    // The how-to's master.cf line (queue called directly; Postfix's default concurrency 20,
    // initial 5, maxproc 100), whose 1 s sleep per delivery holds a slot for that second.
    variant(
        ctx,
        out,
        image,
        "howto",
        "how-to's master.cf line",
        ctx.settings.baselineMessages(),
        "postconf -F '" + HOWTO_SYMPA_COMMAND + "'");
    // The same line with the slots raised to 500 (this appliance's earlier tuning): what
    // concurrency alone buys, and its memory.
    variant(
        ctx,
        out,
        image,
        "howto_500",
        "how-to's line, concurrency 500",
        n,
        "postconf -F '"
            + HOWTO_SYMPA_COMMAND
            + "'"
            + " && postconf -F sympa/unix/process_limit=500"
            + " && postconf -e sympa_destination_concurrency_limit=500 sympa_initial_destination_concurrency=500");
    // The appliance with 100 slots instead of 20: whether more slots gain anything.
    variant(
        ctx,
        out,
        image,
        "guard_100",
        "appliance, concurrency 100",
        n,
        "postconf -F sympa/unix/process_limit=100"
            + " && postconf -e sympa_destination_concurrency_limit=100 sympa_initial_destination_concurrency=100");
  }

  /** The appliance as built, each run beside smtp-sink's rate with the same load generator. */
  private static void appliance(BenchContext ctx, ObjectNode out, String image, int n)
      throws Exception {
    List<Double> sink = new ArrayList<>();
    List<Double> accept = new ArrayList<>();
    List<Double> spool = new ArrayList<>();
    List<Double> intakeVsAccept = new ArrayList<>();
    List<Double> intakeVsSink = new ArrayList<>();
    List<Double> acceptVsSink = new ArrayList<>();
    ArrayNode details = out.putArray("runs");
    for (int i = 0; i < ctx.settings.runs(); i++) {
      double sinkRate = sinkRate(ctx, image, n);
      String app = ctx.docker.startAppliance(image, ctx.network(), "app", List.of());
      ObjectNode d = details.addObject();
      IntakeBurst.Outcome r = IntakeBurst.measure(ctx, app, image, n, d);
      double acceptRate = r.acceptRate(n);
      double spoolRate = r.spoolRate(n);
      sink.add(sinkRate);
      accept.add(acceptRate);
      spool.add(spoolRate);
      intakeVsAccept.add(spoolRate / acceptRate);
      intakeVsSink.add(spoolRate / sinkRate);
      acceptVsSink.add(acceptRate / sinkRate);
      d.put("sink_msgs_per_s", Stats.round(sinkRate, 1));
      d.put("smtp_accept_msgs_per_s", Stats.round(acceptRate, 1));
      d.put("spool_intake_msgs_per_s", Stats.round(spoolRate, 1));
      Log.info(
          String.format(
              "  intake run %d: sink %.0f/s, appliance SMTP %.0f/s, spool %.0f/s, lost %d",
              i + 1, sinkRate, acceptRate, spoolRate, n - r.count()));
      ctx.docker.remove(app);
    }
    out.set("smtp_sink_msgs_per_s", Stats.node(sink, "msgs/s"));
    out.set("smtp_accept_msgs_per_s", Stats.node(accept, "msgs/s"));
    out.set("spool_intake_msgs_per_s", Stats.node(spool, "msgs/s"));
    out.set("ratio_intake_to_accept", Stats.node(intakeVsAccept, "x"));
    out.set("ratio_intake_to_sink", Stats.node(intakeVsSink, "x"));
    out.set("ratio_accept_to_sink", Stats.node(acceptVsSink, "x"));
    out.put("target_intake_to_accept", 0.5);
    out.put("target_met", Stats.median(intakeVsAccept) >= 0.5);
    out.put(
        "method",
        "smtp-source -d -s SESSIONS -m N -l 1024 to "
            + Appliance.LIST_ADDRESS
            + " from a container on the same"
            + " network; start/end stamped inside the load container; spool intake = N / (mtime of the last file"
            + " in "
            + MsgSpool.PATH
            + " - start); SMTP acceptance = N / smtp-source duration");
  }

  /**
   * The SMTP path's limit: smtp-source against smtp-sink, both in containers of the image (msgs/s).
   */
  private static double sinkRate(BenchContext ctx, String image, int n) throws Exception {
    String sink =
        ctx.docker.startContainer(
            ctx.network(),
            "sink",
            image,
            List.of("--entrypoint", "smtp-sink"),
            List.of("-u", "nobody", "0.0.0.0:25", "1024"));
    SmtpClient.awaitBanner(ctx.docker.ip(sink, ctx.network()), 30);
    double[] s = IntakeBurst.smtpSource(ctx, image, "sink", n, ctx.settings.sessions());
    ctx.docker.remove(sink);
    return n / (s[1] - s[0]);
  }

  /**
   * Intake runs of the image with SETUP (postconf commands) applied before Postfix starts: KEY_*
   * figures.
   */
  private static void variant(
      BenchContext ctx, ObjectNode out, String image, String key, String label, int n, String setup)
      throws Exception {
    List<Double> spool = new ArrayList<>();
    List<Double> accept = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    ArrayNode details = out.putArray(key + "_runs");
    for (int i = 0; i < ctx.settings.runs(); i++) {
      String app =
          ctx.docker.startAppliance(
              image,
              ctx.network(),
              "app",
              List.of(
                  "sh", "-c", setup + " && postconf -M sympa/unix >&2 && exec postfix start-fg"));
      ObjectNode d = details.addObject();
      IntakeBurst.Outcome r = IntakeBurst.measure(ctx, app, image, n, d);
      double acc = r.acceptRate(n);
      double rate = r.spoolRate(n);
      spool.add(rate);
      accept.add(acc);
      ratio.add(rate / acc);
      d.put("smtp_accept_msgs_per_s", Stats.round(acc, 1));
      d.put("spool_intake_msgs_per_s", Stats.round(rate, 1));
      Log.info(
          String.format(
              "  %s run %d: SMTP %.0f/s, spool %.1f/s, lost %d",
              label, i + 1, acc, rate, n - r.count()));
      ctx.docker.remove(app);
    }
    out.put(key + "_setup", setup);
    out.put(key + "_messages", n);
    out.set(key + "_spool_intake_msgs_per_s", Stats.node(spool, "msgs/s"));
    out.set(key + "_smtp_accept_msgs_per_s", Stats.node(accept, "msgs/s"));
    out.set(key + "_ratio_intake_to_accept", Stats.node(ratio, "x"));
  }
}
