package dev.sympaappliance.e2e.lifecycle;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.MailCommands;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.e2e.support.WebBrowser;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * The full list server across container lifetimes, on named volumes (Postfix's queue, Sympa's
 * spools, /var/lib/sympa): what survives docker rm, docker kill and docker stop, and what s6 does
 * when a daemon dies. Each scenario starts its own containers.
 */
class ListServerLifecycleIT {
  static final Duration DELIVERY = Duration.ofSeconds(90);

  /**
   * The secrets a first start makes besides the cookie: Sympa's DKIM key, Postfix's TLS key and
   * certificate.
   */
  static final String KEYS =
      "cat /var/lib/sympa/dkim/sympa.key /var/lib/sympa/appliance-secrets/tls/key.pem"
          + " /var/lib/sympa/appliance-secrets/tls/cert.pem";

  private final DockerClient docker = DockerClientFactory.instance().client();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> volumes =
      List.of(
          "sympa-e2e-full-queue-" + suffix,
          "sympa-e2e-full-spools-" + suffix,
          "sympa-e2e-full-data-" + suffix);
  private Network network;
  private SmtpSinkContainer sink;

  @BeforeEach
  void startSink() {
    network = Network.newNetwork();
    sink = Sinks.relayHostOn(network);
    sink.start();
  }

  @AfterEach
  void cleanUp() {
    sink.stop();
    network.close();
    for (String volume : volumes) {
      docker.removeVolumeCmd(volume).exec();
    }
  }

  @Test
  void aMemberWhoSubscribedByMailIsStillAMemberInANewContainer() throws Exception {
    String newcomer = "gina@example.net";
    try (SympaListServerContainer first = serverOnVolumes()) {
      first.start();
      MailCommands.subscribeByMailFollowingTheLink(first, sink, "team", newcomer, DELIVERY);
      assertThat(first.members("team")).contains(newcomer);
    }

    try (SympaListServerContainer second = serverOnVolumes()) {
      second.start();
      assertThat(second.getLogs()).contains("list team@" + DOMAIN + " exists, left as it is");
      assertThat(second.members("team"))
          .containsExactlyInAnyOrder(
              "alice@example.org", "bob@example.org", "carol@example.net", newcomer);
    }
  }

  @Test
  void eachSiteGetsItsOwnSecretsAndANewContainerOnTheVolumesKeepsThemAndTheSessions()
      throws Exception {
    String owner = "alice@example.org";
    String secret;
    String session;
    String keys;
    try (SympaListServerContainer first = serverOnVolumes();
        SympaListServerContainer elsewhere =
            new SympaListServerContainer(ListServerImages.example()).withNetwork(network)) {
      first.start();
      elsewhere.start();
      secret = first.cookieSecret();
      // Made at the first start: 48 hex digits from /dev/urandom, in the volume, not in the image.
      assertThat(secret).matches("[0-9a-f]{48}");
      assertThat(elsewhere.cookieSecret()).matches("[0-9a-f]{48}").isNotEqualTo(secret);
      assertThat(first.shell("cat /var/lib/sympa/appliance-secrets/cookie").strip())
          .isEqualTo(secret);
      assertThat(first.getLogs()).doesNotContain(secret);
      // The DKIM key and the TLS pair, made at the first start into the volume, as the cookie
      // secret.
      keys = first.shell(KEYS);
      assertThat(keys).contains("BEGIN RSA PRIVATE KEY", "BEGIN CERTIFICATE");
      assertThat(elsewhere.shell(KEYS)).isNotEqualTo(keys);
      // Where a secret made at the first start could leak: other files of the volumes and of /etc,
      // every process's environment and command line. It is in its file and this container's
      // sympa.conf, nowhere else; a line of each private key is in the key's file only. (Not in
      // `docker inspect`: made after the build and never passed as configuration, it cannot be
      // there.)
      assertThat(
              first.placesHolding(
                  secret, "/var/lib/sympa", "/var/spool/sympa", "/var/spool/postfix", "/etc"))
          .containsExactlyInAnyOrder(
              "/var/lib/sympa/appliance-secrets/cookie", "/etc/sympa/sympa/sympa.conf");
      for (String key :
          List.of(
              "/var/lib/sympa/dkim/sympa.key", "/var/lib/sympa/appliance-secrets/tls/key.pem")) {
        String line = first.shell("sed -n 2p " + key).strip();
        assertThat(
                first.placesHolding(
                    line, "/var/lib/sympa", "/var/spool/sympa", "/var/spool/postfix", "/etc"))
            .as(key)
            .containsExactly(key);
      }
      try (WebBrowser browser = first.browser("session-survives/first-container")) {
        browser.firstLogin(sink, owner, "a password that stays", DELIVERY);
        session = browser.cookie("sympa_session");
        assertThat(session).as("Sympa's session cookie").isNotBlank();
      }
    }

    try (SympaListServerContainer second = serverOnVolumes()) {
      second.start();
      assertThat(second.cookieSecret()).isEqualTo(secret);
      assertThat(second.shell(KEYS)).isEqualTo(keys);
      assertThat(second.getLogs())
          .doesNotContain("made the DKIM key", "made a self-signed TLS certificate");
      try (WebBrowser browser = second.browser("session-survives/second-container")) {
        browser.open("/sympa/home");
        assertThat(browser.text()).doesNotContain(owner);
        browser.addCookie("sympa_session", session);
        browser.open("/sympa/home");
        browser.shot("still-logged-in");
        assertThat(browser.text())
            .as("logged in with the session of the first container")
            .contains(owner);
      }
    }
  }

