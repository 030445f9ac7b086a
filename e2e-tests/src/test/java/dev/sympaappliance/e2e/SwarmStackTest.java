package dev.sympaappliance.e2e;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The deployment of examples/cluster.yaml as a Docker stack on a single-node swarm, from locally
 * built images: 3 front relays, the core, 2 bulk senders, the web, PostgreSQL (the tests' image,
 * which takes the official image's POSTGRES_* variables) and the sink as relay host.
 *
 * <p>What differs from the rendered stack, and why: the relays publish no port here. IPVS is
 * missing on this machine (no VIPs, no ingress routing mesh), and in host mode the three relays of
 * one node cannot each bind port 25. So the client is a container on the stack's mx network that
 * does what a sending MTA does with several MX hosts: it resolves the relays' name (every relay's
 * address: dnsrr) and tries the next address when one refuses. Runs alone (its own Surefire
 * execution, after the other tests): making and leaving a swarm disturbs running containers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmStackTest {
  static final String STACK = "sympa-e2e";
  static final String DOMAIN = ListServerImages.DOMAIN;
  static final String PASSWORD = "pg-" + UUID.randomUUID();
  static final int BIG = 1000;
  static final Path FIGURES = Path.of("target/swarm-figures.txt");
  static final Duration DELIVERY = Duration.ofMinutes(3);

  static SwarmStack stack;
  static String fullImage;
  static final Map<String, String> figures = new LinkedHashMap<>();

  /**
   * examples/cluster.yaml with the tests' image names and a list "big", whose {@value #BIG} members
   * the test writes into PostgreSQL after the deployment (`sympa.pl add` at the core's first
   * start took over 3 minutes for them here; the distribution benchmark does the same).
   */
  static ApplianceSpec spec() throws Exception {
    StringBuilder yaml = new StringBuilder(Files.readString(ListServerImages.clusterSpec(), StandardCharsets.UTF_8)
        .replace("image: sympa-appliance-cluster:latest", "image: sympa-appliance-e2e-cluster:latest")
        .replace("relay_image: sympa-relay-cluster:latest", "relay_image: sympa-appliance-e2e-cluster-relay:latest")
        .replace("postgresql_image: postgres:15", "postgresql_image: " + PostgresqlContainer.image()
            .asCanonicalNameString()));
    yaml.append("  - name: big\n    subject: A big list\n    type: hotline\n    owners: [alice@example.org]\n");
    return ApplianceSpec.fromUserInput(SpecFile.parse("cluster.yaml (test)", yaml.toString()));
  }

  @BeforeAll
  static void deploy() throws Exception {
    ApplianceSpec spec = spec();
    var deployment = spec.deployment().orElseThrow();
    fullImage = ApplianceImages.build(deployment.image(), spec).asCanonicalNameString();
    ApplianceImages.build(deployment.relayImage(), DeploymentRenderer.frontRelay(spec));
    String sinkImage = ApplianceImages.sink().asCanonicalNameString();

    Path dir = Files.createDirectories(Path.of("target/swarm"));
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String rendered = new DeploymentRenderer().render(spec, DeploymentRenderer.Format.SWARM, "--format")
        .files().get(0).text();
    ObjectNode stackFile = (ObjectNode) yaml.readTree(rendered);
    ObjectNode relay = (ObjectNode) stackFile.path("services").path("relay");
    relay.remove("ports");
    ((ObjectNode) relay.path("deploy")).remove("placement");
    Path stackYml = dir.resolve("stack.yml");
    yaml.writeValue(stackYml.toFile(), stackFile);
    // The staging sink as the relay host "sink", on the network of the senders.
    Path sinkYml = dir.resolve("sink.yml");
    Files.writeString(sinkYml, """
        version: "3.8"
        services:
          sink:
            image: %s
            networks: [sympa]
            deploy:
              replicas: 1
              endpoint_mode: dnsrr
        """.formatted(sinkImage), StandardCharsets.UTF_8);

    stack = SwarmStack.deploy(STACK, Map.of("db_password", PASSWORD), stackYml, sinkYml);
    stack.awaitReady("sink", 1, Duration.ofMinutes(2));
    stack.awaitReady("postgres", 1, Duration.ofMinutes(2));
    stack.awaitReady("core", 1, Duration.ofMinutes(5));
    stack.awaitReady("bulk", 2, Duration.ofMinutes(5));
    stack.awaitReady("web", 1, Duration.ofMinutes(5));
    stack.awaitReady("relay", 3, Duration.ofMinutes(2));
    addMembersOfBig();
  }

  static String member(int i) {
    return "m" + i + "@d" + (i % 10) + ".example.com";
  }

  /** The {@value #BIG} members of "big", as rows of Sympa's subscriber_table, in one transaction. */
  static void addMembersOfBig() throws Exception {
    StringBuilder sql = new StringBuilder("BEGIN;\n");
    long now = System.currentTimeMillis() / 1000;
    for (int i = 0; i < BIG; i++) {
      sql.append("INSERT INTO subscriber_table (list_subscriber, robot_subscriber, user_subscriber,"
          + " date_epoch_subscriber, update_epoch_subscriber, reception_subscriber, visibility_subscriber,"
          + " subscribed_subscriber, number_messages_subscriber, suspend_subscriber) VALUES ('big', '" + DOMAIN
          + "', '" + member(i) + "', " + now + ", " + now + ", 'mail', 'noconceal', 1, 0, 0);\n");
    }
    sql.append("COMMIT;\n");
    Path file = Files.createTempFile("members-", ".sql");
    Files.writeString(file, sql, StandardCharsets.UTF_8);
    String postgres = stack.containers("postgres").get(0);
    SwarmStack.dockerOk("cp", file.toString(), postgres + ":/tmp/members.sql");
    Files.delete(file);
    String psql = "setpriv --reuid=postgres --regid=postgres --init-groups psql -X -q -t -A -v ON_ERROR_STOP=1 -d "
        + PostgresqlContainer.DATABASE;
    SwarmStack.exec(postgres, psql + " < /tmp/members.sql");
    assertThat(SwarmStack.exec(postgres, psql + " -c \"select count(*) from subscriber_table where list_subscriber"
        + " = 'big'\"").strip()).isEqualTo(Integer.toString(BIG));
  }

  @AfterAll
  static void removeTheStackAndLeaveTheSwarm() throws Exception {
    Files.writeString(FIGURES, String.join("\n", figures.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).toList()) + "\n", StandardCharsets.UTF_8);
    if (stack != null) {
      stack.close();
    }
  }

  /**
   * An MTA's delivery to the relays, from a container on the stack's mx network: per session the
   * relays' addresses are resolved again, tried from a rotating start, the next one when one
   * refuses (at connect or with a 4xx); prints "accepted TOKEN" per message and a summary line.
   */
  static final String CLIENT = """
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
            $smtp->quit; $ok = 1; last ROUND;
          }
          $sawRefusal = 1; $failedAttempts++;
          eval { $smtp->quit };
        }
        }
        $refused++ if $sawRefusal;
        if ($ok) { $accepted++; print "accepted $token\\n"; } else { print "lost-at-client $token\\n"; }
        my $left = $interval - (time - $started);
        sleep($left) if $left > 0;
      }
      print "summary sessions=$count accepted=$accepted refused_sessions=$refused failed_attempts=$failedAttempts\\n";
      """;

  record ClientRun(List<String> accepted, String summary, String output) {}

  /** COUNT one-message sessions to RCPT, one every INTERVAL seconds, through the relays. */
  static ClientRun sendThroughTheRelays(int count, double interval, String prefix, String rcpt) {
    Processes.Result result = SwarmStack.docker(Duration.ofMinutes(10), "run", "--rm", "--network",
        stack.scoped("mx"), "--entrypoint", "perl", fullImage, "-e", CLIENT, "relay", Integer.toString(count),
        Double.toString(interval), prefix, rcpt);
    assertThat(result.exitCode()).as(result.output()).isEqualTo(0);
    List<String> accepted = new ArrayList<>();
    String summary = "";
    for (String line : SwarmStack.lines(result.stdout())) {
      if (line.startsWith("accepted ")) {
        accepted.add(line.substring("accepted ".length()));
      } else if (line.startsWith("summary ")) {
        summary = line.substring("summary ".length());
      }
    }
    return new ClientRun(accepted, summary, result.output());
  }

  static String sink() {
    return stack.containers("sink").get(0);
  }

  /** Recipient of every copy at the sink whose text holds PREFIX, keyed by the token in its Subject. */
  static Map<String, List<String>> copiesAtTheSink(String prefix) {
    String out = SwarmStack.exec(sink(), "for f in $(grep -rlF -e " + Shell.quote(prefix) + " /sink); do"
        + " t=$(grep -o -m 1 -e " + Shell.quote(prefix + "-[0-9]*") + " \"$f\" | head -n 1);"
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

  @Test
  @Order(1)
  void aPostThroughTheRelaysReachesEveryMember() throws Exception {
    String prefix = "swarm-post-" + UUID.randomUUID().toString().substring(0, 8);
    ClientRun run = sendThroughTheRelays(1, 0, prefix, "team@" + DOMAIN);
    assertThat(run.accepted()).as(run.output()).containsExactly(prefix + "-1");
    Map<String, List<String>> copies = Poll.until(() -> copiesAtTheSink(prefix),
        c -> c.getOrDefault(prefix + "-1", List.of()).size() >= 3, DELIVERY, Duration.ofSeconds(1));
    assertThat(copies.get(prefix + "-1")).containsExactlyInAnyOrderElementsOf(ListServerImages.TEAM);
    // It went the whole way: a relay, the core's Postfix and sympa_msg, a bulk's Postfix.
    String bulkLogs = String.join("", stack.containers("bulk").stream()
        .map(id -> SwarmStack.dockerOk("logs", id)).toList());
    assertThat(bulkLogs).contains("to=<carol@example.net>, relay=sink");
  }

  @Test
  @Order(2)
  void aRollingUpdateOfTheRelaysUnderLoadLosesNothingAccepted() throws Exception {
    String prefix = "swarm-update-" + UUID.randomUUID().toString().substring(0, 8);
    int sessions = 240;
    CompletableFuture<ClientRun> load = CompletableFuture.supplyAsync(
        () -> sendThroughTheRelays(sessions, 0.25, prefix, "team@" + DOMAIN));
    Thread.sleep(3000);
    long started = System.nanoTime();
    SwarmStack.dockerOk("service", "update", "--force", "--detach=false", stack.scoped("relay"));
    double updateSeconds = (System.nanoTime() - started) / 1e9;
    ClientRun run = load.get(10, TimeUnit.MINUTES);
    assertThat(run.accepted()).as(run.output()).isNotEmpty();

    Set<String> accepted = new HashSet<>(run.accepted());
    Map<String, List<String>> copies = Poll.until(() -> copiesAtTheSink(prefix),
        c -> accepted.stream().allMatch(t -> c.getOrDefault(t, List.of()).size() >= 3), DELIVERY,
        Duration.ofSeconds(2));
    List<String> lost = accepted.stream()
        .filter(t -> !new HashSet<>(copies.getOrDefault(t, List.of())).containsAll(ListServerImages.TEAM)).toList();
    long duplicates = copies.values().stream().mapToLong(c -> c.size() - new HashSet<>(c).size()).sum();
    figures.put("rolling update of 3 relays (parallelism 1, stop-first) under load", String.format(
        "%d one-message sessions at 4/s, %s; update took %.1f s; accepted messages missing at the sink: %d;"
            + " duplicate copies: %d", sessions, run.summary(), updateSeconds, lost.size(), duplicates));
    assertThat(lost).as("accepted but not delivered to every member").isEmpty();
    assertThat(run.accepted()).as("every session was accepted by some relay: " + run.summary()).hasSize(sessions);
  }

  @Test
  @Order(3)
  /**
   * Kills the bulk replica that sends a post to {@value #BIG} members as soon as the first copy is
   * at the sink. With the image's settings (packets of 2,500, a relay host taking 1,000 recipients per
   * transaction) all {@value #BIG} leave in one SMTP transaction within about a second, so here the
   * kill lands after the copies are out (the figure "copies at the sink when killed" says so): this
   * shows that a killed replica is replaced without a second copy, not a kill halfway through.
   */
  void killingTheBulkReplicaThatSendsAPostLeavesNoMemberWithoutItAndNoneTwice() throws Exception {
    String prefix = "swarm-big-" + UUID.randomUUID().toString().substring(0, 8);
    ClientRun run = sendThroughTheRelays(1, 0, prefix, "big@" + DOMAIN);
    String token = prefix + "-1";
    assertThat(run.accepted()).as(run.output()).containsExactly(token);
    // The first copies at the sink: the distribution has begun; kill the bulk that sends it.
    Poll.until(() -> copiesAtTheSink(prefix).getOrDefault(token, List.of()).size(), n -> n > 0, DELIVERY,
        Duration.ofMillis(100));
    int atKill = copiesAtTheSink(prefix).getOrDefault(token, List.of()).size();
    String victim = stack.containers("bulk").stream()
        .filter(id -> SwarmStack.dockerOk("logs", "--tail", "2000", id).contains("@d"))
        .findFirst().orElse(stack.containers("bulk").get(0));
    SwarmStack.dockerOk("kill", victim);

    Map<String, List<String>> copies = Poll.until(() -> copiesAtTheSink(prefix),
        c -> new HashSet<>(c.getOrDefault(token, List.of())).size() >= BIG, Duration.ofMinutes(5),
        Duration.ofSeconds(2));
    List<String> got = copies.getOrDefault(token, List.of());
    Set<String> members = new HashSet<>(got);
    figures.put("bulk replica killed during a distribution to " + BIG + " members", String.format(
        "copies at the sink when killed: %d; members reached: %d of %d; copies in all: %d; duplicates: %d",
        atKill, members.size(), BIG, got.size(), got.size() - members.size()));
    for (int i = 0; i < BIG; i++) {
      assertThat(members).as("member " + i).contains(member(i));
    }
    assertThat(got).as("no member got it twice").hasSize(members.size());
    stack.awaitReady("bulk", 2, Duration.ofMinutes(3));
  }
}
