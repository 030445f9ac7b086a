package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ListServerImages.LISTMASTER;
import static dev.sympaappliance.e2e.support.Posts.post;
import static dev.sympaappliance.e2e.support.Posts.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.MailCommands;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Shell;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The full list server built from examples/lists.yaml, with the sink as its relay host: what its
 * lists do for members and owners, by mail, one scenario per test. The example's list team has
 * owner alice@example.org, editor (moderator) bob@example.org and members alice, bob and
 * carol@example.net. Scenarios that change members use lists of their own, created at run time.
 */
@Testcontainers
class ListServerMailIT {
  static final List<String> TEAM =
      List.of("alice@example.org", "bob@example.org", "carol@example.net");
  static final Duration DELIVERY = Duration.ofSeconds(60);

  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.example(), sink);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void aSubscribersPostOverSmtpReachesEverySubscriberOnceWithListId() throws Exception {
    String token = token("smtp-post");

    assertThat(
            server.sendOverSmtp(
                "alice@example.org", "team@" + DOMAIN, post("alice@example.org", "team", token)))
        .isEqualTo(250);

    List<ReceivedMessage> copies = awaitDistributed(token, TEAM.size());
    assertThat(recipients(copies)).containsExactlyInAnyOrderElementsOf(TEAM);
    assertThat(copies)
        .allSatisfy(
            copy -> {
              assertThat(copy.header("List-Id")).hasValue("<team." + DOMAIN + ">");
              assertThat(copy.header("Subject")).hasValue(token);
            });
    assertNothingMoreArrives(token, TEAM.size());
  }

  @Test
  void aPostThroughTheMailCommandReachesEverySubscriber() throws Exception {
    String token = token("mail-command");

    server.shell(
        "printf '%s\\n' hello | mail -r carol@example.net -s "
            + Shell.quote(token)
            + " team@"
            + DOMAIN);

    assertThat(recipients(awaitDistributed(token, TEAM.size())))
        .containsExactlyInAnyOrderElementsOf(TEAM);
  }

  @Test
  void aPostWithoutMessageIdIsDistributedNotDropped() throws Exception {
    String token = token("no-message-id");

    server.sendOverSmtp(
        "bob@example.org",
        "team@" + DOMAIN,
        "From: bob@example.org",
        "To: team@" + DOMAIN,
        "Subject: " + token,
        "",
        "no Message-ID header");

    assertThat(recipients(awaitDistributed(token, TEAM.size())))
        .containsExactlyInAnyOrderElementsOf(TEAM);
  }

  @Test
  void aNonSubscribersPostIsHeldUntilAModeratorApprovesItByMail() throws Exception {
    String token = token("moderated");

    server.sendOverSmtp(
        "dave@example.org", "team@" + DOMAIN, post("dave@example.org", "team", token));

    List<ReceivedMessage> notices = awaitNotice(token);
    assertThat(notices).hasSize(1);
    ReceivedMessage notice = notices.get(0);
    assertThat(notice.recipients()).containsExactly("bob@example.org");
    assertThat(notice.header("Subject"))
        .hasValueSatisfying(s -> assertThat(s).contains("to be approved"));
    server.awaitIdle(DELIVERY);
    assertThat(Sinks.distributedCopies(sink, token)).as("held, not distributed").isEmpty();

    // Sympa 6.2.76 links to the web page that releases it (6.2.70 gave the mail command instead);
    // the command by mail, with the key of that link, still does.
    Matcher link =
        Pattern.compile("http://" + Pattern.quote(DOMAIN) + "/sympa/distribute/team/([0-9a-f]+)")
            .matcher(notice.text());
    assertThat(link.find()).as("the notice links to the page that releases the post").isTrue();
    String command = "DISTRIBUTE team " + link.group(1);
    server.sendOverSmtp(
        "bob@example.org",
        "sympa@" + DOMAIN,
        "From: bob@example.org",
        "To: sympa@" + DOMAIN,
        "Subject: " + command,
        "",
        command);

    assertThat(recipients(awaitDistributed(token, TEAM.size())))
        .containsExactlyInAnyOrderElementsOf(TEAM);
  }

  @Test
  void subscriptionByMailIsConfirmedByTheMailedLinkAndSignoffByMailEndsIt() throws Exception {
    String list = "club";
    server.createList(list, "discussion_list", "alice@example.org");
    server.addMembers(list, "alice@example.org");
    String newcomer = "eve@example.net";

    MailCommands.subscribeByMailFollowingTheLink(server, sink, list, newcomer, DELIVERY);

    String welcomed = token("after-subscribe");
    server.sendOverSmtp(
        "alice@example.org", list + "@" + DOMAIN, post("alice@example.org", list, welcomed));
    assertThat(recipients(awaitDistributed(welcomed, 2)))
        .containsExactlyInAnyOrder("alice@example.org", newcomer);

    MailCommands.command(server, newcomer, "signoff " + list);
    assertThat(
            Poll.until(
                () -> server.members(list),
                members -> !members.contains(newcomer),
                DELIVERY,
                Duration.ofMillis(250)))
        .containsExactly("alice@example.org");

    String after = token("after-signoff");
    server.sendOverSmtp(
        "alice@example.org", list + "@" + DOMAIN, post("alice@example.org", list, after));
    assertThat(recipients(awaitDistributed(after, 1))).containsExactly("alice@example.org");
    assertNothingMoreArrives(after, 1);
  }

  /**
   * Mail from a person to an address of the list domain that is not a list reaches the people
   * behind it: team-request@ the owners; team-owner@, the list's return path, read by bounced.pl,
   * the owners too (Sympa patch sympa-owner-mail.patch; upstream drops it with "No address found");
   * sympa-request@ (which Sympa refuses to take itself, "Check configuration of MTA") the
   * listmaster.
   */
  @ParameterizedTest
  @CsvSource({
    "team-request, alice@example.org",
    "team-owner, alice@example.org",
    "sympa-request, " + LISTMASTER
  })
  void mailFromAPersonReachesThePeopleBehindTheAddress(String localPart, String reaches)
      throws Exception {
    String token = token("to-" + localPart);

    server.sendOverSmtp(
        "carol@example.net", localPart + "@" + DOMAIN, post("carol@example.net", localPart, token));

    sink.awaitMessagesContaining(token, 1, DELIVERY);
    server.awaitIdle(DELIVERY);
    assertThat(sink.recipientsOf(token)).containsExactly(reaches);
  }

  /** An auto-reply to LIST-owner@ (a vacation notice to a post's return path) reaches nobody. */
  @Test
  void anAutoReplyToTheOwnerAddressReachesNobody() throws Exception {
    String token = token("auto-reply-to-owner");

    server.sendOverSmtp(
        "carol@example.net",
        "team-owner@" + DOMAIN,
        "From: carol@example.net",
        "To: team-owner@" + DOMAIN,
        "Subject: Out of office " + token,
        "Message-ID: <" + token + "@example.test>",
        "Auto-Submitted: auto-replied",
        "",
        "I am away.");

    server.awaitIdle(DELIVERY);
    assertThat(sink.recipientsOf(token)).isEmpty();
  }

  @Test
  void aDeliveryStatusNotificationIsRecordedAgainstTheSubscriber() throws Exception {
    String failed = "carol@example.net";

    assertThat(server.sendDeliveryStatusNotification("team", failed)).isEqualTo(250);

    String query =
        "select bounce_subscriber from subscriber_table where list_subscriber = 'team'"
            + " and user_subscriber = '"
            + failed
            + "' and bounce_subscriber is not null";
    assertThat(
            Poll.until(
                () -> server.databaseRows(query),
                rows -> !rows.isEmpty(),
                DELIVERY,
                Duration.ofMillis(250)))
        .singleElement()
        .satisfies(bounce -> assertThat(bounce).contains("5.1.1"));
  }

  @Test
  void aListCreatedAtRunTimeReceivesMailAtOnceAndUnknownAddressesStayRefused() throws Exception {
    server.createList("created-now", "discussion_list", "alice@example.org");
    server.addMembers("created-now", "alice@example.org", "frank@example.com");
    String token = token("runtime-list");

    server.sendOverSmtp(
        "alice@example.org",
        "created-now@" + DOMAIN,
        post("alice@example.org", "created-now", token));

    assertThat(recipients(awaitDistributed(token, 2)))
        .containsExactlyInAnyOrder("alice@example.org", "frank@example.com");
    try (SmtpSession smtp = new SmtpSession(server.getHost(), server.getSmtpPort())) {
      smtp.helo("client.example.net");
      smtp.mailFrom("alice@example.org");
      assertThat(smtp.rcptTo("created-never@" + DOMAIN)).isEqualTo(550);
      assertThat(smtp.lastReply()).contains("5.1.1");
    }
  }

  @Test
  void postmasterAndAbuseOfTheListDomainReachTheListmaster() throws Exception {
    for (String local : List.of("postmaster", "abuse")) {
      String token = token(local);
      server.sendOverSmtp(
          "carol@example.net", local + "@" + DOMAIN, post("carol@example.net", local, token));
      List<ReceivedMessage> kept = sink.awaitMessagesContaining(token, 1, DELIVERY);
      assertThat(kept).as(local).hasSize(1);
      assertThat(kept.get(0).recipients()).containsExactly(LISTMASTER);
    }
  }

  @Test
  void theServerRelaysForNobodyOutsideTheListDomain() throws Exception {
    for (String sender : List.of("spammer@example.com", "team@" + DOMAIN)) {
      try (SmtpSession smtp = new SmtpSession(server.getHost(), server.getSmtpPort())) {
        smtp.helo("client.example.net");
        assertThat(smtp.mailFrom(sender)).isEqualTo(250);
        assertThat(smtp.rcptTo("victim@example.net"))
            .as("RCPT to another domain from " + sender)
            .isEqualTo(554);
        assertThat(smtp.lastReply()).contains("Relay access denied");
      }
    }
  }

  @Test
  void aPostWithoutFromIsDistributedNotDropped() throws Exception {
    String token = token("no-from");

    server.sendOverSmtp(
        "carol@example.net",
        "team@" + DOMAIN,
        "To: team@" + DOMAIN,
        "Subject: " + token,
        "Message-ID: <" + token + "@example.test>",
        "",
        "no From header");

    List<ReceivedMessage> copies = awaitDistributed(token, TEAM.size());
    assertThat(recipients(copies)).containsExactlyInAnyOrderElementsOf(TEAM);
    assertThat(copies)
        .allSatisfy(
            copy ->
                assertThat(copy.header("From"))
                    .hasValueSatisfying(from -> assertThat(from).contains("carol@example.net")));
  }

  /**
   * The secrets the first start made, as the README says they are kept: the cookie and the TLS key
   * root's alone, the DKIM key user sympa's alone, each in a directory closed to others.
   */
  @Test
  void theSecretsMadeAtTheFirstStartAreReadableOnlyByTheirUsers() {
    assertThat(
            server
                .shell(
                    "stat -c '%n %a %U:%G' /var/lib/sympa/appliance-secrets /var/lib/sympa/appliance-secrets/cookie"
                        + " /var/lib/sympa/appliance-secrets/tls/key.pem"
                        + " /var/lib/sympa/dkim /var/lib/sympa/dkim/sympa.key")
                .lines())
        .containsExactly(
            "/var/lib/sympa/appliance-secrets 700 root:root",
            "/var/lib/sympa/appliance-secrets/cookie 600 root:root",
            "/var/lib/sympa/appliance-secrets/tls/key.pem 600 root:root",
            "/var/lib/sympa/dkim 700 sympa:sympa",
            "/var/lib/sympa/dkim/sympa.key 600 sympa:sympa");
  }

  private static List<ReceivedMessage> awaitDistributed(String token, int recipients)
      throws InterruptedException {
    return Poll.until(
        () -> Sinks.distributedCopies(sink, token),
        copies -> recipients(copies).size() >= recipients,
        DELIVERY,
        Duration.ofMillis(250));
  }

  private static List<ReceivedMessage> awaitNotice(String token) throws InterruptedException {
    return Poll.until(
        () ->
            (sink.messagesContaining(token))
                .stream().filter(m -> m.text().contains("/sympa/distribute/team/")).toList(),
        n -> !n.isEmpty(),
        DELIVERY,
        Duration.ofMillis(250));
  }

  /**
   * Once the whole appliance is idle (Sympa's spools, its bulk spool included, and Postfix's queue
   * empty), no late duplicate can still arrive: the count must stand.
   */
  private static void assertNothingMoreArrives(String token, int expected)
      throws InterruptedException {
    server.awaitIdle(DELIVERY);
    assertThat(recipients(Sinks.distributedCopies(sink, token))).hasSize(expected);
  }

  private static List<String> recipients(List<ReceivedMessage> copies) {
    return copies.stream().flatMap(copy -> copy.recipients().stream()).toList();
  }
}
