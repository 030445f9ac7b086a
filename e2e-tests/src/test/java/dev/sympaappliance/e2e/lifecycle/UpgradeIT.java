package dev.sympaappliance.e2e.lifecycle;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static dev.sympaappliance.e2e.support.Posts.post;
import static dev.sympaappliance.e2e.support.Posts.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import dev.sympaappliance.e2e.support.DnsServerContainer;
import dev.sympaappliance.e2e.support.DnsZone;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.MailCommands;
import dev.sympaappliance.e2e.support.OneClick;
import dev.sympaappliance.e2e.support.OneOffContainer;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.e2e.support.TlsProxyContainer;
import dev.sympaappliance.e2e.support.WebBrowser;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * A site made on Debian 12 (Sympa 6.2.70) by real use goes on under the Debian 13 image of the same
 * spec (Sympa 6.2.76) on the same volumes: the new image upgrades the data with Sympa's own `sympa
 * upgrade` from the version the volume names, before any daemon starts, and everything the site had
 * is there and works. Afterwards the old image refuses the upgraded volumes and changes nothing in
 * them. One story, in order: each step needs the state the one before it made. The site is the
 * example at https://lists.example.org/sympa behind a TLS proxy, so that one-click unsubscribe and
 * DKIM signing are on, as on a production site.
 */
class UpgradeIT {
  private static final Duration DELIVERY = Duration.ofSeconds(90);
  private static final String OWNER = "alice@example.org";
  private static final String MODERATOR = "bob@example.org";
  private static final String LEAVER = "carol@example.net";
  private static final String JOINER = "dana@example.net";
  private static final String BOUNCING = "bob@example.org";
  private static final String RUNTIME_LIST = "later";
  private static final String FRANK = "frank@example.com";
  private static final String PASSWORD = "chosen on Sympa 6.2.70";

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String queue = "sympa-e2e-upgrade-queue-" + suffix;
  private final String spools = "sympa-e2e-upgrade-spools-" + suffix;
  private final String data = "sympa-e2e-upgrade-data-" + suffix;
  private final Network network = Network.newNetwork();

  @AfterEach
  void removeVolumes() {
    DockerClient docker = DockerClientFactory.instance().client();
    for (String volume : List.of(queue, spools, data)) {
      docker.removeVolumeCmd(volume).exec();
    }
    network.close();
  }

  @Test
  void
      aBookwormSiteKeepsItsMembersPostsBouncesListsKeysAndQueueOnTrixieAndTheOldImageIsRefusedAfterwards()
          throws Exception {
    String archived = token("archived");
    String held = token("held");
    String deferred = token("deferred");
    String distribute;
    String dkimRecordBefore;
    String oneClickForFrank;
    List<String> archive;
    try (SmtpSinkContainer sink = Sinks.relayHostOn(network);
        SympaListServerContainer old = server(ListServerImages.exampleOverHttpsOnBookworm());
        TlsProxyContainer proxy =
            new TlsProxyContainer(ListServerImages.exampleOverHttpsOnBookworm(), network)) {
      sink.start();
      old.start();
      proxy.start();
      assertThat(old.shell("cat /var/lib/sympa/data_structure.version")).contains("6.2.70");

      MailCommands.subscribeByMailFollowingTheLink(
          old, sink, "team", JOINER, DELIVERY, "https://" + DOMAIN, proxy::browser);
      MailCommands.command(old, LEAVER, "signoff team");
      Poll.until(
          () -> old.members("team"),
          members -> !members.contains(LEAVER),
          DELIVERY,
          Duration.ofMillis(250));
      assertThat(old.members("team")).containsExactly(OWNER, MODERATOR, JOINER);

      old.sendOverSmtp(OWNER, "team@" + DOMAIN, post(OWNER, "team", archived));
      assertThat(awaitCopies(sink, archived, 3))
          .containsExactlyInAnyOrder(OWNER, MODERATOR, JOINER);
      archive =
          Poll.until(
              () -> old.archivedFilesContaining("team", archived),
              files -> files.stream().anyMatch(file -> file.matches(".*/msg[0-9]+\\.html")),
              DELIVERY,
              Duration.ofMillis(250));
      assertThat(archive)
          .as("archived by Sympa 6.2.70, raw and as the web shows it")
          .anySatisfy(file -> assertThat(file).contains("/arctxt/"))
          .anySatisfy(file -> assertThat(file).matches(".*/msg[0-9]+\\.html"));

      old.sendOverSmtp(
          "dave@example.org", "team@" + DOMAIN, post("dave@example.org", "team", held));
      distribute = distributeCommand(sink, held);

      assertThat(old.sendDeliveryStatusNotification("team", BOUNCING)).isEqualTo(250);
      assertThat(
              Poll.until(
                  () -> bounceOf(old, BOUNCING),
                  rows -> !rows.isEmpty(),
                  DELIVERY,
                  Duration.ofMillis(250)))
          .singleElement()
          .asString()
          .contains("5.1.1");

      old.createList(RUNTIME_LIST, "discussion_list", OWNER);
      old.addMembers(RUNTIME_LIST, OWNER, FRANK);
      String first = token("runtime-list-first");
      old.sendOverSmtp(OWNER, RUNTIME_LIST + "@" + DOMAIN, post(OWNER, RUNTIME_LIST, first));
      assertThat(awaitCopies(sink, first, 2)).containsExactlyInAnyOrder(OWNER, FRANK);
      oneClickForFrank = oneClickUrl(Sinks.distributedCopies(sink, first), FRANK);
      dkimRecordBefore = dkimRecord(old);

      // The list's owner chooses a web password the way Sympa offers it: a first login by a mailed
      // link.
      try (WebBrowser browser = proxy.browser("upgrade-first-login-on-6.2.70")) {
        browser.firstLogin(sink, OWNER, PASSWORD, DELIVERY);
      }

      // The relay host goes away: the next post's copies wait in Postfix's queue.
      sink.stop();
      old.sendOverSmtp(OWNER, "team@" + DOMAIN, post(OWNER, "team", deferred));
      assertThat(
              Poll.until(
                  old::queuedMessages, ids -> !ids.isEmpty(), DELIVERY, Duration.ofMillis(250)))
          .as("copies deferred while the relay host is down")
          .isNotEmpty();
      old.awaitSympaIdle(DELIVERY);
    }

    try (SmtpSinkContainer sink = Sinks.relayHostOn(network);
        DnsServerContainer dns = new DnsServerContainer(network);
        SympaListServerContainer upgraded = server(ListServerImages.exampleOverHttps())) {
      sink.start();
      dns.start();
      upgraded.start();
      String log = upgraded.getLogs();
      assertThat(log)
          .contains(
              "sympa-appliance: the data was written by Sympa 6.2.70; upgrading it to this image's"
                  + " Sympa 6.2.76",
              "Upgrading from 6.2.70 to 6.2.76",
              "sympa-appliance: upgraded the data from Sympa 6.2.70" + " to 6.2.76")
          .containsPattern(
              "backed up the data of Sympa 6\\.2\\.70 to /var/lib/sympa/appliance-backups/"
                  + "before-upgrade-from-6\\.2\\.70-to-6\\.2\\.76-[0-9TZ]+\\.tar");
      assertThat(upgraded.shell("cat /var/lib/sympa/data_structure.version")).contains("6.2.76");

      upgraded.shell("postqueue -f");
      assertThat(awaitCopies(sink, deferred, 3))
          .as("the mail deferred before the upgrade")
          .containsExactlyInAnyOrder(OWNER, MODERATOR, JOINER);

      assertThat(upgraded.members("team")).containsExactly(OWNER, MODERATOR, JOINER);
      assertThat(
              upgraded.databaseRows(
                  "select user_admin, role_admin from admin_table where list_admin = 'team'"
                      + " order by role_admin, user_admin"))
          .containsExactly(MODERATOR + "|editor", OWNER + "|owner");
      assertThat(upgraded.archivedFilesContaining("team", archived)).isEqualTo(archive);
      assertThat(bounceOf(upgraded, BOUNCING)).singleElement().asString().contains("5.1.1");
      assertThat(dkimRecord(upgraded)).as("the same DKIM key").isEqualTo(dkimRecordBefore);
      String selector = ListServerImages.HTTPS_SELECTOR + "._domainkey." + DOMAIN;
      dns.addTxt(selector, DnsZone.txt(DnsZone.zone(upgraded.dnsRecords()), selector).get(0));

      upgraded.sendOverSmtp(
          MODERATOR,
          "sympa@" + DOMAIN,
          "From: " + MODERATOR,
          "To: sympa@" + DOMAIN,
          "Subject: " + distribute,
          "",
          distribute);
      assertThat(awaitCopies(sink, held, 3))
          .as("the post held before the upgrade, approved after it")
          .containsExactlyInAnyOrder(OWNER, MODERATOR, JOINER);

      String later = token("runtime-list");
      upgraded.sendOverSmtp(OWNER, RUNTIME_LIST + "@" + DOMAIN, post(OWNER, RUNTIME_LIST, later));
      assertThat(awaitCopies(sink, later, 2)).containsExactlyInAnyOrder(OWNER, FRANK);
      for (ReceivedMessage copy : Sinks.distributedCopies(sink, later)) {
        assertThat(copy.header("DKIM-Signature"))
            .hasValueSatisfying(
                signature ->
                    assertThat(signature)
                        .contains("d=" + DOMAIN)
                        .contains("s=" + ListServerImages.HTTPS_SELECTOR));
        DnsServerContainer.Verification verified = dns.dkimVerify(copy.raw());
        assertThat(verified.ok())
            .as("signed after the upgrade with the old key: " + verified.output())
            .isTrue();
      }

      // Frank's one-click URL from a copy mailed by Sympa 6.2.70 removes him, and only him.
      assertThat(upgraded.postForm(oneClickForFrank, OneClick.ONE_CLICK).statusCode())
          .isEqualTo(200);
      assertThat(upgraded.members(RUNTIME_LIST))
          .as("after the one-click URL mailed before the upgrade")
          .containsExactly(OWNER);

      try (TlsProxyContainer proxy =
          new TlsProxyContainer(ListServerImages.exampleOverHttps(), network)) {
        proxy.start();
        try (WebBrowser browser = proxy.browser("upgrade-login-on-6.2.76")) {
          browser.login(OWNER, PASSWORD);
          boolean shown =
              Poll.until(
                  () -> {
                    browser.open("/sympa/arc/team");
                    browser.confirmIfAsked();
                    return browser.text().contains(archived);
                  },
                  found -> found,
                  DELIVERY,
                  Duration.ofSeconds(1));
          browser.shot("archive-after-upgrade");
          assertThat(shown).as("the post archived by 6.2.70 in the web archive of 6.2.76").isTrue();
        }
      }
      upgraded.awaitSympaIdle(DELIVERY);
    }

    // The bookworm image on the upgraded volumes: one line naming both versions, nothing changed.
    Bind[] binds = SympaListServerContainer.volumeBinds(queue, spools, data);
    String checksums =
        "cd /var/lib/sympa && sha256sum sympa.sqlite data_structure.version list_data/*/config";
    String before =
        OneOffContainer.shell(ListServerImages.exampleOverHttps(), binds, checksums).output();
    OneOffContainer.Ended refused =
        OneOffContainer.run(ListServerImages.exampleOverHttpsOnBookworm(), binds);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.lines())
        .containsExactly(
            "sympa-appliance: the data on these volumes was written by Sympa"
                + " 6.2.76, newer than this image's Sympa 6.2.70: nothing"
                + " was changed; run an image with Sympa 6.2.76 or"
                + " newer (to go back, restore the backup taken before"
                + " the upgrade, /var/lib/sympa/appliance-backups/, with"
                + " the older image)");
    assertThat(
            OneOffContainer.shell(ListServerImages.exampleOverHttps(), binds, checksums).output())
        .isEqualTo(before)
        .contains("sympa.sqlite", "list_data/team/config", "list_data/" + RUNTIME_LIST + "/config");
  }

  private SympaListServerContainer server(org.testcontainers.utility.DockerImageName image) {
    return new SympaListServerContainer(image)
        .withNetwork(network)
        .withNetworkAliases("sympa")
        .withVolumes(queue, spools, data);
  }

  /**
   * The recipients of the distributed copies of the post whose Subject is {@code token} (not the
   * notices to its sender that quote it), once there are {@code count}.
   */
  private static List<String> awaitCopies(SmtpSinkContainer sink, String token, int count)
      throws InterruptedException {
    return Poll.until(
        () ->
            Sinks.distributedCopies(sink, token).stream()
                .flatMap(m -> m.recipients().stream())
                .toList(),
        recipients -> recipients.size() >= count,
        DELIVERY,
        Duration.ofMillis(250));
  }

  /** The https one-click unsubscribe URL in the List-Unsubscribe field of {@code member}'s copy. */
  private static String oneClickUrl(List<ReceivedMessage> copies, String member) {
    ReceivedMessage copy =
        copies.stream()
            .filter(m -> m.recipients().equals(List.of(member)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no copy to " + member + " alone"));
    assertThat(copy.header("List-Unsubscribe-Post")).hasValue(OneClick.ONE_CLICK);
    Matcher url = OneClick.HTTPS_URL.matcher(copy.header("List-Unsubscribe").orElse(""));
    assertThat(url.find()).as("an https URL in List-Unsubscribe of " + member + "'s copy").isTrue();
    return url.group(1);
  }

  /** The DISTRIBUTE command of the moderators' notice about the held post {@code token}. */
  private static String distributeCommand(SmtpSinkContainer sink, String token)
      throws InterruptedException {
    List<ReceivedMessage> notices =
        Poll.until(
            () ->
                (sink.messagesContaining(token))
                    .stream().filter(m -> m.text().contains("DISTRIBUTE team")).toList(),
            n -> !n.isEmpty(),
            DELIVERY,
            Duration.ofMillis(250));
    assertThat(notices).as("the moderators' notice").hasSize(1);
    assertThat(notices.get(0).recipients()).containsExactly(MODERATOR);
    Matcher command = Pattern.compile("DISTRIBUTE team [0-9a-f]+").matcher(notices.get(0).text());
    assertThat(command.find()).as("the notice carries the DISTRIBUTE command").isTrue();
    return command.group();
  }

  private static List<String> bounceOf(SympaListServerContainer server, String member) {
    return server.databaseRows(
        "select bounce_subscriber from subscriber_table where list_subscriber = 'team'"
            + " and user_subscriber = '"
            + member
            + "' and bounce_subscriber is not null");
  }

  /** The DKIM TXT record sympa-appliance-dns prints (the key in use). */
  private static String dkimRecord(SympaListServerContainer server) {
    return server
        .dnsRecords()
        .lines()
        .filter(line -> line.contains("_domainkey"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no DKIM record in: " + server.dnsRecords()));
  }
}
