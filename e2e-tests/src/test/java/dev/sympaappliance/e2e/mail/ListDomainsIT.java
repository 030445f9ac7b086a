package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.DnsZone.txt;
import static dev.sympaappliance.e2e.support.DnsZone.zone;
import static dev.sympaappliance.e2e.support.Posts.postTo;
import static dev.sympaappliance.e2e.support.Posts.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.DnsServerContainer;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import dev.sympaappliance.e2e.support.WebBrowser;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.xbill.DNS.Record;

/**
 * Two list domains in one appliance (examples/domains.yaml: Sympa virtual hosts), each with a list
 * named team and members of its own: mail, DKIM, refusals and the web stay each domain's; a front
 * relay built for both takes mail for each.
 */
@Testcontainers
class ListDomainsIT {
  static final String ORG = "lists.example.org";
  static final String NET = "lists.example.net";

  /** Each domain's team, as examples/domains.yaml gives them. */
  static final Map<String, List<String>> TEAMS =
      Map.of(
          ORG, List.of("alice@example.org", "bob@example.org"),
          NET, List.of("nina@example.net", "ned@example.net"));

  static final Map<String, String> SUBJECTS =
      Map.of(ORG, "Team of example.org", NET, "Team of example.net");

  static final Duration DELIVERY = Duration.ofSeconds(60);

  static final Network network = Network.newNetwork();

