package dev.sympaappliance.e2e.deliverability;

import static dev.sympaappliance.e2e.support.DnsZone.txt;
import static dev.sympaappliance.e2e.support.DnsZone.zone;
import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static dev.sympaappliance.e2e.support.OneClick.HTTPS_URL;
import static dev.sympaappliance.e2e.support.OneClick.ONE_CLICK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.e2e.support.DnsServerContainer;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Per-member copies at scale: the example at https://lists.example.org/sympa (one-click unsubscribe
 * on, so every copy is one member's: its own VERP return path, its own signed List-Unsubscribe URL,
 * its own DKIM signature), with lists of 1,000 members, relayed to a real smtp-sink. Every member
 * gets exactly one copy; a copy's URL removes exactly its member; a DSN to a copy's return path is
 * recorded against its member; and a distribution cut by {@code docker kill} of the server, or by
 * {@code kill -9} of the bulk.pl processes inside it (two by default, bulk.workers), reaches every
 * member after the restart with no more repeated copies than the bound the image's settings give.
 */
@Testcontainers
@TestMethodOrder(OrderAnnotation.class)
class PerMemberDistributionIT {
  static final int MEMBERS = 1_000;
  static final Duration DISTRIBUTION = Duration.ofMinutes(6);

  /**
   * What a cut distribution may send twice: the copies of the packet each bulk.pl was in
   * (sympa.conf's nrcpt and avg are 100 where every copy is one member's; a packet leaves Sympa's
   * spool once all its copies are with Postfix), and, when the whole container dies, the deliveries
   * Postfix had in flight to the relay host (at most its destination concurrency, 20, delivered but
   * not yet marked done).
   */
  static final int PACKET = 100;

  static final int POSTFIX_IN_FLIGHT = 20;

  static final Network network = Network.newNetwork();

