package dev.sympaappliance.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sympaappliance.builder.render.DeploymentRenderer;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.SpecFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The deployment of examples/cluster.yaml as a Docker stack on a single-node swarm, from locally
 * built images: its front relays, the core, its bulk senders, the web, PostgreSQL (the tests'
 * image, which takes the official image's POSTGRES_* variables) and the sink as relay host, plus a
 * list "big" whose members are written into PostgreSQL (`sympa.pl add` at the core's first start
 * took over 3 minutes for 1,000 here; the distribution benchmark does the same).
 *
 * <p>What differs from the rendered stack, and why: the relays publish no port here. IPVS is
 * missing on this machine (no VIPs, no ingress routing mesh), and in host mode several relays of
 * one node cannot each bind port 25. So the clients are containers on the stack's mx network that
 * do what a sending MTA does with several MX hosts: resolve the relays' name (every relay's
 * address: dnsrr) and try the next address when one refuses.
 */
public final class ClusterOnSwarm implements AutoCloseable {
  public static final String STACK = "sympa-e2e";
  public static final String DOMAIN = ListServerImages.DOMAIN;
  public static final String BIG = "big";

  public final SwarmStack stack;
  public final String fullImage;
  public final String sinkImage;
  public final int members;

  private ClusterOnSwarm(SwarmStack stack, String fullImage, String sinkImage, int members) {
    this.stack = stack;
    this.fullImage = fullImage;
    this.sinkImage = sinkImage;
    this.members = members;
  }

  /**
   * examples/cluster.yaml with the tests' image names and the list "big" (its members come later).
   */
  public static ApplianceSpec spec() throws Exception {
    String yaml =
        Files.readString(ListServerImages.clusterSpec(), StandardCharsets.UTF_8)
                .replace(
                    "image: sympa-appliance-cluster:latest",
                    "image: sympa-appliance-e2e-cluster:latest")
                .replace(
                    "relay_image: sympa-relay-cluster:latest",
                    "relay_image: sympa-appliance-e2e-cluster-relay:latest")
                .replace(
                    "postgresql_image: postgres:17",
                    "postgresql_image: " + PostgresqlContainer.image().asCanonicalNameString())
            + "  - name: "
            + BIG
            + "\n    subject: A big list\n    type: hotline\n    owners: [alice@example.org]\n";
    return ApplianceSpec.fromUserInput(SpecFile.parse("cluster.yaml (test)", yaml));
  }

