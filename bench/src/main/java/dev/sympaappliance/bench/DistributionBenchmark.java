package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Distribution ("distribution"): one post to a list of N members spread over 100 domains, the relay
 * host an smtp-sink on the same network; the figure is the time from the post's SMTP 250 to the
 * sink's acceptance of the Nth recipient (its X-Rcpt-Args lines, counted in the dumps of the
 * messages carrying the post's subject; the end is the newest such dump's time, written after the
 * message's last RCPT and its data). Full flavour, the image's own settings ("tuned") against
 * Sympa's and Postfix's defaults, and "Postfix alone": the same recipients handed to sendmail
 * inside the appliance in the packets Sympa makes (25 recipients, 13 calls at a time, with Sympa's
 * defaults, a comparison; 2,500, one at a time, as tuned). Comparisons ({@link
 * Settings#comparisons()}): Sympa's and Postfix's defaults, a 1,000-member list, VERP and DKIM.
 *
 * <p>DKIM (a comparison): the container's CPU time (its cgroup's usage) for one post to the
 * 1,000-member list, signed (as built) and unsigned (--no-dkim), and the cost of one signature
 * alone, measured in the container with Mail::DKIM as Sympa calls it ({@link DkimCost}).
 *
 * <p>One-click unsubscribe (RFC 8058, on by default with an https:// web address): the same
 * 1,000-member post from an image with the web interface at https://…, where every copy is one
 * member's (VERP) with its own signed URL, against the as-built 1,000-member figure of the same run
 * and against Postfix's own one-recipient SMTP intake in the same container: one ~1 KB message per
 * member, one recipient each, submitted with smtp-source to 127.0.0.1:25, 4 sessions at a time,
 * timed the same way (goal: one-click ≥ 0.5 × that).
 *
 * <p>Members are written straight into Sympa's database ({@link DistributionServer}).
 */
final class DistributionBenchmark implements Benchmark {
  static final String DOMAIN = "lists.example.org";
  static final String LIST = "big";
  static final String POSTER = "u0001@d001.example";
  static final double MAILMAN2_RCPT_PER_S =
      356; // Mailman FAQ 4.12: 152,717 recipients in 428.9 s, no VERP

  /**
   * Sympa 6.2.70's defaults (Sympa/Config/Schema.pm) and Postfix's, where the image sets others.
   */
  static final List<String> DEFAULTS =
      List.of(
          "--sympa-conf",
          "nrcpt=25",
          "--sympa-conf",
          "avg=10",
          "--sympa-conf",
          "maxsmtp=40",
          "--sympa-conf",
          "bulk_max_count=3",
          "--postconf",
          "smtp_destination_recipient_limit=50",
          "--postconf",
          "smtp_connection_cache_destinations=");

  @Override
  public String name() {
    return "distribution (one post to a big list, relayed to an smtp-sink)";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    boolean smoke = ctx.settings.smoke();
    int big = smoke ? 200 : 10_000;
    int small = smoke ? 50 : 1_000;
    int verp = smoke ? 10 : 100;
    int runs = smoke ? 1 : 3;
    ObjectNode out = results.putObject("distribution");
    out.put("members", big);
    out.put("domains", 100);
    out.put("runs", runs);
    out.put("mailman2_rcpt_per_s", MAILMAN2_RCPT_PER_S);

    Path spec = ctx.work.resolve("distribution.yaml");
    Files.writeString(
        spec,
        "domain: "
            + DOMAIN
            + "\nhostname: mx."
            + DOMAIN
            + "\nsympa: full\n"
            + "listmaster: listmaster@example.org\nrelayhost: sink\nweb:\n  enabled: false\n"
            + "lists:\n  - name: "
            + LIST
            + "\n    subject: Big list\n    type: discussion_list\n"
            + "    owners: [owner@example.org]\n");
    String sinkImage = build(ctx, "sink", List.of("--role", "sink", "--domain", "example.net"));
    String tuned = build(ctx, "dist-tuned", List.of("--spec", spec.toString()));
    String oneClick =
        build(
            ctx,
            "dist-oneclick",
            List.of(
                "--spec", spec.toString(), "--web", "--web-url", "https://" + DOMAIN + "/sympa"));
    String network = ctx.docker.createNetwork("dist");
    String sink = ctx.docker.startContainer(network, "sink", sinkImage, List.of(), List.of());
    boolean comparisons = ctx.settings.comparisons();

    String server = DistributionServer.start(ctx, network, tuned, big);
    out.set("tuned", DistributionTimings.measure(ctx, network, server, sink, big, runs, "tuned"));
    out.put("tuned_memory_after", memory(server));
    if (comparisons) {
      out.set(
          "postfix_alone_packets_25",
          DistributionTimings.postfixAlone(ctx, server, sink, big, 25, 13, runs));
    }
    out.set(
        "postfix_alone_packets_2500",
        DistributionTimings.postfixAlone(ctx, server, sink, big, 2500, 1, runs));
    ctx.docker.remove(server);
    out.put("small_members", small);
    if (comparisons) {
      smallAndDkim(ctx, out, spec, network, tuned, sink, small, runs);
    }

    server = DistributionServer.start(ctx, network, oneClick, small);
    out.set(
        "one_click",
        DistributionTimings.measure(ctx, network, server, sink, small, runs, "one-click"));
    out.put("one_click_headers", SinkDumps.oneClickHeaders(sink));
    out.set(
        "postfix_one_recipient_smtp",
        DistributionTimings.postfixOneRecipientSmtp(ctx, server, sink, small, 4, runs));
    ctx.docker.remove(server);
    double oneClickRate = out.path("one_click").path("rcpt_per_s").path("median").asDouble();
    if (comparisons) {
      out.put(
          "ratio_one_click_over_tuned_small",
          Stats.round(
              oneClickRate / out.path("tuned_small").path("rcpt_per_s").path("median").asDouble(),
              3));
    }
    out.put(
        "ratio_one_click_over_postfix_one_recipient",
        Stats.round(
            oneClickRate
                / out.path("postfix_one_recipient_smtp")
                    .path("rcpt_per_s")
                    .path("median")
                    .asDouble(),
            3));

    double tunedRate = out.path("tuned").path("rcpt_per_s").path("median").asDouble();
    out.put(
        "ratio_tuned_over_postfix_alone_2500",
        Stats.round(
            tunedRate
                / out.path("postfix_alone_packets_2500")
                    .path("rcpt_per_s")
                    .path("median")
                    .asDouble(),
            2));
    out.put("ratio_tuned_over_mailman2", Stats.round(tunedRate / MAILMAN2_RCPT_PER_S, 2));
    if (!comparisons) {
      return;
    }
    String verpImage =
        build(
            ctx, "dist-verp", List.of("--spec", spec.toString(), "--sympa-conf", "verp_rate=100%"));
    server = DistributionServer.start(ctx, network, verpImage, verp);
    out.set("tuned_verp", DistributionTimings.measure(ctx, network, server, sink, verp, 1, "verp"));
    out.put("verp_members", verp);
    ctx.docker.remove(server);

    String defaults =
        build(ctx, "dist-defaults", concat(List.of("--spec", spec.toString()), DEFAULTS));
    server = DistributionServer.start(ctx, network, defaults, big);
    out.set(
        "defaults", DistributionTimings.measure(ctx, network, server, sink, big, 1, "defaults"));
    out.put("defaults_memory_after", memory(server));
    ctx.docker.remove(server);
    out.put(
        "ratio_tuned_over_postfix_alone_25",
        Stats.round(
            tunedRate
                / out.path("postfix_alone_packets_25").path("rcpt_per_s").path("median").asDouble(),
            2));
    out.put(
        "ratio_tuned_over_defaults",
        Stats.round(
            tunedRate / out.path("defaults").path("rcpt_per_s").path("median").asDouble(), 1));
  }

  /**
   * Comparisons: the as-built image's rate for the SMALL-member list, and DKIM's cost on it (the
   * container's CPU per post signed and with --no-dkim, and one signature alone).
   */
  private static void smallAndDkim(
      BenchContext ctx,
      ObjectNode out,
      Path spec,
      String network,
      String tuned,
      String sink,
      int small,
      int runs)
      throws Exception {
    boolean smoke = ctx.settings.smoke();
    String server = DistributionServer.start(ctx, network, tuned, small);
    out.set(
        "tuned_small",
        DistributionTimings.measure(ctx, network, server, sink, small, runs, "tuned-small"));
    int cpuRuns = smoke ? 1 : 5;
    ObjectNode dkim = out.putObject("dkim");
    dkim.put("members", small);
    dkim.set(
        "signed_cpu_ms", DkimCost.cpuPerPost(ctx, network, server, sink, small, cpuRuns, "signed"));
    dkim.set("signature_alone", DkimCost.signatureCost(server, smoke ? 20 : 500));
    ctx.docker.remove(server);

    String unsigned = build(ctx, "dist-nodkim", List.of("--spec", spec.toString(), "--no-dkim"));
    server = DistributionServer.start(ctx, network, unsigned, small);
    dkim.set(
        "unsigned_cpu_ms",
        DkimCost.cpuPerPost(ctx, network, server, sink, small, cpuRuns, "unsigned"));
    ctx.docker.remove(server);
    dkim.put(
        "signed_minus_unsigned_cpu_ms",
        Stats.round(
            dkim.path("signed_cpu_ms").path("median").asDouble()
                - dkim.path("unsigned_cpu_ms").path("median").asDouble(),
            1));
  }

  /** Builds an image with the builder's jar (ARGS: its options) as PREFIX:NAME; returns the tag. */
  static String build(BenchContext ctx, String name, List<String> args) throws Exception {
    String tag = ctx.docker.prefix() + ":" + name;
    List<String> cmd =
        new ArrayList<>(List.of("java", "-jar", ctx.builder.jar().toString(), "image"));
    cmd.addAll(args);
    cmd.addAll(List.of("--tag", tag, "--output", "docker"));
    Processes.run(cmd);
    ctx.docker.adopt(tag);
    return tag;
  }

  private static String memory(String container) throws Exception {
    String usage =
        Processes.run(
                List.of("docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", container))
            .out()
            .trim();
    return usage.contains(" / ")
        ? usage.substring(0, usage.indexOf(" / "))
        : usage; // "435MiB / 23.5GiB": the container's part
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
