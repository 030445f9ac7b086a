package dev.sympaappliance.bench;

import static dev.sympaappliance.bench.DistributionBenchmark.DOMAIN;
import static dev.sympaappliance.bench.DistributionBenchmark.LIST;
import static dev.sympaappliance.bench.DistributionBenchmark.POSTER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The timed runs of {@link DistributionBenchmark}: posts to the list server's list, each timed
 * until its last recipient reached the sink, either through Sympa ({@link #measure}), handed to
 * sendmail in the container ({@link #postfixAlone}) or, one message per member, to Postfix's SMTP
 * server in the container ({@link #postfixOneRecipientSmtp}). Their figures: seconds, recipients
 * per second and SMTP transactions (the sink's dumps), one of each per run, which an instance
 * collects.
 */
final class DistributionTimings {
  private final int members;
  private final List<Double> seconds = new ArrayList<>();
  private final List<Double> rates = new ArrayList<>();
  private final List<Double> transactions = new ArrayList<>();

  private DistributionTimings(int members) {
    this.members = members;
  }

  /** RUNS posts through Sympa (by SMTP to the list server); LABEL names them in the log. */
  static ObjectNode measure(
      BenchContext ctx,
      String network,
      String server,
      String sink,
      int members,
      int runs,
      String label)
      throws Exception {
    DistributionTimings timings = new DistributionTimings(members);
    String ip = ctx.docker.ip(server, network);
    for (int r = 0; r < runs; r++) {
      SinkDumps.clear(sink);
      String subject = "distribution " + ctx.runId + " " + label + " " + r;
      double t0 = SmtpClient.post(ip, POSTER, LIST + "@" + DOMAIN, subject);
      SinkDumps.Arrival a = SinkDumps.awaitRecipients(sink, subject, members);
      double s = timings.add(t0, a);
      Log.info(
          String.format(
              "  %s: %d recipients in %.2f s (%.0f/s, %d SMTP transactions)",
              label, members, s, members / s, a.messages()));
    }
    return timings.node();
  }

  /**
   * The recipients handed to sendmail in the container, PACKET per call (sorted by domain, as Sympa
   * does), CONCURRENCY at a time.
   */
  static ObjectNode postfixAlone(
      BenchContext ctx,
      String server,
      String sink,
      int members,
      int packet,
      int concurrency,
      int runs)
      throws Exception {
    List<String> sorted = new ArrayList<>(DistributionServer.members(members));
    sorted.sort(
        (a, b) -> {
          int d = a.substring(a.indexOf('@')).compareTo(b.substring(b.indexOf('@')));
          return d != 0 ? d : a.compareTo(b);
        });
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < sorted.size(); i += packet) {
      lines
          .append(String.join(" ", sorted.subList(i, Math.min(sorted.size(), i + packet))))
          .append('\n');
    }
    Path file = ctx.work.resolve("packets");
    Files.writeString(file, lines);
    Processes.run(List.of("docker", "cp", file.toString(), server + ":/tmp/packets"));
    DistributionTimings timings = new DistributionTimings(members);
    for (int r = 0; r < runs; r++) {
      SinkDumps.clear(sink);
      String subject = "postfix alone " + ctx.runId + " " + packet + " " + r;
      Path msg = ctx.work.resolve("post");
      Files.writeString(
          msg,
          "From: "
              + POSTER
              + "\nTo: "
              + LIST
              + "@"
              + DOMAIN
              + "\nSubject: "
              + subject
              + "\nMessage-ID: <"
              + subject.replace(' ', '.')
              + "@example.net>\n\n"
              + "A post of about one kilobyte.\n".repeat(30));
      Processes.run(List.of("docker", "cp", msg.toString(), server + ":/tmp/post"));
      double s =
          timings.submitted(
              server,
              "xargs -P "
                  + concurrency
                  + " -L 1 -a /tmp/packets sh -c 'exec /usr/sbin/sendmail -oi -odi -oem -f "
                  + LIST
                  + "-owner@"
                  + DOMAIN
                  + " -- \"$@\" < /tmp/post' sh",
              sink,
              subject);
      Log.info(
          String.format(
              "  Postfix alone, packets of %d, %d at a time: %.2f s (%.0f/s)",
              packet, concurrency, s, members / s));
    }
    ObjectNode o = timings.node();
    o.put("packet", packet);
    o.put("concurrency", concurrency);
    return o;
  }

  /**
   * Postfix's own one-recipient SMTP intake in the list server's container: one message of about 1
   * KB per member (the list's members, one recipient each), submitted with Postfix's smtp-source to
   * 127.0.0.1:25 (one SMTP session per message, CONCURRENCY sessions at a time), timed like {@link
   * #measure} from the start of the submission to the newest dump at the sink. The baseline of a
   * post whose every copy is one member's.
   */
  static ObjectNode postfixOneRecipientSmtp(
      BenchContext ctx, String server, String sink, int members, int concurrency, int runs)
      throws Exception {
    Path file = ctx.work.resolve("one-recipient-members");
    Files.writeString(file, String.join("\n", DistributionServer.members(members)) + "\n");
    Processes.run(List.of("docker", "cp", file.toString(), server + ":/tmp/one-recipient-members"));
    DistributionTimings timings = new DistributionTimings(members);
    for (int r = 0; r < runs; r++) {
      SinkDumps.clear(sink);
      String subject = "postfix one recipient " + ctx.runId + " " + r;
      double s =
          timings.submitted(
              server,
              "xargs -P "
                  + concurrency
                  + " -I{} -a /tmp/one-recipient-members /usr/sbin/smtp-source -m 1 -l 1024 -f "
                  + LIST
                  + "-owner@"
                  + DOMAIN
                  + " -M mx."
                  + DOMAIN
                  + " -S '"
                  + subject
                  + "' -t {} 127.0.0.1:25",
              sink,
              subject);
      Log.info(
          String.format(
              "  Postfix one-recipient SMTP intake, %d messages, %d sessions at a time: %.2f s"
                  + " (%.0f/s, %d SMTP transactions)",
              members, concurrency, s, members / s, timings.transactions.get(r).intValue()));
    }
    ObjectNode o = timings.node();
    o.put("messages", members);
    o.put("concurrency", concurrency);
    o.put("client", "smtp-source -m 1 -l 1024, one session per message, to 127.0.0.1:25");
    return o;
  }

  /**
   * One run whose messages COMMAND submits in SERVER's container: from the command's start (its
   * clock) to the arrival at the sink of the messages with SUBJECT; returns its seconds.
   */
  private double submitted(String server, String command, String sink, String subject)
      throws Exception {
    String printed = Processes.inContainer(server, "date +%s.%N; " + command).out();
    double t0 = Double.parseDouble(printed.lines().findFirst().orElseThrow().trim());
    return add(t0, SinkDumps.awaitRecipients(sink, subject, members));
  }

  /** One run, from T0 (epoch seconds) to ARRIVAL at the sink; returns its seconds. */
  private double add(double t0, SinkDumps.Arrival arrival) {
    double s = arrival.lastAt() - t0;
    seconds.add(s);
    rates.add(members / s);
    transactions.add((double) arrival.messages());
    return s;
  }

  private ObjectNode node() {
    ObjectNode o = Results.newRoot();
    o.set("seconds", Stats.node(seconds, "s"));
    o.set("rcpt_per_s", Stats.node(rates, "rcpt/s"));
    o.set("smtp_transactions", Stats.node(transactions, "messages"));
    return o;
  }
}