  /** Builds the images, makes a swarm, deploys the stack and gives "big" MEMBERS members. */
  public static ClusterOnSwarm deploy(int members) throws Exception {
    ApplianceSpec spec = spec();
    var deployment = spec.deployment().orElseThrow();
    String fullImage = ApplianceImages.build(deployment.image(), spec).asCanonicalNameString();
    ApplianceImages.build(deployment.relayImage(), DeploymentRenderer.frontRelay(spec));
    String sinkImage =
        dev.sympaappliance.testcontainers.SympaApplianceImages.sink().asCanonicalNameString();

    Path dir = Files.createDirectories(Path.of("target/swarm"));
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String rendered =
        new DeploymentRenderer()
            .render(spec, DeploymentRenderer.Format.SWARM, "--format")
            .files()
            .get(0)
            .text();
    ObjectNode stackFile = (ObjectNode) yaml.readTree(rendered);
    ObjectNode relay = (ObjectNode) stackFile.path("services").path("relay");
    relay.remove("ports");
    ((ObjectNode) relay.path("deploy")).remove("placement");
    Path stackYml = dir.resolve("stack.yml");
    yaml.writeValue(stackYml.toFile(), stackFile);
    // The staging sink as the relay host "sink", on the network of the senders.
    Path sinkYml = dir.resolve("sink.yml");
    Files.writeString(
        sinkYml,
        """
        version: "3.8"
        services:
          sink:
            image: %s
            networks: [sympa]
            deploy:
              replicas: 1
              endpoint_mode: dnsrr
        """
            .formatted(sinkImage),
        StandardCharsets.UTF_8);

    SwarmStack stack =
        SwarmStack.deploy(
            STACK, Map.of("db_password", "pg-" + UUID.randomUUID()), stackYml, sinkYml);
    ClusterOnSwarm cluster = new ClusterOnSwarm(stack, fullImage, sinkImage, members);
    try {
      stack.awaitReady("sink", 1, Duration.ofMinutes(2));
      stack.awaitReady("postgres", 1, Duration.ofMinutes(2));
      stack.awaitReady("core", 1, Duration.ofMinutes(5));
      stack.awaitReady("bulk", deployment.bulk(), Duration.ofMinutes(5));
      stack.awaitReady("web", deployment.web(), Duration.ofMinutes(5));
      stack.awaitReady("relay", deployment.relays(), Duration.ofMinutes(2));
      cluster.addMembersOfBig();
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  public static String member(int i) {
    return "m" + i + "@d" + (i % 10) + ".example.com";
  }

  /** The members of "big", as rows of Sympa's subscriber_table, in one transaction. */
  private void addMembersOfBig() throws Exception {
    StringBuilder sql = new StringBuilder("BEGIN;\n");
    long now = System.currentTimeMillis() / 1000;
    for (int i = 0; i < members; i++) {
      sql.append(
          "INSERT INTO subscriber_table (list_subscriber, robot_subscriber, user_subscriber,"
              + " date_epoch_subscriber, update_epoch_subscriber, reception_subscriber, visibility_subscriber,"
              + " subscribed_subscriber, number_messages_subscriber, suspend_subscriber) VALUES ('"
              + BIG
              + "', '"
              + DOMAIN
              + "', '"
              + member(i)
              + "', "
              + now
              + ", "
              + now
              + ", 'mail', 'noconceal', 1, 0, 0);\n");
    }
    sql.append("COMMIT;\n");
    Path file = Files.createTempFile("members-", ".sql");
    Files.writeString(file, sql, StandardCharsets.UTF_8);
    String postgres = stack.containers("postgres").get(0);
    SwarmStack.dockerOk("cp", file.toString(), postgres + ":/tmp/members.sql");
    Files.delete(file);
    String psql =
        "setpriv --reuid=postgres --regid=postgres --init-groups psql -X -q -t -A -v ON_ERROR_STOP=1 -d "
            + PostgresqlContainer.DATABASE;
    SwarmStack.exec(postgres, psql + " < /tmp/members.sql");
    assertThat(
            SwarmStack.exec(
                    postgres,
                    psql
                        + " -c \"select count(*) from subscriber_table where list_subscriber"
                        + " = '"
                        + BIG
                        + "'\"")
                .strip())
        .isEqualTo(Integer.toString(members));
  }

  /**
   * An MTA's delivery to the relays, from a container on the stack's mx network: per session the
   * relays' addresses are resolved again, tried from a rotating start, the next one when one
   * refuses (at connect or with a 4xx); prints "accepted TOKEN EPOCH" per message (EPOCH: when the
   * relay's 250 for the data came) and a summary line.
   */
  public static final String CLIENT =
      """
      use strict; use warnings; use Net::SMTP; use Socket; use Time::HiRes qw(sleep time);
      my ($host, $count, $interval, $prefix, $rcpt) = @ARGV;
      my ($refused, $failedAttempts, $accepted) = (0, 0, 0);
      $| = 1;
      for my $i (1 .. $count) {
        my $started = time;
        my @packed = (gethostbyname($host))[4 .. 99];
        my @ips = map { inet_ntoa($_) } grep { defined } @packed;
        my $token = "$prefix-$i";
        my ($ok, $sawRefusal) = (0, @ips ? 0 : 1);
        ROUND: for my $round (1 .. 3) {
        if ($round > 1) { sleep 1; @ips = map { inet_ntoa($_) } grep { defined } (gethostbyname($host))[4 .. 99]; }
        for my $k (0 .. $#ips) {
          my $ip = $ips[($i + $k) % @ips];
          my $smtp = Net::SMTP->new($ip, Port => 25, Timeout => 15, Hello => 'client.example.org');
          if (!$smtp) { $sawRefusal = 1; $failedAttempts++; next; }
          if ($smtp->mail('alice@example.org') && $smtp->to($rcpt) && $smtp->data()
              && $smtp->datasend("From: alice\\@example.org\\r\\nTo: $rcpt\\r\\nSubject: $token\\r\\n"
                  . "Message-ID: <$token\\@example.org>\\r\\n\\r\\nBody of $token\\r\\n")
              && $smtp->dataend()) {
            $ok = time; $smtp->quit; last ROUND;
          }
          $sawRefusal = 1; $failedAttempts++;
          eval { $smtp->quit };
        }
        }
        $refused++ if $sawRefusal;
        if ($ok) { $accepted++; printf "accepted %s %.3f\\n", $token, $ok; } else { print "lost-at-client $token\\n"; }
        my $left = $interval - (time - $started);
        sleep($left) if $left > 0;
      }
      print "summary sessions=$count accepted=$accepted refused_sessions=$refused failed_attempts=$failedAttempts\\n";
      """;

  /** Tokens accepted by a relay, with the time (epoch seconds) of each 250. */
  public record ClientRun(Map<String, Double> acceptedAt, String summary, String output) {
    public List<String> accepted() {
      return List.copyOf(acceptedAt.keySet());
    }
  }

  /** COUNT one-message sessions to RCPT, one every INTERVAL seconds, through the relays. */
  public ClientRun sendThroughTheRelays(int count, double interval, String prefix, String rcpt) {
    Processes.Result result =
        SwarmStack.docker(
            Duration.ofMinutes(10),
            "run",
            "--rm",
            "--network",
            stack.scoped("mx"),
            "--entrypoint",
            "perl",
            fullImage,
            "-e",
            CLIENT,
            "relay",
            Integer.toString(count),
            Double.toString(interval),
            prefix,
            rcpt);
    assertThat(result.exitCode()).as(result.output()).isEqualTo(0);
    Map<String, Double> accepted = new java.util.LinkedHashMap<>();
    String summary = "";
    for (String line : SwarmStack.lines(result.stdout())) {
      String[] words = line.split(" ");
      if (words[0].equals("accepted")) {
        accepted.put(words[1], Double.parseDouble(words[2]));
      } else if (words[0].equals("summary")) {
        summary = line.substring("summary ".length());
      }
    }
    return new ClientRun(accepted, summary, result.output());
  }

  public String sink() {
    return stack.containers("sink").get(0);
  }

  /**
   * Recipient of every copy at the sink whose text holds PREFIX, keyed by the token in its Subject.
   */
  public Map<String, List<String>> copiesAtTheSink(String prefix) {
    String out =
        SwarmStack.exec(
            sink(),
            "for f in $(grep -rlF -e "
                + Shell.quote(prefix)
                + " /sink); do"
                + " t=$(grep -o -m 1 -e "
                + Shell.quote(prefix + "-[0-9]*")
                + " \"$f\" | head -n 1);"
                + " sed -n \"s/^X-Rcpt-Args: <\\([^>]*\\)>.*/$t \\1/p\" \"$f\"; done");
    Map<String, List<String>> copies = new HashMap<>();
    for (String line : SwarmStack.lines(out)) {
      String[] parts = line.split(" ", 2);
      if (parts.length == 2) {
        copies.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
      }
    }
    return copies;
  }

  /** When the sink wrote its last file holding TOKEN (epoch seconds): the last copy's arrival. */
  public double lastCopyAt(String token) {
    return Double.parseDouble(
        SwarmStack.exec(
                sink(),
                "grep -rlF -e "
                    + Shell.quote(token)
                    + " /sink | xargs -r -n 1 date +%s.%N -r | sort -n | tail -n 1")
            .strip());
  }

  /** Scales SERVICE to REPLICAS and waits until they are ready. */
  public void scale(String service, int replicas) throws Exception {
    SwarmStack.dockerOk(
        "service", "scale", "--detach=false", stack.scoped(service) + "=" + replicas);
    stack.awaitReady(service, replicas, Duration.ofMinutes(5));
  }

  @Override
  public void close() {
    stack.close();
  }
}
