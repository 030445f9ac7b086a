package dev.sympaappliance.e2e.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ClusterOnSwarm;
import dev.sympaappliance.e2e.support.ClusterOnSwarm.ClientRun;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Shell;
import dev.sympaappliance.e2e.support.SwarmStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.api.Test;

/**
 * examples/cluster.yaml on a single-node swarm ({@link ClusterOnSwarm}: 3 front relays, the core, 2
 * bulk senders, the web, PostgreSQL and the sink): mail through the relays, a rolling update of the
 * relays under load, a bulk replica killed, lists created on the core at run time reaching the
 * relays, the core down behind the relays. The tests run in any order: the one that changes a list
 * changes it back. Runs alone (its own Failsafe execution, after the other tests): making and
 * leaving a swarm disturbs running containers.
 */
class SwarmStackIT {
  static final String DOMAIN = ClusterOnSwarm.DOMAIN;
  static final int BIG = 1000;
  static final Path FIGURES = Path.of("target/swarm-figures.txt");
  static final Duration DELIVERY = Duration.ofMinutes(3);

  static ClusterOnSwarm cluster;
  static final Map<String, String> figures = new LinkedHashMap<>();

  @BeforeAll
  static void deploy() throws Exception {
    cluster = ClusterOnSwarm.deploy(BIG);
  }