  /**
   * The relay host holds its answer to DATA for a minute, so the kill provably lands mid-flight:
   * Sympa has handed all 200 copies to Postfix, Postfix's SMTP transactions to the relay host are
   * open, and the relay host has kept none. A new container on the same volumes (the relay host now
   * answering at once) delivers each member exactly one copy.
   */
  @Test
  void dockerKillDuringADistributionLosesNoMemberAndDuplicatesNone() throws Exception {
    int members = 200;
    List<String> addresses =
        IntStream.range(0, members)
            .mapToObj(i -> "m" + i + "@d" + (i % 100) + ".example.net")
            .toList();
    String token = "killed-" + UUID.randomUUID();
    sink.stop();
    sink = Sinks.relayHostOn(network).withDataReplyDelay(Duration.ofSeconds(60));
    sink.start();
    try (SympaListServerContainer first = serverOnVolumes()) {
      first.start();
      first.createList("big", "hotline", "alice@example.org");
      first.addMembers("big", addresses.toArray(String[]::new));
      assertThat(first.members("big")).hasSize(members);

      first.sendOverSmtp(
          "alice@example.org",
          "big@" + DOMAIN,
          "From: alice@example.org",
          "To: big@" + DOMAIN,
          "Subject: " + token,
          "Message-ID: <" + token + "@example.test>",
          "",
          "to 200 members");
      first.awaitSympaIdle(DELIVERY);
      assertThat(
              Poll.until(
                  first::queuedRecipients,
                  queued -> queued.containsAll(addresses),
                  DELIVERY,
                  Duration.ofMillis(100)))
          .as("every copy in Postfix's queue")
          .containsAll(addresses);
      assertThat(first.shell("ss -tn state established '( dport = :25 )'"))
          .as("SMTP sessions to the relay host open")
          .contains(":25");
      assertThat(sink.recipientsOf(token)).as("copies at the relay host before the kill").isEmpty();
      docker.killContainerCmd(first.getContainerId()).exec();
    }
    assertThat(sink.recipientsOf(token)).as("copies at the relay host after the kill").isEmpty();
    sink.stop();
    sink = Sinks.relayHostOn(network);
    sink.start();

    try (SympaListServerContainer second = serverOnVolumes()) {
      second.start();
      second.shell("postqueue -f");
      sink.awaitRecipients(token, members, DELIVERY);
      second.awaitIdle(DELIVERY);
      List<String> copies = sink.recipientsOf(token);
      System.out.printf(
          "docker kill during a distribution to %d members: 0 copies at the relay host at the kill,"
              + " %d after the restart, %d distinct%n",
          members, copies.size(), new HashSet<>(copies).size());
      assertThat(copies)
          .as("each member exactly once")
          .containsExactlyInAnyOrderElementsOf(addresses);
    }
  }