  @Container static final DnsServerContainer dns = new DnsServerContainer(network);

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.exampleOverHttps(), sink)
          .resolvingThrough(dns);

  private static final Pattern MAIL_ARGS = Pattern.compile("(?m)^X-Mail-Args: <([^>]*)>");

  @BeforeAll
  static void publishTheDkimKey() throws Exception {
    String selector = ListServerImages.HTTPS_SELECTOR + "._domainkey." + DOMAIN;
    dns.addTxt(selector, txt(zone(server.dnsRecords()), selector).get(0));
  }

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  @Order(1)
  void eachOfAThousandMembersGetsOneCopyWithItsOwnSignedUrlAndReturnPath() throws Exception {
    List<String> members = listWithMembers("thousand");
    String token = post("thousand");
    assertThat(sink.awaitRecipients(token, MEMBERS, DISTRIBUTION)).hasSize(MEMBERS);
    server.awaitIdle(DISTRIBUTION);
    List<ReceivedMessage> copies = sink.messagesContaining(token);
    assertThat(SmtpSinkContainer.recipientsOf(copies))
        .as("exactly one copy per member, once the server is idle")
        .containsExactlyInAnyOrderElementsOf(members);

    Map<String, String> urls = new HashMap<>();
    Map<String, String> returnPaths = new HashMap<>();
    for (ReceivedMessage copy : copies) {
      assertThat(copy.recipients()).as("one member per copy").hasSize(1);
      String member = copy.recipients().get(0);
      assertThat(copy.header("List-Unsubscribe-Post")).hasValue(ONE_CLICK);
      Matcher https = HTTPS_URL.matcher(copy.header("List-Unsubscribe").orElseThrow());
      assertThat(https.find()).isTrue();
      String url = https.group(1);
      assertThat(url)
          .as("the URL names its member")
          .contains("/oneclick/thousand/" + base64url(member) + ".");
      urls.put(member, url);
      Matcher sender = MAIL_ARGS.matcher(copy.raw());
      assertThat(sender.find()).isTrue();
      assertThat(sender.group(1))
          .as("the copy's own return path (VERP)")
          .startsWith("bounce+" + member.replace("@", "==a=="));
      returnPaths.put(member, sender.group(1));
      assertThat(DeliverabilityIT.signedHeaders(copy.header("DKIM-Signature").orElseThrow()))
          .contains("list-unsubscribe", "list-unsubscribe-post");
    }
    assertThat(new HashSet<>(urls.values())).hasSize(MEMBERS);
    assertThat(dns.dkimFailures(copies.stream().map(ReceivedMessage::raw).toList()))
        .as("copies whose DKIM signature python3-dkim does not verify")
        .isEmpty();

    // A DSN to one copy's return path, naming an address the list does not know (a forward):
    // only the VERP address says whose it is.
    String bounced = members.get(700);
    assertThat(
            server.sendDeliveryStatusNotificationTo(
                returnPaths.get(bounced), "forwarded@elsewhere.example"))
        .isEqualTo(250);
    String bouncing =
        "select user_subscriber from subscriber_table where list_subscriber = 'thousand'"
            + " and bounce_subscriber is not null";
    assertThat(
            Poll.until(
                () -> server.databaseRows(bouncing),
                rows -> !rows.isEmpty(),
                DISTRIBUTION,
                Duration.ofMillis(250)))
        .containsExactly(bounced);

    String leaving = members.get(500);
    assertThat(server.postForm(urls.get(leaving), ONE_CLICK).statusCode()).isEqualTo(200);
    List<String> remaining = new ArrayList<>(members);
    remaining.remove(leaving);
    assertThat(server.members("thousand")).containsExactlyInAnyOrderElementsOf(remaining);
  }

  @Test
  @Order(2)
  void aKillOfBulkMidDistributionRepeatsAtMostOnePacketPerBulkPl() throws Exception {
    int senders = Integer.parseInt(server.shell("pgrep -c -x bulk.pl").strip());
    assertThat(senders)
        .as("bulk.pl processes (bulk.workers)")
        .isEqualTo(ApplianceSpec.DEFAULT_BULK_WORKERS);
    List<String> members = listWithMembers("bulkkill");
    String token = post("bulkkill");
    awaitSomeButNotAll(token);
    server.shell("pkill -9 -x bulk.pl");
    // Provably mid-flight: copies had reached the sink, and packets were still in Sympa's spool.
    assertThat(server.shell("ls /var/spool/sympa/bulk/pct | wc -l").strip())
        .as("packets left in the bulk spool at the kill")
        .isNotEqualTo("0");

    int repeated = repeatedOnceAllArrived(token, members);
    System.out.printf(
        "kill -9 of %d bulk.pl: %d of %d copies repeated%n", senders, repeated, MEMBERS);
    assertThat(repeated).isLessThanOrEqualTo(senders * PACKET);
  }

  @Test
  @Order(3)
  void aDockerKillMidDistributionReachesEveryMemberAfterTheRestart() throws Exception {
    List<String> members = listWithMembers("dockerkill");
    String token = post("dockerkill");
    awaitSomeButNotAll(token);
    server.getDockerClient().killContainerCmd(server.getContainerId()).exec();
    int before = new HashSet<>(sink.recipientsOf(token)).size();
    assertThat(before).as("members with a copy when the server died").isLessThan(MEMBERS);
    server.getDockerClient().startContainerCmd(server.getContainerId()).exec();

    int repeated = repeatedOnceAllArrived(token, members);
    System.out.printf(
        "docker kill: %d members had a copy at the kill, %d of %d copies repeated%n",
        before, repeated, MEMBERS);
    assertThat(repeated)
        .isLessThanOrEqualTo(ApplianceSpec.DEFAULT_BULK_WORKERS * PACKET + POSTFIX_IN_FLIGHT);
  }

  // ---------------------------------------------------------------- helpers

  /** A new list NAME with MEMBERS members, added with the appliance's member import. */
  private static List<String> listWithMembers(String name) throws Exception {
    server.createList(name, "discussion_list", "owner@example.org");
    List<String> members = new ArrayList<>();
    for (int i = 1; i <= MEMBERS; i++) {
      members.add(String.format("%s%04d@d%02d.example", name, i, i % 50));
    }
    server.copyFileToContainer(
        Transferable.of((String.join("\n", members) + "\n").getBytes(StandardCharsets.UTF_8)),
        "/tmp/" + name + ".csv");
    var added =
        server.execInContainer(
            "sympa-appliance-members", "add", name + "@" + DOMAIN, "/tmp/" + name + ".csv");
    assertThat(added.getExitCode()).as(added.getStderr()).isZero();
    assertThat(server.members(name)).hasSize(MEMBERS);
    return members;
  }

  /** Posts to LIST from its owner; returns the post's token. */
  private static String post(String list) throws Exception {
    String token = list + "-" + UUID.randomUUID();
    assertThat(
            server.sendOverSmtp(
                "owner@example.org",
                list + "@" + DOMAIN,
                "From: owner@example.org",
                "To: " + list + "@" + DOMAIN,
                "Subject: " + token,
                "Message-ID: <" + token + "@example.org>",
                "",
                "Body of " + token))
        .isEqualTo(250);
    return token;
  }

  /** Waits until at least one packet's copies reached the sink, and fails if all of them did. */
  private static void awaitSomeButNotAll(String token) throws InterruptedException {
    int some =
        Poll.until(
            () -> sink.recipientsOf(token).size(),
            n -> n >= PACKET,
            DISTRIBUTION,
            Duration.ofMillis(100));
    assertThat(some).as("copies at the sink before the kill").isLessThan(MEMBERS);
  }

  /**
   * Once every member has a copy and the server is idle: how many copies beyond one per member
   * reached the sink (and that nobody else got one).
   */
  private static int repeatedOnceAllArrived(String token, List<String> members)
      throws InterruptedException {
    Poll.until(
        () -> new HashSet<>(sink.recipientsOf(token)).size(),
        n -> n >= MEMBERS,
        DISTRIBUTION,
        Duration.ofMillis(500));
    server.awaitIdle(DISTRIBUTION);
    List<String> recipients = sink.recipientsOf(token);
    Set<String> distinct = new HashSet<>(recipients);
    assertThat(distinct).containsExactlyInAnyOrderElementsOf(members);
    return recipients.size() - distinct.size();
  }

  private static String base64url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