  @AfterAll
  static void removeTheStackAndLeaveTheSwarm() throws Exception {
    Files.writeString(
        FIGURES,
        String.join(
                "\n",
                figures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList())
            + "\n",
        StandardCharsets.UTF_8);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aPostThroughTheRelaysReachesEveryMember() throws Exception {
    String prefix = "swarm-post-" + UUID.randomUUID().toString().substring(0, 8);
    ClientRun run = cluster.sendThroughTheRelays(1, 0, prefix, "team@" + DOMAIN);
    assertThat(run.accepted()).as(run.output()).containsExactly(prefix + "-1");
    Map<String, List<String>> copies =
        Poll.until(
            () -> cluster.copiesAtTheSink(prefix),
            c -> c.getOrDefault(prefix + "-1", List.of()).size() >= 3,
            DELIVERY,
            Duration.ofSeconds(1));
    assertThat(copies.get(prefix + "-1"))
        .containsExactlyInAnyOrderElementsOf(ListServerImages.TEAM);
    // It went the whole way: a relay, the core's Postfix and sympa_msg, a bulk's Postfix. The
    // copies
    // themselves say so: the sink records each client's address (X-Client-Addr), a bulk replica's.
    List<String> clients =
        SwarmStack.lines(
            SwarmStack.exec(
                cluster.sink(),
                "grep -rlF -e "
                    + Shell.quote(prefix + "-1")
                    + " /sink | xargs -r -d '\\n' sed -n 's/^X-Client-Addr: //p' | sort -u"));
    Set<String> bulkAddresses = new HashSet<>();
    for (String id : cluster.stack.containers("bulk")) {
      bulkAddresses.addAll(
          SwarmStack.lines(
              SwarmStack.dockerOk(
                  "inspect",
                  "--format",
                  "{{range .NetworkSettings.Networks}}{{println .IPAddress}}{{end}}",
                  id)));
    }
    assertThat(clients)
        .as("the addresses the copies came from, against the bulk replicas' " + bulkAddresses)
        .isNotEmpty()
        .allSatisfy(client -> assertThat(bulkAddresses).contains(client));
  }

  @Test
  void aRollingUpdateOfTheRelaysUnderLoadLosesNothingAccepted() throws Exception {
    String prefix = "swarm-update-" + UUID.randomUUID().toString().substring(0, 8);
    // 400 sessions at 4 a second: the load lasts longer than the update (63.5 s measured for
    // three relays), so that the update happens under it from start to end.
    int sessions = 400;
    CompletableFuture<ClientRun> load =
        CompletableFuture.supplyAsync(
            () -> cluster.sendThroughTheRelays(sessions, 0.25, prefix, "team@" + DOMAIN));
    Thread.sleep(3000);
    assertThat(load.isDone()).as("the load runs when the update starts").isFalse();
    long started = System.nanoTime();
    SwarmStack.dockerOk(
        "service", "update", "--force", "--detach=false", cluster.stack.scoped("relay"));
    double updateSeconds = (System.nanoTime() - started) / 1e9;
    // The update happened under the load: it still runs when the update is over.
    assertThat(load.isDone())
        .as("the load still runs when the update is over (%.1f s)", updateSeconds)
        .isFalse();
    ClientRun run = load.get(10, TimeUnit.MINUTES);
    assertThat(run.accepted()).as(run.output()).isNotEmpty();

    Set<String> accepted = new HashSet<>(run.accepted());
    Map<String, List<String>> copies =
        Poll.until(
            () -> cluster.copiesAtTheSink(prefix),
            c -> accepted.stream().allMatch(t -> c.getOrDefault(t, List.of()).size() >= 3),
            DELIVERY,
            Duration.ofSeconds(2));
    List<String> lost =
        accepted.stream()
            .filter(
                t ->
                    !new HashSet<>(copies.getOrDefault(t, List.of()))
                        .containsAll(ListServerImages.TEAM))
            .toList();
    long duplicates =
        copies.values().stream().mapToLong(c -> c.size() - new HashSet<>(c).size()).sum();
    figures.put(
        "rolling update of 3 relays (parallelism 1, stop-first) under load",
        String.format(
            "%d one-message sessions at 4/s, %s; update took %.1f s; accepted messages missing at the sink: %d;"
                + " duplicate copies: %d",
            sessions, run.summary(), updateSeconds, lost.size(), duplicates));
    assertThat(lost).as("accepted but not delivered to every member").isEmpty();
    assertThat(run.accepted())
        .as("every session was accepted by some relay: " + run.summary())
        .hasSize(sessions);
  }

  /**
   * Kills the bulk replica that sends a post to {@value #BIG} members as soon as the first copy is
   * at the sink. With the image's settings (packets of 2,500, a relay host taking 1,000 recipients
   * per transaction) all {@value #BIG} leave in one SMTP transaction within about a second, so here
   * the kill lands after the copies are out (the figure "copies at the sink when killed" says so):
   * this shows that a killed replica is replaced without a second copy, not a kill halfway through.
   */
  @Test
  void killingTheBulkReplicaThatSendsAPostLeavesNoMemberWithoutItAndNoneTwice() throws Exception {
    String prefix = "swarm-big-" + UUID.randomUUID().toString().substring(0, 8);
    ClientRun run = cluster.sendThroughTheRelays(1, 0, prefix, ClusterOnSwarm.BIG + "@" + DOMAIN);
    String token = prefix + "-1";
    assertThat(run.accepted()).as(run.output()).containsExactly(token);
    // The first copies at the sink: the distribution has begun; kill the bulk that sends it.
    Poll.until(
        () -> cluster.copiesAtTheSink(prefix).getOrDefault(token, List.of()).size(),
        n -> n > 0,
        DELIVERY,
        Duration.ofMillis(100));
    int atKill = cluster.copiesAtTheSink(prefix).getOrDefault(token, List.of()).size();
    String victim =
        cluster.stack.containers("bulk").stream()
            .filter(id -> SwarmStack.dockerOk("logs", "--tail", "2000", id).contains("@d"))
            .findFirst()
            .orElse(cluster.stack.containers("bulk").get(0));
    SwarmStack.dockerOk("kill", victim);

    Map<String, List<String>> copies =
        Poll.until(
            () -> cluster.copiesAtTheSink(prefix),
            c -> new HashSet<>(c.getOrDefault(token, List.of())).size() >= BIG,
            Duration.ofMinutes(5),
            Duration.ofSeconds(2));
    List<String> got = copies.getOrDefault(token, List.of());
    Set<String> members = new HashSet<>(got);
    figures.put(
        "bulk replica killed during a distribution to " + BIG + " members",
        String.format(
            "copies at the sink when killed: %d; members reached: %d of %d; copies in all: %d; duplicates: %d",
            atKill, members.size(), BIG, got.size(), got.size() - members.size()));
    for (int i = 0; i < BIG; i++) {
      assertThat(members).as("member " + i).contains(ClusterOnSwarm.member(i));
    }
    assertThat(got).as("no member got it twice").hasSize(members.size());
    cluster.stack.awaitReady("bulk", 2, Duration.ofMinutes(3));
  }

  /**
   * The same with one copy per member (VERP, as one-click unsubscribe makes it: bulk.pl hands
   * Postfix one member at a time, tens a second), so that the kill lands in the middle of the
   * distribution: the bulk replica that has sent some copies is killed once a few hundred are at
   * the sink. Every member must get the post; duplicates (a copy handed to Postfix whose packet
   * bulk.pl had not yet marked done) are counted and reported, not forbidden.
   */
  @Test
  void killingABulkReplicaHalfwayThroughPerMemberCopiesLeavesNoMemberWithoutThePost()
      throws Exception {
    String core = cluster.stack.containers("core").get(0);
    String config =
        "$(ls -d /var/lib/sympa/list_data/"
            + ClusterOnSwarm.BIG
            + " /var/lib/sympa/list_data/*/"
            + ClusterOnSwarm.BIG
            + " 2>/dev/null | head -n 1)/config";
    SwarmStack.exec(core, "config=" + config + " && printf '\\nverp_rate 100%%\\n' >> \"$config\"");
    try {
      killHalfwayThroughPerMemberCopies();
    } finally {
      // The list as the other tests know it (they run in any order): one copy per packet again.
      SwarmStack.exec(core, "config=" + config + " && sed -i '/^verp_rate 100%$/d' \"$config\"");
    }
  }

  private void killHalfwayThroughPerMemberCopies() throws Exception {
    String prefix = "swarm-verp-" + UUID.randomUUID().toString().substring(0, 8);
    String token = prefix + "-1";
    ClientRun run = cluster.sendThroughTheRelays(1, 0, prefix, ClusterOnSwarm.BIG + "@" + DOMAIN);
    assertThat(run.accepted()).as(run.output()).containsExactly(token);
    int halfway = BIG / 4;
    Poll.until(
        () -> cluster.copiesAtTheSink(prefix).getOrDefault(token, List.of()).size(),
        n -> n >= halfway,
        DELIVERY,
        Duration.ofMillis(250));
    String victim =
        cluster.stack.containers("bulk").stream()
            .filter(id -> SwarmStack.dockerOk("logs", "--tail", "200", id).contains("@d"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no bulk replica has sent a copy"));
    SwarmStack.dockerOk("kill", victim);
    int atKill = cluster.copiesAtTheSink(prefix).getOrDefault(token, List.of()).size();
    assertThat(atKill).as("the kill came before the last copy").isLessThan(BIG);

    Map<String, List<String>> copies =
        Poll.until(
            () -> cluster.copiesAtTheSink(prefix),
            c -> new HashSet<>(c.getOrDefault(token, List.of())).size() >= BIG,
            Duration.ofMinutes(10),
            Duration.ofSeconds(2));
    List<String> got = copies.getOrDefault(token, List.of());
    Set<String> members = new HashSet<>(got);
    figures.put(
        "bulk replica killed halfway through per-member copies to " + BIG + " members",
        String.format(
            "copies at the sink when killed: %d; members reached: %d of %d; copies in all: %d; duplicates: %d",
            atKill, members.size(), BIG, got.size(), got.size() - members.size()));
    for (int i = 0; i < BIG; i++) {
      assertThat(members).as("member " + i).contains(ClusterOnSwarm.member(i));
    }
    cluster.stack.awaitReady("bulk", 2, Duration.ofMinutes(3));
  }

  /**
   * At each relay (every address of the relays' name, on the mx network), one SMTP session: MAIL,
   * RCPT (timed), and with a TOKEN argument DATA when the RCPT was accepted. Prints per relay "rcpt
   * IP CODE MILLISECONDS REPLY" and, for a message, "data IP CODE".
   */
  static final String AT_EACH_RELAY =
      """
      use strict; use warnings; use Net::SMTP; use Socket; use Time::HiRes qw(time);
      my ($host, $rcpt, $token) = @ARGV;
      $| = 1;
      my @ips = sort map { inet_ntoa($_) } grep { defined } (gethostbyname($host))[4 .. 99];
      for my $ip (@ips) {
        my $smtp = Net::SMTP->new($ip, Port => 25, Timeout => 30, Hello => 'client.example.org');
        if (!$smtp) { print "rcpt $ip 0 0 no connection\\n"; next; }
        $smtp->mail('alice@example.org');
        my $started = time;
        $smtp->to($rcpt);
        my ($code, $ms, $reply) = ($smtp->code, (time - $started) * 1000, $smtp->message);
        $reply =~ s/\\s+/ /g;
        printf "rcpt %s %d %.1f %s\\n", $ip, $code, $ms, $reply;
        if (defined $token && $code == 250) {
          $smtp->data();
          $smtp->datasend("From: alice\\@example.org\\r\\nTo: $rcpt\\r\\nSubject: $token\\r\\n"
              . "Message-ID: <$token\\@example.org>\\r\\n\\r\\nBody of $token\\r\\n");
          $smtp->dataend();
          print "data $ip ", $smtp->code, "\\n";
          $token = undef;
        }
        $smtp->quit;
      }
      """;

  /** One relay's answer to RCPT. */
  record RcptReply(String relay, int code, double millis, String reply) {}

  /** What each relay answers to RCPT for RCPT; with a TOKEN, the first that accepts takes it. */
  static List<RcptReply> atEachRelay(String rcpt, String token) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "run",
                "--rm",
                "--network",
                cluster.stack.scoped("mx"),
                "--entrypoint",
                "perl",
                cluster.fullImage,
                "-e",
                AT_EACH_RELAY,
                "relay",
                rcpt));
    if (token != null) {
      args.add(token);
    }
    String out = SwarmStack.dockerOk(args.toArray(String[]::new));
    List<RcptReply> replies = new java.util.ArrayList<>();
    for (String line : SwarmStack.lines(out)) {
      String[] words = line.split(" ", 5);
      if (words[0].equals("rcpt")) {
        replies.add(
            new RcptReply(
                words[1],
                Integer.parseInt(words[2]),
                Double.parseDouble(words[3]),
                words.length > 4 ? words[4] : ""));
      } else if (words[0].equals("data") && !words[2].equals("250")) {
        throw new AssertionError("DATA refused: " + out);
      }
    }
    assertThat(replies).as(out).hasSize(3);
    return replies;
  }