  /**
   * {@code docker stop} stops Postfix first and waits for it before it signals Sympa's daemons, so
   * that no mail is taken in while they stop. Postfix's stop is made to last here: a finish script
   * (which s6 runs once the service is down, and which "down" waits for) marks the moment and
   * sleeps 3 s. Meanwhile the bulk daemon must still run, not yet signalled. Then every daemon
   * stops normally.
   */
  @Test
  void dockerStopStopsPostfixBeforeSympasDaemons() throws Exception {
    try (SympaListServerContainer server = serverOnVolumes()) {
      server.start();
      server.shell(
          "printf '#!/bin/sh\\ntouch /run/postfix-stopped\\nsleep 3\\n' > /run/service/postfix/finish"
              + " && chmod 755 /run/service/postfix/finish");
      CompletableFuture<Void> stop =
          CompletableFuture.runAsync(
              () -> docker.stopContainerCmd(server.getContainerId()).withTimeout(30).exec());

      String seen =
          Poll.until(
              () ->
                  server
                      .shellResult(
                          "test -e /run/postfix-stopped && s6-svstat -o up" + " /run/service/bulk")
                      .getStdout()
                      .strip(),
              state -> !state.isEmpty(),
              Duration.ofSeconds(10),
              Duration.ofMillis(20));
      String logsMeanwhile = server.getLogs();
      assertThat(seen).as("the bulk daemon once Postfix is down").isEqualTo("true");
      assertThat(logsMeanwhile)
          .as("Sympa's daemons once Postfix is down")
          .doesNotContain("Signal TERM received");
      stop.get(1, TimeUnit.MINUTES);
      assertThat(server.getLogs())
          .contains(
              "Bulk exited normally due to signal", "Sympa/msg exited normally due to signal");
    }
  }

  @Test
  void aKilledBulkDaemonIsBackWithinSecondsAndTheNextPostIsDistributed() throws Exception {
    try (SympaListServerContainer server = serverOnVolumes()) {
      server.start();
      // Each bulk.pl (bulk.workers: two by default) keeps a pid file of its own; with one file for
      // both, the second to start took the first for crashed and mailed the listmaster about it.
      Map<String, String> daemons = awaitDaemons(server, Set.of());
      assertThat(daemons.get("bulk")).isNotEqualTo(daemons.get("bulk-2"));
      assertThat(server.getLogs()).doesNotContain("died suddenly");
      String before = daemons.get("bulk");

      server.shell("kill -9 " + before);

      String after =
          Poll.until(
              () -> server.shell("cat /run/sympa/bulk.pid 2>/dev/null || true").strip(),
              pid -> !pid.isEmpty() && !pid.equals(before) && isDaemon(server, pid, "bulk.pl"),
              Duration.ofSeconds(10),
              Duration.ofMillis(100));
      assertThat(after).isNotEqualTo(before);
      assertThat(server.shell("s6-svstat -o up /run/service/bulk").strip()).isEqualTo("true");
      assertDistributed(server, "after-kill-" + UUID.randomUUID(), "bulk.pl was killed");
    }
  }

  /**
   * Sympa's daemons are children of the preload service, which loaded Sympa's modules once for all
   * of them. When it dies, each daemon's service stops its daemon and gets a new one from the
   * preload service's next start: every daemon again, once.
   */
  @Test
  void whenThePreloadServiceDiesEveryDaemonIsBackOnceAndThePostsGoOn() throws Exception {
    try (SympaListServerContainer server = serverOnVolumes()) {
      server.start();
      Map<String, String> before = awaitDaemons(server, Set.of());
      String preload = server.shell("s6-svstat -o pid /run/service/preload").strip();
      assertThat(before.values())
          .as("the daemons' parent")
          .allSatisfy(
              pid ->
                  assertThat(server.shell("awk '/^PPid:/{print $2}' /proc/" + pid + "/status"))
                      .isEqualToIgnoringWhitespace(preload));

      server.shell("kill -9 " + preload);

      Map<String, String> after = awaitDaemons(server, Set.copyOf(before.values()));
      assertThat(after.keySet()).isEqualTo(before.keySet());
      assertDistributed(server, "after-preload-" + UUID.randomUUID(), "the preload service died");
    }
  }

  /** Sympa's daemons of the server, each service's name → the pid in its pid file. */
  private static final Map<String, String> DAEMONS =
      Map.of(
          "sympa_msg", "sympa_msg.pl",
          "bulk", "bulk.pl",
          "bulk-2", "bulk.pl",
          "archived", "archived.pl",
          "bounced", "bounced.pl",
          "task_manager", "task_manager.pl");

