package dev.sympaappliance.bench;

import static dev.sympaappliance.bench.DistributionBenchmark.DOMAIN;
import static dev.sympaappliance.bench.DistributionBenchmark.LIST;
import static dev.sympaappliance.bench.DistributionBenchmark.POSTER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What DKIM signing costs, for {@link DistributionBenchmark}: the container's CPU time (its
 * cgroup's usage) for one post, and the cost of one signature alone, measured in the container with
 * Mail::DKIM as Sympa calls it.
 */
final class DkimCost {
  private DkimCost() {}

  /** The container's CPU time so far, in ms (its cgroup's usage: v1 cpuacct, or v2 cpu.stat). */
  private static double containerCpuMs(String container) throws Exception {
    String ns =
        Processes.inContainer(
                container,
                "cat /sys/fs/cgroup/cpuacct/cpuacct.usage 2>/dev/null"
                    + " || cat /sys/fs/cgroup/cpu,cpuacct/cpuacct.usage 2>/dev/null"
                    + " || awk '/^usage_usec/ {printf \"%d\\n\", $2 * 1000}' /sys/fs/cgroup/cpu.stat")
            .out()
            .trim();
    return Long.parseLong(ns) / 1e6;
  }

  /**
   * CPU of the whole container from a post's SMTP 250 to its last recipient at the sink, plus one
   * second (the daemons' idle polling is in it, the same for every image).
   */
  static ObjectNode cpuPerPost(
      BenchContext ctx,
      String network,
      String server,
      String sink,
      int members,
      int runs,
      String label)
      throws Exception {
    List<Double> cpu = new ArrayList<>();
    String ip = ctx.docker.ip(server, network);
    for (int r = 0; r < runs; r++) {
      SinkDumps.clear(sink);
      Thread.sleep(1000);
      double before = containerCpuMs(server);
      String subject = "dkim cost " + ctx.runId + " " + label + " " + r;
      SmtpClient.post(ip, POSTER, LIST + "@" + DOMAIN, subject);
      SinkDumps.awaitRecipients(sink, subject, members);
      Thread.sleep(1000);
      double ms = containerCpuMs(server) - before;
      cpu.add(ms);
      Log.info(
          String.format(
              "  %s: one post to %d members, %.0f ms of CPU in the container", label, members, ms));
    }
    return Stats.node(cpu, "ms");
  }

  /**
   * Signing a 1 KB post N times with the container's key, as Sympa does (Mail::DKIM, rsa-sha256,
   * relaxed).
   */
  static ObjectNode signatureCost(String server, int n) throws Exception {
    String perl =
        "use Mail::DKIM::Signer; use Mail::DKIM::PrivateKey; use Time::HiRes qw(time);"
            + " open my $f, '<', '/var/lib/sympa/dkim/sympa.key' or die;"
            + " my $k = join '', grep { !/^---/ } map { chomp; $_ } <$f>;"
            + " my $key = Mail::DKIM::PrivateKey->load(Data => $k);"
            + " my $m = \"From: u0001\\@d001.example\\r\\nTo: big\\@lists.example.org\\r\\nSubject: cost\\r\\n\\r\\n\""
            + " . (\"A post of about one kilobyte.\\r\\n\" x 30);"
            + " my @t0 = times; my $w0 = time;"
            + " for (1 .. "
            + n
            + ") { my $d = Mail::DKIM::Signer->new(Algorithm => 'rsa-sha256', Method => 'relaxed',"
            + " Domain => 'lists.example.org', Selector => 'sympa', Key => $key); $d->PRINT($m); $d->CLOSE;"
            + " $d->signature->as_string }"
            + " my @t1 = times; printf \"%.4f %.4f\\n\", (($t1[0] + $t1[1]) - ($t0[0] + $t0[1])) * 1000 / "
            + n
            + ","
            + " (time - $w0) * 1000 / "
            + n
            + ";";
    String[] out =
        Processes.run(List.of("docker", "exec", server, "perl", "-e", perl))
            .out()
            .trim()
            .split(" ");
    ObjectNode o = Results.newRoot();
    o.put("signatures", n);
    o.put("cpu_ms_per_signature", Stats.round(Double.parseDouble(out[0]), 3));
    o.put("wall_ms_per_signature", Stats.round(Double.parseDouble(out[1]), 3));
    Log.info(String.format("  one DKIM signature (Mail::DKIM, RSA 2048, 1 KB): %s ms CPU", out[0]));
    return o;
  }
}