  static boolean accepted(List<RcptReply> replies) {
    return replies.stream().anyMatch(r -> r.code() == 250);
  }

  /** Makes LIST on the core with Sympa's CLI, ALICE its one member. */
  static void createListOnTheCore(String list) {
    String core = cluster.stack.containers("core").get(0);
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><list><listname>"
            + list
            + "</listname><type>discussion_list</type><subject>"
            + list
            + "</subject><description>"
            + list
            + "</description><status>open</status><topics>other</topics>"
            + "<owner multiple=\"1\"><email>alice@example.org</email></owner></list>";
    String file = "/tmp/" + list + ".xml";
    SwarmStack.exec(
        core,
        "printf '%s' "
            + Shell.quote(xml)
            + " > "
            + file
            + " && /usr/lib/sympa/bin/sympa.pl --create_list --robot "
            + DOMAIN
            + " --input_file "
            + file
            + " 2>&1; printf '%s\\n' alice@example.org | /usr/lib/sympa/bin/sympa.pl add --quiet "
            + list
            + "@"
            + DOMAIN
            + " 2>&1; test -f \"$(ls -d /var/lib/sympa/list_data/"
            + list
            + " /var/lib/sympa/list_data/*/"
            + list
            + " 2>/dev/null | head -n 1)/config\"");
  }