  /**
   * Waits until each daemon's pid file names a running daemon of that name that is none of {@code
   * old}, and no other daemon of Sympa runs: each daemon once. Returns service → pid.
   */
  private static Map<String, String> awaitDaemons(SympaListServerContainer server, Set<String> old)
      throws Exception {
    return Poll.until(
        () -> {
          Map<String, String> pids = new TreeMap<>();
          for (String service : DAEMONS.keySet()) {
            pids.put(
                service,
                server.shell("cat /run/sympa/" + service + ".pid 2>/dev/null || true").strip());
          }
          return pids;
        },
        pids -> {
          for (Map.Entry<String, String> e : pids.entrySet()) {
            if (e.getValue().isEmpty()
                || old.contains(e.getValue())
                || !isDaemon(server, e.getValue(), DAEMONS.get(e.getKey()))) {
              return false;
            }
          }
          // /proc/PID/comm of every process: each daemon exactly as many times as it has services.
          List<String> running =
              List.of(
                  server
                      .shell(
                          "for c in /proc/[0-9]*/comm; do cat $c 2>/dev/null; done"
                              + " | grep -E '^(sympa_msg|bulk|archived|bounced|task_manager)\\.pl$'"
                              + " | sort")
                      .strip()
                      .split("\n"));
          return running.equals(DAEMONS.values().stream().sorted().toList());
        },
        Duration.ofSeconds(60),
        Duration.ofMillis(250));
  }

  private static boolean isDaemon(SympaListServerContainer server, String pid, String comm) {
    return server.shellResult("grep -qx " + comm + " /proc/" + pid + "/comm").getExitCode() == 0;
  }

  private void assertDistributed(SympaListServerContainer server, String token, String body)
      throws Exception {
    postToTeam(server, token, body);
    assertThat(new HashSet<>(sink.awaitRecipients(token, 3, DELIVERY)))
        .containsExactlyInAnyOrder("alice@example.org", "bob@example.org", "carol@example.net");
  }

  /** Alice's post to team@ with the subject TOKEN. */
  private static void postToTeam(SympaListServerContainer server, String token, String body)
      throws Exception {
    server.sendOverSmtp(
        "alice@example.org",
        "team@" + DOMAIN,
        "From: alice@example.org",
        "To: team@" + DOMAIN,
        "Subject: " + token,
        "",
        body);
  }

  @Test
  void dockerStopWithQueuedMailEndsWithinTheGraceAndTheMailLeavesAfterTheNextStart()
      throws Exception {
    String token = "queued-" + UUID.randomUUID();
    try (SympaListServerContainer first = serverOnVolumes()) {
      first.start();
      sink.stop();
      postToTeam(first, token, "while the relay host is down");
      assertThat(
              Poll.until(
                  first::queuedMessages,
                  queued -> !queued.isEmpty(),
                  DELIVERY,
                  Duration.ofMillis(250)))
          .as("distribution waits in Postfix's queue")
          .isNotEmpty();

      long started = System.nanoTime();
      docker.stopContainerCmd(first.getContainerId()).exec();
      double seconds = (System.nanoTime() - started) / 1e9;
      Long exit =
          docker.inspectContainerCmd(first.getContainerId()).exec().getState().getExitCodeLong();
      System.out.printf("docker stop with mail in the queue: %.2f s, exit %d%n", seconds, exit);
      assertThat(seconds).as("ended before Docker's 10 s grace ran out").isLessThan(10);
      assertThat(exit).as("a clean exit, not SIGKILL (137)").isZero();
      String logs = first.getLogs();
      for (String daemon : List.of("Sympa/msg", "Bulk", "Archived", "Bounced", "Task_Manager")) {
        assertThat(logs)
            .as("%s finished its work and exited on SIGTERM", daemon)
            .contains(daemon + " exited normally due to signal");
      }
    }

    startSink();
    try (SympaListServerContainer second = serverOnVolumes()) {
      second.start();
      second.shell("postqueue -f");
      assertThat(new HashSet<>(sink.awaitRecipients(token, 3, DELIVERY)))
          .containsExactlyInAnyOrder("alice@example.org", "bob@example.org", "carol@example.net");
    }
  }

  private SympaListServerContainer serverOnVolumes() {
    return new SympaListServerContainer(ListServerImages.example())
        .withNetwork(network)
        .withNetworkAliases("sympa")
        .withVolumes(volumes.get(0), volumes.get(1), volumes.get(2));
  }
}