  @Container static final DnsServerContainer dns = new DnsServerContainer(network);

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.twoDomains(), sink)
          .resolvingThrough(dns)
          .withNetworkAliases("sympa");

  /** A front relay (--role relay) for both domains, asking the server which addresses exist. */
  @Container
  static final ToolsApplianceContainer relay =
      new ToolsApplianceContainer(ApplianceImages.frontRelayOfTwoDomains(), "relay." + ORG)
          .withNetwork(network)
          .dependsOn(server);

  /** Each domain's DKIM record, as sympa-appliance-dns prints it, published on the test's DNS. */
  @BeforeAll
  static void publishTheDkimRecords() throws Exception {
    List<Record> records = zone(server.dnsRecords());
    for (String domain : List.of(ORG, NET)) {
      List<List<String>> dkim = txt(records, "sympa._domainkey." + domain);
      assertThat(dkim).as("the DKIM record of " + domain).hasSize(1);
      dns.addTxt("sympa._domainkey." + domain, dkim.get(0));
    }
  }

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void aPostToEachTeamReachesOnlyItsOwnMembersSignedByItsOwnDomain() throws Exception {
    for (String domain : List.of(ORG, NET)) {
      String token = token("team-of-" + domain);
      String member = TEAMS.get(domain).get(0);

      send(member, "team@" + domain, token);

      List<ReceivedMessage> copies = distributedExactlyTo(token, TEAMS.get(domain));
      assertThat(copies)
          .allSatisfy(
              copy -> {
                assertThat(copy.header("List-Id"))
                    .hasValueSatisfying(id -> assertThat(id).contains("<team." + domain + ">"));
                assertThat(copy.header("DKIM-Signature"))
                    .hasValueSatisfying(sig -> assertThat(sig).contains("d=" + domain + ";"));
                DnsServerContainer.Verification verified = dns.dkimVerify(copy.raw());
                assertThat(verified.ok()).as(verified.output()).isTrue();
              });
    }
  }

  @Test
  void eachDomainRefusesItsUnknownAddressesAndItsPostmasterReachesItsListmaster() throws Exception {
    for (String domain : List.of(ORG, NET)) {
      try (SmtpSession smtp =
          session(server.getHost(), server.getSmtpPort(), "someone@example.com")) {
        assertThat(smtp.rcptTo("nobody@" + domain)).as(smtp.lastReply()).isEqualTo(550);
        assertThat(smtp.rcptTo("team-bogus@" + domain)).as(smtp.lastReply()).isEqualTo(550);
        assertThat(smtp.rcptTo("team@other.example.com")).as(smtp.lastReply()).isEqualTo(554);
      }
    }
    String token = token("postmaster-of-net");
    send("someone@example.com", "postmaster@" + NET, token);
    sink.awaitMessagesContaining(token, 1, DELIVERY);
    server.awaitIdle(DELIVERY);
    assertThat(sink.recipientsOf(token)).containsExactly("listmaster@example.net");
  }

  @Test
  void aListCreatedAtRunTimeInTheSecondDomainReceivesMailAtOnce() throws Exception {
    server.createListIn(NET, "runtime", "discussion_list", "nina@example.net");
    server.addMembersTo("runtime@" + NET, "nina@example.net", "nick@example.net");
    assertThat(server.membersOf("runtime@" + NET))
        .containsExactly("nick@example.net", "nina@example.net");
    String token = token("runtime-in-net");

    send("nina@example.net", "runtime@" + NET, token);

    distributedExactlyTo(token, List.of("nina@example.net", "nick@example.net"));
    // The first domain has no such list.
    try (SmtpSession smtp =
        session(server.getHost(), server.getSmtpPort(), "someone@example.com")) {
      assertThat(smtp.rcptTo("runtime@" + ORG)).as(smtp.lastReply()).isEqualTo(550);
    }
  }

  @Test
  void theFrontRelayTakesMailForEachDomainAndRefusesItsUnknownAddresses() throws Exception {
    String token = token("through-the-relay-to-net");
    try (SmtpSession smtp = session(relay.smtpHost(), relay.smtpPort(), "nina@example.net")) {
      assertThat(smtp.rcptTo("nobody@" + NET)).as(smtp.lastReply()).isEqualTo(550);
      assertThat(smtp.rcptTo("nobody@" + ORG)).as(smtp.lastReply()).isEqualTo(550);
      assertThat(smtp.rcptTo("team@other.example.com")).as(smtp.lastReply()).isEqualTo(554);
      assertThat(smtp.rcptTo("team@" + NET)).as(smtp.lastReply()).isEqualTo(250);
      assertThat(smtp.data(postTo("nina@example.net", "team@" + NET, token)))
          .containsExactly(354, 250);
    }
    distributedExactlyTo(token, TEAMS.get(NET));
  }

  @Test
  void eachWebAddressListsOnlyItsOwnLists() {
    for (String domain : List.of(ORG, NET)) {
      String other = domain.equals(ORG) ? NET : ORG;
      try (WebBrowser browser = new WebBrowser(domain, server.getWebPort(), "domains-" + domain)) {
        browser.open("http://" + domain + "/sympa/lists");
        String page = browser.text();
        assertThat(page).as("the lists page of " + domain).contains(SUBJECTS.get(domain));
        assertThat(page).doesNotContain(SUBJECTS.get(other));
        browser.shot("lists-of-" + domain);
      }
    }
  }

  /** A post from {@code from} to {@code address} over SMTP, accepted (250). */
  private static void send(String from, String address, String token) throws Exception {
    assertThat(server.sendOverSmtp(from, address, postTo(from, address, token))).isEqualTo(250);
  }

  /**
   * The list's copies of the post {@code token}, once every one of {@code members} has one and the
   * server is idle: exactly they got it.
   */
  private static List<ReceivedMessage> distributedExactlyTo(String token, List<String> members)
      throws Exception {
    sink.awaitRecipients(token, members.size(), DELIVERY);
    server.awaitIdle(DELIVERY);
    List<ReceivedMessage> copies = Sinks.distributedCopies(sink, token);
    assertThat(SmtpSinkContainer.recipientsOf(copies))
        .as("who got the post " + token)
        .containsExactlyInAnyOrderElementsOf(members);
    return copies;
  }

  /** An SMTP session past HELO and MAIL FROM, ready for RCPT TO. */
  private static SmtpSession session(String host, int port, String sender) throws Exception {
    SmtpSession smtp = new SmtpSession(host, port);
    smtp.helo("client.example.test");
    assertThat(smtp.mailFrom(sender)).as(smtp.lastReply()).isEqualTo(250);
    return smtp;
  }
}