  /**
   * A list created on the core after the stack is up receives a post through the relays, which were
   * neither rebuilt nor restarted: from the first attempt every relay answers 250 or at most 4xx,
   * never 5xx; the post reaches the member at the sink. An unknown address still gets 550 at every
   * relay.
   */
  @Test
  void aListCreatedOnTheCoreAtRunTimeReceivesAPostThroughTheRelays() throws Exception {
    String list = "late-" + UUID.randomUUID().toString().substring(0, 8);
    createListOnTheCore(list);
    String address = list + "@" + DOMAIN;
    String prefix = "swarm-late-" + UUID.randomUUID().toString().substring(0, 8);
    String token = prefix + "-1";

    List<RcptReply> first = atEachRelay(address, token);
    assertThat(first)
        .as("the first RCPT at each relay, right after the list was made")
        .allSatisfy(r -> assertThat(r.code()).as(r.toString()).isBetween(250, 499));
    if (!accepted(first)) {
      List<RcptReply> attempts = new java.util.ArrayList<>();
      Poll.until(
          () -> {
            List<RcptReply> replies = atEachRelay(address, token);
            attempts.addAll(replies);
            return replies;
          },
          SwarmStackIT::accepted,
          Duration.ofMinutes(2),
          Duration.ofSeconds(2));
      assertThat(attempts)
          .as("the later attempts")
          .allSatisfy(r -> assertThat(r.code()).as(r.toString()).isBetween(250, 499));
    }
    List<RcptReply> cached = atEachRelay(address, null);
    assertThat(cached).allSatisfy(r -> assertThat(r.code()).as(r.toString()).isEqualTo(250));
    figures.put(
        "RCPT reply at the relays for a list made at run time",
        String.format(
            "first (not cached) %s ms; again (cached) %s ms",
            first.stream().map(r -> r.code() + "/" + String.format("%.0f", r.millis())).toList(),
            cached.stream().map(r -> String.format("%.1f", r.millis())).toList()));
    System.out.println("[figures] " + figures);

    Map<String, List<String>> copies =
        Poll.until(
            () -> cluster.copiesAtTheSink(prefix),
            c -> !c.getOrDefault(token, List.of()).isEmpty(),
            DELIVERY,
            Duration.ofSeconds(1));
    assertThat(copies.get(token)).containsExactly("alice@example.org");

    // Refusals once the post is out (nothing in flight): an unknown address, at every relay.
    String unknown = "no-such-list-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
    assertThat(atEachRelay(unknown, null))
        .allSatisfy(r -> assertThat(r.code()).as(r.toString()).isEqualTo(550));
  }

