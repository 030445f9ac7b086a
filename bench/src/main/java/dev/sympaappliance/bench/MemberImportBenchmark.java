package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Members into a list: {@code sympa-appliance-members add} (one add_list_member call) for 1,000,
 * 10,000 and 100,000 members, against {@code sympa add} (Sympa's CLI) for 200 in the same run; and
 * the first start of an image whose spec lists 10,000 members, to healthy.
 */
final class MemberImportBenchmark implements Benchmark {
  static final String DOMAIN = "lists.example.org";
  static final String LIST = "big";

  @Override
  public String name() {
    return "member import";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    boolean smoke = ctx.settings.smoke();
    List<Integer> sizes = smoke ? List.of(200) : List.of(1_000, 10_000, 100_000);
    int baseline = smoke ? 20 : 200;
    int firstStart = smoke ? 500 : 10_000;
    ObjectNode out = results.putObject("member_import");

    String image =
        DistributionBenchmark.build(ctx, "import", List.of("--spec", spec(ctx, "import", 0)));
    String c = start(ctx, image, "import");

    out.set(
        "baseline_sympa_add",
        timed(
            c,
            baseline,
            "/usr/lib/sympa/bin/sympa.pl add --quiet "
                + LIST
                + "@"
                + DOMAIN
                + " < /tmp/members.txt",
            " "));
    ArrayNode runs = out.putArray("runs");
    for (int n : sizes) {
      runs.add(
          timed(
              c,
              n,
              "sympa-appliance-members add " + LIST + "@" + DOMAIN + " /tmp/members.txt",
              ","));
    }
    ctx.docker.remove(c);

    String started =
        DistributionBenchmark.build(
            ctx, "import-start", List.of("--spec", spec(ctx, "start", firstStart)));
    long t0 = System.nanoTime();
    String s = start(ctx, started, "start");
    ObjectNode first = out.putObject("first_start");
    first.put("members", firstStart);
    first.put("healthy_s", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
    first.put("members_in_database", count(s));
    Log.info(
        String.format(
            "  first start with %d members: healthy in %.1f s",
            firstStart, first.path("healthy_s").asDouble()));
    ctx.docker.remove(s);
  }

  /** A container of IMAGE on a network of its own, healthy (at most 10 minutes). */
  private static String start(BenchContext ctx, String image, String name) throws Exception {
    String c =
        ctx.docker.startContainer(
            ctx.docker.createNetwork(name),
            "lists",
            image,
            List.of("--hostname", "mx." + DOMAIN),
            List.of());
    ctx.docker.awaitHealthy(c, 600);
    return c;
  }

  /** The spec of the benchmark's images: the list, with MEMBERS subscribers (mNNN@dNN.example). */
  private static String spec(BenchContext ctx, String name, int members) throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            "domain: "
                + DOMAIN
                + "\nlistmaster: listmaster@example.org\n"
                + "relayhost: sink\nweb:\n  enabled: false\nlists:\n  - name: "
                + LIST
                + "\n    owners: [owner@example.org]\n");
    if (members > 0) {
      yaml.append("    subscribers:\n");
      for (int i = 1; i <= members; i++) {
        yaml.append("      - {address: m")
            .append(i)
            .append("@d")
            .append(i % 100)
            .append(".example, name: Member ")
            .append(i)
            .append("}\n");
      }
    }
    Path file = ctx.work.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return file.toString();
  }

  /**
   * Empties the list, writes N members (ADDRESS SEPARATOR NAME) to /tmp/members.txt and times
   * COMMAND inside the container; checks that the list then has N members.
   */
  private static ObjectNode timed(String c, int n, String command, String separator)
      throws Exception {
    Processes.inContainer(
        c,
        "sqlite3 /var/lib/sympa/sympa.sqlite \"DELETE FROM subscriber_table"
            + " WHERE list_subscriber = '"
            + LIST
            + "'\" && touch /var/lib/sympa/list_data/"
            + LIST
            + "/.last_change.member && seq 1 "
            + n
            + " | awk '{print \"n\" $1 \"@d\" ($1 % 100)"
            + " \".example"
            + separator
            + "Member \" $1}' > /tmp/members.txt");
    String printed =
        Processes.inContainer(
                c,
                "a=$(date +%s.%N); "
                    + command
                    + " >/dev/null 2>&1; b=$(date +%s.%N); echo \"$a $b\"")
            .out()
            .trim();
    String[] t = printed.split(" ");
    double seconds = Double.parseDouble(t[1]) - Double.parseDouble(t[0]);
    int members = count(c);
    if (members != n) {
      throw new IllegalStateException(
          "the list has " + members + " members after `" + command + "`, not " + n);
    }
    ObjectNode run = JsonNodeFactory.instance.objectNode();
    run.put("members", n);
    run.put("seconds", Math.round(seconds * 100) / 100.0);
    run.put("per_s", Math.round(n / seconds));
    Log.info(
        String.format(
            "  %s: %d members in %.1f s (%.0f/s)", command.split(" ")[0], n, seconds, n / seconds));
    return run;
  }

  private static int count(String c) throws Exception {
    return Integer.parseInt(
        Processes.inContainer(
                c,
                "sqlite3 /var/lib/sympa/sympa.sqlite"
                    + " \"SELECT count(*) FROM subscriber_table WHERE list_subscriber = '"
                    + LIST
                    + "'\"")
            .out()
            .trim());
  }
}
