package dev.sympaappliance.e2e.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sympaappliance.e2e.support.ClusterOnSwarm;
import dev.sympaappliance.e2e.support.ClusterOnSwarm.ClientRun;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Processes;
import dev.sympaappliance.e2e.support.SwarmStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the deployment's replicas change, measured on this one machine in one run (bench/scaling.sh,
 * which writes bench/results/scaling.json): the distribution of one post to a list of {@link
 * #MEMBERS} members with 1 and 2 bulk replicas (from the relay's 250 to the sink's last copy), and
 * the front relays' acceptance rate (one-message SMTP sessions from Postfix's smtp-source, spread
 * over the relays' addresses) with 1 and 3 replicas. Every replica shares the same 2 cores here, so
 * the ratios show what a replica costs, not what another machine would add. Not a test of CI (no
 * "Test" in its name): it is run on purpose, and asserts only that every member got the post.
 */
class SwarmScalingBenchmark {
  static final int MEMBERS = Integer.getInteger("scaling.members", 10_000);
  static final int RUNS = Integer.getInteger("scaling.runs", 3);
  static final int MESSAGES = Integer.getInteger("scaling.messages", 2_000);
  static final int SESSIONS = 20;
  static final Path RESULTS = Path.of(System.getProperty("scaling.results", "target/scaling.json"));

  @Test
  void measure() throws Exception {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode out = json.createObjectNode();
    out.put("started", Instant.now().toString());
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("members", MEMBERS);
    out.put("runs", RUNS);
    try (ClusterOnSwarm cluster = ClusterOnSwarm.deploy(MEMBERS)) {
      ObjectNode distribution = out.putObject("distribution");
      for (int bulk : new int[] {1, 2}) {
        cluster.scale("bulk", bulk);
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
          seconds.add(distribute(cluster));
        }
        summarise(distribution.putObject("bulk_" + bulk), seconds, MEMBERS, "rcpt_per_s");
      }
      distribution.put(
          "ratio_bulk_2_over_1", ratio(distribution, "bulk_2", "bulk_1", "rcpt_per_s"));

      ObjectNode relays = out.putObject("relays");
      relays.put("messages", MESSAGES);
      relays.put("sessions", SESSIONS);
      for (int replicas : new int[] {1, 3}) {
        cluster.scale("relay", replicas);
        List<Double> seconds = new ArrayList<>();
        int sent = 0;
        for (int run = 0; run < RUNS; run++) {
          awaitEmptyRelayQueues(cluster);
          double[] result = accept(cluster);
          sent = (int) result[0];
          seconds.add(result[1]);
        }
        summarise(relays.putObject("relays_" + replicas), seconds, sent, "msgs_per_s");
      }
      relays.put("ratio_relays_3_over_1", ratio(relays, "relays_3", "relays_1", "msgs_per_s"));
    } finally {
      out.put("finished", Instant.now().toString());
      Files.createDirectories(RESULTS.toAbsolutePath().getParent());
      json.writeValue(RESULTS.toFile(), out);
      System.err.println("[scaling] " + json.writeValueAsString(out));
    }
  }

  /**
   * One post to "big" through the relays; the seconds from the relay's 250 to the sink's last copy.
   */
  private static double distribute(ClusterOnSwarm cluster) throws Exception {
    String prefix = "scaling-" + UUID.randomUUID().toString().substring(0, 8);
    String token = prefix + "-1";
    ClientRun run =
        cluster.sendThroughTheRelays(
            1, 0, prefix, ClusterOnSwarm.BIG + "@" + ClusterOnSwarm.DOMAIN);
    assertThat(run.accepted()).as(run.output()).containsExactly(token);
    List<String> copies =
        Poll.until(
            () -> cluster.copiesAtTheSink(prefix).getOrDefault(token, List.of()),
            c -> c.size() >= MEMBERS,
            Duration.ofMinutes(15),
            Duration.ofSeconds(1));
    assertThat(new HashSet<>(copies)).as("members reached").hasSize(MEMBERS);
    return cluster.lastCopyAt(token) - run.acceptedAt().get(token);
  }

  /**
   * MESSAGES one-message sessions, SESSIONS at a time, split evenly over the relays' addresses (one
   * smtp-source per relay, from a container on the mx network), to bounce@ (which the core hands to
   * Sympa's bounce spool: the least work behind the relay). Returns {messages, seconds}.
   */
  private static double[] accept(ClusterOnSwarm cluster) {
    String script =
        """
        set -eu
        ips=$(getent ahostsv4 relay | while read -r ip rest; do echo "$ip"; done | sort -u)
        n=$(echo $ips | wc -w)
        pids=
        start=$(date +%%s.%%N)
        for ip in $ips; do
          smtp-source -s $((%1$d / n)) -m $((%2$d / n)) -l 1024 -f alice@example.org \\
            -t bounce@%3$s "$ip:25" & pids="$pids $!"
        done
        for pid in $pids; do wait "$pid"; done
        end=$(date +%%s.%%N)
        echo "$((%2$d / n * n)) $start $end"
        """
            .formatted(SESSIONS, MESSAGES, ClusterOnSwarm.DOMAIN);
    Processes.Result result =
        SwarmStack.docker(
            Duration.ofMinutes(10),
            "run",
            "--rm",
            "--network",
            cluster.stack.scoped("mx"),
            "--entrypoint",
            "sh",
            cluster.sinkImage,
            "-c",
            script);
    assertThat(result.exitCode()).as(result.output()).isEqualTo(0);
    List<String> lines = SwarmStack.lines(result.stdout());
    String[] words = lines.get(lines.size() - 1).split(" ");
    return new double[] {
      Double.parseDouble(words[0]), Double.parseDouble(words[2]) - Double.parseDouble(words[1])
    };
  }

  /**
   * Waits until every relay has handed what it accepted on to the core (a run starts on idle
   * relays).
   */
  private static void awaitEmptyRelayQueues(ClusterOnSwarm cluster) throws Exception {
    Poll.until(
        () ->
            cluster.stack.containers("relay").stream()
                .allMatch(id -> SwarmStack.exec(id, "postqueue -j | head -c 1").isEmpty()),
        empty -> empty,
        Duration.ofMinutes(5),
        Duration.ofSeconds(1));
  }

  private static void summarise(ObjectNode node, List<Double> seconds, int count, String rateName) {
    ArrayNode runs = node.putArray("seconds");
    seconds.forEach(s -> runs.add(Math.round(s * 1000) / 1000.0));
    List<Double> sorted = seconds.stream().sorted().toList();
    double median = sorted.get(sorted.size() / 2);
    node.put("count", count);
    node.put("median_s", Math.round(median * 1000) / 1000.0);
    node.put(rateName, Math.round(count / median * 10) / 10.0);
  }

  private static double ratio(ObjectNode parent, String over, String under, String rateName) {
    return Math.round(
            parent.path(over).path(rateName).asDouble()
                / parent.path(under).path(rateName).asDouble()
                * 100)
        / 100.0;
  }
}