  /**
   * The core down (its service scaled to 0: its name no longer resolves): a real list no relay has
   * asked about gets 4xx at RCPT, never 550; a list the relays know (cached) is accepted and queued
   * at the relay. Once the core is back, the retried post and the queued one reach the sink.
   */
  @Test
  void withTheCoreDownARealListGets4xxAndNothingIsLost() throws Exception {
    String list = "down-" + UUID.randomUUID().toString().substring(0, 8);
    createListOnTheCore(list);
    String address = list + "@" + DOMAIN;
    String team = "team@" + DOMAIN;
    // Every relay asks the core about team now, while it is up: cached.
    assertThat(atEachRelay(team, null))
        .allSatisfy(r -> assertThat(r.code()).as(r.toString()).isEqualTo(250));
    String prefix = "swarm-down-" + UUID.randomUUID().toString().substring(0, 8);
    String queuedToken = prefix + "-1";
    String retriedToken = prefix + "-2";

    SwarmStack.dockerOk("service", "scale", "--detach=false", cluster.stack.scoped("core") + "=0");
    try {
      Poll.until(
          () -> cluster.stack.containers("core"),
          List::isEmpty,
          Duration.ofMinutes(2),
          Duration.ofSeconds(1));
      List<RcptReply> down = atEachRelay(address, null);
      figures.put("RCPT at the relays, core down, list not cached", down.toString());
      assertThat(down)
          .as("a real list, never asked about, the core down")
          .allSatisfy(r -> assertThat(r.code()).as(r.toString()).isBetween(400, 499));
      List<RcptReply> queued = atEachRelay(team, queuedToken);
      assertThat(queued)
          .as("a cached list, the core down: accepted and queued")
          .allSatisfy(r -> assertThat(r.code()).as(r.toString()).isEqualTo(250));
    } finally {
      cluster.scale("core", 1);
    }
    // A sending MTA retries: the first attempt the relays accept.
    Poll.until(
        () -> atEachRelay(address, retriedToken),
        SwarmStackIT::accepted,
        Duration.ofMinutes(2),
        Duration.ofSeconds(2));
    // Postfix retries what it deferred after its backoff (5 minutes by default); flushing the
    // relays' queues (what an operator does once the core is back) sends it now.
    for (String relay : cluster.stack.containers("relay")) {
      SwarmStack.exec(relay, "postqueue -f");
    }
    Map<String, List<String>> copies =
        Poll.until(
            () -> cluster.copiesAtTheSink(prefix),
            c ->
                c.getOrDefault(queuedToken, List.of()).size() >= ListServerImages.TEAM.size()
                    && !c.getOrDefault(retriedToken, List.of()).isEmpty(),
            DELIVERY,
            Duration.ofSeconds(2));
    assertThat(copies.get(queuedToken)).containsExactlyInAnyOrderElementsOf(ListServerImages.TEAM);
    assertThat(copies.get(retriedToken)).containsExactly("alice@example.org");
  }
}
