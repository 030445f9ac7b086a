package dev.sympaappliance.bench;

import static dev.sympaappliance.bench.DistributionBenchmark.DOMAIN;
import static dev.sympaappliance.bench.DistributionBenchmark.LIST;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The list server of {@link DistributionBenchmark}: a container of one of its images with the list
 * and its members.
 *
 * <p>Members are written into Sympa's subscriber table with sqlite3 (0.3 s for 10,000), not with
 * `sympa.pl add` (about 100 s per 1,000 here): this is the benchmark's set-up, not a way to manage
 * members.
 */
final class DistributionServer {
  private DistributionServer() {}

  /** The list server, healthy, with MEMBERS members written into its database. */
  static String start(BenchContext ctx, String network, String image, int members)
      throws Exception {
    String c =
        ctx.docker.startContainer(
            network, "lists", image, List.of("--hostname", "mx." + DOMAIN), List.of());
    ctx.docker.awaitHealthy(c, 240);
    StringBuilder sql = new StringBuilder("BEGIN;\n");
    long now = System.currentTimeMillis() / 1000;
    for (String member : members(members)) {
      sql.append(
          "INSERT INTO subscriber_table (list_subscriber, robot_subscriber, user_subscriber, date_epoch_subscriber,"
              + " update_epoch_subscriber, reception_subscriber, visibility_subscriber, subscribed_subscriber,"
              + " number_messages_subscriber, suspend_subscriber) VALUES ('"
              + LIST
              + "', '"
              + DOMAIN
              + "', '"
              + member
              + "', "
              + now
              + ", "
              + now
              + ", 'mail', 'noconceal', 1, 0, 0);\n");
    }
    sql.append("COMMIT;\n");
    Path file = ctx.work.resolve("members.sql");
    Files.writeString(file, sql);
    Processes.run(List.of("docker", "cp", file.toString(), c + ":/tmp/members.sql"));
    Processes.inContainer(c, "sqlite3 /var/lib/sympa/sympa.sqlite < /tmp/members.sql");
    String count =
        Processes.run(
                List.of(
                    "docker",
                    "exec",
                    c,
                    "sqlite3",
                    "/var/lib/sympa/sympa.sqlite",
                    "select count(*) from subscriber_table where list_subscriber = '" + LIST + "'"))
            .out()
            .trim();
    if (!count.equals(String.valueOf(members))) {
      throw new IllegalStateException("the list has " + count + " members, not " + members);
    }
    Thread.sleep(2000); // the daemons' first spool scans
    return c;
  }

  /** uNNNN@dDDD.example, round robin over 100 domains; POSTER is the first. */
  static List<String> members(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(String.format("u%04d@d%03d.example", i, (i - 1) % 100 + 1));
    }
    return out;
  }
}
