package dev.sympaappliance.e2e.deliverability;

import static dev.sympaappliance.e2e.support.DnsZone.txt;
import static dev.sympaappliance.e2e.support.DnsZone.zone;
import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ListServerImages.HOSTNAME;
import static dev.sympaappliance.e2e.support.OneClick.HTTPS_URL;
import static dev.sympaappliance.e2e.support.OneClick.ONE_CLICK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.DnsServerContainer;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.OneOffContainer;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.e2e.support.TlsSmtpSession;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The full list server's deliverability, against a DNS server of the test's own: Sympa's DKIM
 * signature on distributed posts (verified by another implementation, python3-dkim, against the
 * record sympa-appliance-dns prints), DMARC From rewriting by the sender domain's published policy,
 * STARTTLS on port 25 with a generated or a mounted certificate, and (on the example at an https://
 * address) RFC 8058 one-click unsubscribe.
 */
@Testcontainers
class DeliverabilityIT {
  static final List<String> TEAM =
      List.of("alice@example.org", "bob@example.org", "carol@example.net");
  static final Duration DELIVERY = Duration.ofSeconds(60);
  static final String GENERATED_CERT = "/var/lib/sympa/appliance-secrets/tls/cert.pem";
  static final String GENERATED_DKIM_KEY = "/var/lib/sympa/dkim/sympa.key";

  static final Network network = Network.newNetwork();

  @Container static final DnsServerContainer dns = new DnsServerContainer(network);

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.example(), sink).resolvingThrough(dns);

  /**
   * The example at https://lists.example.org/sympa: one-click unsubscribe is on by default there.
   */
  @Container
  static final SympaListServerContainer overHttps =
      SympaListServerContainer.relayingTo(ListServerImages.exampleOverHttps(), sink)
          .resolvingThrough(dns);

  static final String ONE_CLICK_LIST = "oneclick";
  static final List<String> ONE_CLICK_MEMBERS =
      List.of("ann@example.org", "ben@example.org", "cat@example.net");
  static final Duration ONE_CLICK_DELIVERY = Duration.ofSeconds(90);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void theDnsRecordsParseAsAZoneAndPublishTheKeySympaSignsWith() throws Exception {
    List<Record> zone = zone(server.dnsRecords());

    assertThat(zone)
        .anySatisfy(
            r -> {
              assertThat(r.getType()).isEqualTo(Type.MX);
              assertThat(r.getName()).isEqualTo(Name.fromString(DOMAIN + "."));
              assertThat(r.rdataToString()).isEqualTo("10 " + HOSTNAME + ".");
            });
    assertThat(txt(zone, DOMAIN))
        .singleElement()
        .satisfies(spf -> assertThat(String.join("", spf)).isEqualTo("v=spf1 a:sink ~all"));
    assertThat(txt(zone, "_dmarc." + DOMAIN))
        .singleElement()
        .satisfies(dmarc -> assertThat(String.join("", dmarc)).isEqualTo("v=DMARC1; p=none"));
    String published = String.join("", txt(zone, "sympa._domainkey." + DOMAIN).get(0));
    assertThat(published)
        .startsWith("v=DKIM1; k=rsa; p=")
        .endsWith(publicKeyOf(server, GENERATED_DKIM_KEY));
  }

  @Test
  void aPostArrivesDkimSignedAfterSympasChangesAndTheSignatureVerifiesAgainstThePublishedKey()
      throws Exception {
    publishDkimRecord(server);
    // Sympa's changes to a post: a subject tag and a footer, undone afterwards (the other tests of
    // this class share the server and run in any order).
    server.shell(
        "cp -p /var/lib/sympa/list_data/team/config /tmp/team-config"
            + " && printf 'custom_subject team\\n' >> /var/lib/sympa/list_data/team/config"
            + " && printf 'Team footer: see the archives.\\n' > /var/lib/sympa/list_data/team/message_footer"
            + " && chown sympa:sympa /var/lib/sympa/list_data/team/message_footer");
    try {
      String token = token("dkim");

      assertThat(
              server.sendOverSmtp(
                  "alice@example.org", "team@" + DOMAIN, post("alice@example.org", token)))
          .isEqualTo(250);

      // Every member's copy (copies may leave in one transaction or in several), each verified,
      // counted once the server is idle.
      sink.awaitRecipients(token, TEAM.size(), DELIVERY);
      server.awaitIdle(DELIVERY);
      List<ReceivedMessage> copies = sink.messagesContaining(token);
      assertThat(SmtpSinkContainer.recipientsOf(copies)).containsExactlyInAnyOrderElementsOf(TEAM);
      assertThat(copies)
          .allSatisfy(
              copy -> {
                assertThat(copy.header("Subject")).hasValue("[team] " + token);
                assertThat(copy.text()).contains("Team footer: see the archives.");
                String signature = copy.header("DKIM-Signature").orElseThrow();
                assertThat(signature).contains("d=" + DOMAIN + ";").contains("s=sympa;");
                assertThat(signedHeaders(signature))
                    .contains("from", "subject", "list-id", "list-unsubscribe");
                DnsServerContainer.Verification verified = dns.dkimVerify(copy.raw());
                assertThat(verified.ok()).as(verified.output()).isTrue();
                // The check can fail: the same copy with its body changed does not verify.
                assertThat(
                        dns.dkimVerify(copy.raw().replace("Team footer", "Tampered footer")).ok())
                    .isFalse();
              });
    } finally {
      // cat, not cp -p: the file keeps its owner and gets a new mtime, which makes Sympa reload it.
      server.shell(
          "cat /tmp/team-config > /var/lib/sympa/list_data/team/config"
              + " && rm -f /var/lib/sympa/list_data/team/message_footer");
    }
  }

  /**
   * Not only posts: Sympa's reply to a command and its notice to the moderators of a held post are
   * signed too, and verify against the published key.
   */
  @Test
  void sympasCommandRepliesAndNoticesAreDkimSigned() throws Exception {
    publishDkimRecord(server);
    String asker = "asker-" + UUID.randomUUID() + "@example.net";
    String held = token("held-notice");

    server.sendOverSmtp(
        asker,
        "sympa@" + DOMAIN,
        "From: " + asker,
        "To: sympa@" + DOMAIN,
        "Subject: which",
        "",
        "which");
    server.sendOverSmtp(
        "outsider@example.com", "team@" + DOMAIN, post("outsider@example.com", held));

    ReceivedMessage reply =
        sink.awaitMessagesContaining(asker, 1, DELIVERY).stream()
            .filter(m -> m.recipients().contains(asker))
            .findFirst()
            .orElseThrow();
    ReceivedMessage notice =
        Poll.until(
                () ->
                    sink.messagesContaining(held).stream()
                        .filter(m -> m.recipients().contains("bob@example.org"))
                        .toList(),
                found -> !found.isEmpty(),
                DELIVERY,
                Duration.ofMillis(250))
            .get(0);
    for (ReceivedMessage signed : List.of(reply, notice)) {
      assertThat(signed.header("DKIM-Signature"))
          .as(signed.toString())
          .hasValueSatisfying(
              signature ->
                  assertThat(signature).contains("d=" + DOMAIN + ";").contains("s=sympa;"));
      DnsServerContainer.Verification verified = dns.dkimVerify(signed.raw());
      assertThat(verified.ok()).as(signed + ": " + verified.output()).isTrue();
    }
  }

  @Test
  void postsFromDomainsThatPublishRejectOrQuarantineGetTheirFromRewrittenOthersKeepIt()
      throws Exception {
    dns.addTxt("_dmarc.strict.test", List.of("v=DMARC1; p=reject"));
    dns.addTxt("_dmarc.careful.test", List.of("v=DMARC1; p=quarantine"));
    dns.addTxt("_dmarc.relaxed.test", List.of("v=DMARC1; p=none"));
    server.createList("dmarc", "discussion_list", "alice@example.org");
    server.addMembers(
        "dmarc", "sam@strict.test", "quinn@careful.test", "pat@relaxed.test", "alice@example.org");

    String strict = token("dmarc-reject");
    String careful = token("dmarc-quarantine");
    String relaxed = token("dmarc-none");
    server.sendOverSmtp(
        "sam@strict.test", "dmarc@" + DOMAIN, post("Sam One <sam@strict.test>", strict));
    server.sendOverSmtp(
        "quinn@careful.test", "dmarc@" + DOMAIN, post("quinn@careful.test", careful));
    server.sendOverSmtp("pat@relaxed.test", "dmarc@" + DOMAIN, post("pat@relaxed.test", relaxed));

    ReceivedMessage fromStrict = firstCopy(strict);
    assertThat(fromStrict.header("From"))
        .hasValueSatisfying(
            from ->
                assertThat(from)
                    .contains("<dmarc@" + DOMAIN + ">")
                    .contains("Sam One")
                    .doesNotContain("sam@strict.test"));
    assertThat(fromStrict.header("X-Original-From"))
        .hasValueSatisfying(v -> assertThat(v).contains("sam@strict.test"));
    assertThat(fromStrict.header("Reply-To"))
        .hasValueSatisfying(v -> assertThat(v).contains("sam@strict.test"));
    assertThat(firstCopy(careful).header("From"))
        .hasValueSatisfying(from -> assertThat(from).contains("<dmarc@" + DOMAIN + ">"));
    assertThat(firstCopy(relaxed).header("From")).hasValue("pat@relaxed.test");
    assertThat(firstCopy(relaxed).header("X-Original-From")).isEmpty();
  }

  @Test
  void starttlsIsOfferedWithTheGeneratedCertificateAndDeliversAPost() throws Exception {
    String token = token("starttls");
    X509Certificate presented;
    try (TlsSmtpSession smtp = new TlsSmtpSession(server.getHost(), server.getSmtpPort())) {
      assertThat(smtp.ehloReply()).contains("STARTTLS");
      presented = smtp.startTls();
      assertThat(smtp.protocol()).startsWith("TLSv1.");
      assertThat(
              smtp.send(
                  "bob@example.org",
                  "team@" + DOMAIN,
                  String.join("\r\n", post("bob@example.org", token)) + "\r\n"))
          .isEqualTo(250);
    }

    assertThat(presented).isEqualTo(certificate(server.shell("cat " + GENERATED_CERT)));
    assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=" + HOSTNAME);
    List<ReceivedMessage> copies = sink.awaitMessagesContaining(token, 1, DELIVERY);
    assertThat(copies)
        .isNotEmpty()
        .allSatisfy(copy -> assertThat(copy.raw()).contains("(using TLSv1."));
  }

  @Test
  void anotherServerOnItsOwnVolumesMakesItsOwnCertificateAndDkimKey() throws Exception {
    try (SympaListServerContainer other =
        SympaListServerContainer.relayingTo(ListServerImages.example(), sink)) {
      other.start();

      assertThat(presentedCertificate(other)).isNotEqualTo(presentedCertificate(server));
      assertThat(publicKeyOf(other, GENERATED_DKIM_KEY))
          .isNotEqualTo(publicKeyOf(server, GENERATED_DKIM_KEY));
    }
  }

  @Test
  void aMountedCertificateAndDkimKeyAreUsedAndNotCopiedIntoTheVolume(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // A key pair and a certificate made with openssl in the running server: the site's own.
    server.shell(
        "cd /tmp && openssl genrsa -traditional -out dkim.key 2048 2>/dev/null"
            + " && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=own."
            + DOMAIN
            + " -keyout tls.key -out tls.crt 2>/dev/null");
    for (String file : List.of("dkim.key", "tls.key", "tls.crt")) {
      server.copyFileFromContainer("/tmp/" + file, dir.resolve(file).toString());
    }
    try (SympaListServerContainer mounted =
        SympaListServerContainer.relayingTo(ListServerImages.exampleWithMountedKeys(), sink)
            .resolvingThrough(dns)
            .withCopyFileToContainer(
                MountableFile.forHostPath(dir.resolve("dkim.key"), 0644),
                ListServerImages.MOUNTED_DKIM_KEY)
            .withCopyFileToContainer(
                MountableFile.forHostPath(dir.resolve("tls.key"), 0600),
                ListServerImages.MOUNTED_TLS_KEY)
            .withCopyFileToContainer(
                MountableFile.forHostPath(dir.resolve("tls.crt"), 0644),
                ListServerImages.MOUNTED_TLS_CERT)) {
      mounted.start();

      assertThat(presentedCertificate(mounted))
          .isEqualTo(certificate(Files.readString(dir.resolve("tls.crt"))));
      // Neither private key is anywhere in the volumes or a process's environment or command line
      // (searched by a line of each key's own text).
      for (String key : List.of("dkim.key", "tls.key")) {
        String line = Files.readAllLines(dir.resolve(key)).get(1);
        assertThat(
                mounted.placesHolding(
                    line, "/var/lib/sympa", "/var/spool/sympa", "/var/spool/postfix"))
            .as(key)
            .isEmpty();
      }

      List<Record> zone = zone(mounted.dnsRecords());
      String record =
          String.join(
              "", txt(zone, ListServerImages.MOUNTED_SELECTOR + "._domainkey." + DOMAIN).get(0));
      assertThat(record).endsWith(publicKeyOf(mounted, ListServerImages.MOUNTED_DKIM_KEY));
      dns.addTxt(
          ListServerImages.MOUNTED_SELECTOR + "._domainkey." + DOMAIN,
          txt(zone, ListServerImages.MOUNTED_SELECTOR + "._domainkey." + DOMAIN).get(0));
      String token = token("mounted-dkim");
      mounted.sendOverSmtp("alice@example.org", "team@" + DOMAIN, post("alice@example.org", token));
      ReceivedMessage copy = firstCopy(token);
      assertThat(copy.header("DKIM-Signature"))
          .hasValueSatisfying(
              v -> assertThat(v).contains("s=" + ListServerImages.MOUNTED_SELECTOR + ";"));
      DnsServerContainer.Verification verified = dns.dkimVerify(copy.raw());
      assertThat(verified.ok()).as(verified.output()).isTrue();
    }
  }

  /**
   * {@code --smtp-tls encrypt}: the relay host here (the sink) offers no STARTTLS, so the copies of
   * a post are deferred with Postfix's reason and nothing reaches it in clear.
   */
  @Test
  void withSmtpTlsEncryptMailToARelayHostWithoutStartTlsIsDeferredNotSentInClear()
      throws Exception {
    try (SympaListServerContainer strict =
        new SympaListServerContainer(ListServerImages.exampleRequiringTls())
            .withNetwork(network)
            .dependsOn(sink)) {
      strict.start();
      assertThat(strict.shell("postconf -h smtp_tls_security_level").strip()).isEqualTo("encrypt");
      String token = token("tls-required");

      strict.sendOverSmtp("alice@example.org", "team@" + DOMAIN, post("alice@example.org", token));

      // The members' copies, and any other mail of this server (its first start's notice to the
      // listmaster), wait: deferred, for want of TLS.
      List<String> deferred =
          Poll.until(
              strict::deferredRecipients,
              d ->
                  TEAM.stream()
                      .allMatch(
                          member -> d.stream().anyMatch(entry -> entry.startsWith(member + ": "))),
              DELIVERY,
              Duration.ofMillis(250));
      assertThat(deferred)
          .allSatisfy(d -> assertThat(d).contains("TLS is required, but was not offered"));
      strict.awaitSympaIdle(DELIVERY);
      assertThat(sink.messagesContaining(token)).as("sent in clear, or bounced").isEmpty();
    }
  }

  /**
   * A mounted TLS pair the image cannot use stops the start with one line naming the file and the
   * fault, before Postfix runs: a missing key, a certificate that is not PEM, a key of another
   * certificate. (The DKIM key mounted beside it is a good one.)
   */
  @Test
  void aMountedTlsPairThatIsMissingNotPemOrMismatchedIsRefusedAtStart(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    server.shell(
        "cd /tmp && openssl genrsa -traditional -out refused-dkim.key 2048 2>/dev/null"
            + " && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=one."
            + DOMAIN
            + " -keyout one.key -out one.crt 2>/dev/null"
            + " && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=two."
            + DOMAIN
            + " -keyout two.key -out two.crt 2>/dev/null && printf 'not a certificate\\n' > garbage.crt");
    for (String file :
        List.of("refused-dkim.key", "one.key", "one.crt", "two.key", "garbage.crt")) {
      server.copyFileFromContainer("/tmp/" + file, dir.resolve(file).toString());
      Files.setPosixFilePermissions(
          dir.resolve(file), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
    Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "the TLS key " + ListServerImages.MOUNTED_TLS_KEY + " is missing or unreadable",
        Map.of("one.crt", ListServerImages.MOUNTED_TLS_CERT));
    cases.put(
        ListServerImages.MOUNTED_TLS_CERT + " is not a PEM certificate",
        Map.of(
            "garbage.crt",
            ListServerImages.MOUNTED_TLS_CERT,
            "one.key",
            ListServerImages.MOUNTED_TLS_KEY));
    cases.put(
        "the TLS key " + ListServerImages.MOUNTED_TLS_KEY + " is not the key of the certificate",
        Map.of(
            "one.crt",
            ListServerImages.MOUNTED_TLS_CERT,
            "two.key",
            ListServerImages.MOUNTED_TLS_KEY));
    for (Map.Entry<String, Map<String, String>> refused : cases.entrySet()) {
      List<com.github.dockerjava.api.model.Bind> binds = new ArrayList<>();
      binds.add(
          new com.github.dockerjava.api.model.Bind(
              dir.resolve("refused-dkim.key").toString(),
              new com.github.dockerjava.api.model.Volume(ListServerImages.MOUNTED_DKIM_KEY)));
      refused
          .getValue()
          .forEach(
              (file, path) ->
                  binds.add(
                      new com.github.dockerjava.api.model.Bind(
                          dir.resolve(file).toString(),
                          new com.github.dockerjava.api.model.Volume(path))));
      OneOffContainer.Ended start =
          OneOffContainer.run(
              ListServerImages.exampleWithMountedKeys(),
              binds.toArray(com.github.dockerjava.api.model.Bind[]::new));
      assertThat(start.exitCode()).as(refused.getKey()).isNotEqualTo(0);
      assertThat(start.output())
          .as("the start's log")
          .contains(refused.getKey())
          .doesNotContain("postfix/master");
    }
  }

  /**
   * RFC 8058 one-click unsubscribe, on by default at an https:// address: each member's copy
   * carries its own signed URL, and a POST of {@code List-Unsubscribe=One-Click} to it, without
   * login or cookie, removes exactly that member; a URL forged from it for another member, a
   * changed token, a GET, or the URL of an earlier subscription removes nobody.
   */
  @Test
  void overHttpsEachCopyCarriesItsMembersSignedOneClickUrlAndAPostToItRemovesExactlyThatMember()
      throws Exception {
    List<Record> zone = zone(overHttps.dnsRecords());
    String selector = ListServerImages.HTTPS_SELECTOR + "._domainkey." + DOMAIN;
    dns.addTxt(selector, txt(zone, selector).get(0));
    overHttps.createList(ONE_CLICK_LIST, "discussion_list", "ann@example.org");
    overHttps.addMembers(ONE_CLICK_LIST, ONE_CLICK_MEMBERS.toArray(String[]::new));

    String first = token("first");
    assertThat(
            overHttps.sendOverSmtp(
                "ann@example.org", ONE_CLICK_LIST + "@" + DOMAIN, post("ann@example.org", first)))
        .isEqualTo(250);
    assertThat(sink.awaitRecipients(first, ONE_CLICK_MEMBERS.size(), ONE_CLICK_DELIVERY))
        .containsExactlyInAnyOrderElementsOf(ONE_CLICK_MEMBERS);

    Map<String, String> urls = new HashMap<>();
    for (ReceivedMessage copy : sink.messagesContaining(first)) {
      String member = copy.recipients().get(0);
      assertThat(copy.recipients()).as("one member per copy").hasSize(1);
      assertThat(copy.header("List-Unsubscribe-Post")).hasValue(ONE_CLICK);
      String unsubscribe = copy.header("List-Unsubscribe").orElseThrow();
      assertThat(unsubscribe)
          .contains("<mailto:sympa@" + DOMAIN + "?subject=SIG%20" + ONE_CLICK_LIST + ">");
      Matcher https = HTTPS_URL.matcher(unsubscribe);
      assertThat(https.find()).as(unsubscribe).isTrue();
      String url = https.group(1);
      assertThat(url).startsWith("https://" + DOMAIN + "/sympa/oneclick/" + ONE_CLICK_LIST + "/");
      urls.put(member, url);
      String signature = copy.header("DKIM-Signature").orElseThrow();
      assertThat(signedHeaders(signature)).contains("list-unsubscribe", "list-unsubscribe-post");
      DnsServerContainer.Verification verified = dns.dkimVerify(copy.raw());
      assertThat(verified.ok()).as(verified.output()).isTrue();
    }
    assertThat(urls).containsOnlyKeys(ONE_CLICK_MEMBERS);
    assertThat(urls.values()).doesNotHaveDuplicates();

    String ann = URI.create(urls.get("ann@example.org")).getPath();
    String id = ann.substring(ann.lastIndexOf('/') + 1);
    String mac = id.substring(id.indexOf('.') + 1);
    String forBen =
        ann.substring(0, ann.lastIndexOf('/') + 1) + base64url("ben@example.org") + "." + mac;
    String changedToken = ann.substring(0, ann.length() - 1) + (ann.endsWith("A") ? "B" : "A");
    for (String forged : List.of(forBen, changedToken)) {
      assertThat(overHttps.postForm(forged, ONE_CLICK).statusCode()).isEqualTo(200);
    }
    // A GET is not the one-click request: it leads to Sympa's unsubscribe page and removes nobody.
    java.net.http.HttpResponse<String> get = overHttps.get(ann);
    assertThat(get.statusCode()).as("a GET of the one-click URL").isEqualTo(302);
    String signoff = "https://" + DOMAIN + "/sympa/signoff/" + ONE_CLICK_LIST;
    assertThat(get.headers().firstValue("Location")).hasValue(signoff);
    java.net.http.HttpResponse<String> page = overHttps.get(signoff);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).as("the unsubscribe page").contains("name=\"action_signoff\"");
    assertThat(overHttps.postForm(ann, "List-Unsubscribe=Other").statusCode()).isLessThan(500);
    assertThat(overHttps.members(ONE_CLICK_LIST))
        .as("nobody removed")
        .containsExactlyInAnyOrderElementsOf(ONE_CLICK_MEMBERS);

    assertThat(overHttps.postForm(ann, ONE_CLICK).statusCode()).isEqualTo(200);
    assertThat(overHttps.members(ONE_CLICK_LIST))
        .containsExactlyInAnyOrder("ben@example.org", "cat@example.net");
    // Sympa's own signoff: the usual notice to the member who left.
    assertThat(
            Poll.until(
                () ->
                    sink.messagesContaining("ann@example.org").stream()
                        .filter(
                            m ->
                                m.recipients().equals(List.of("ann@example.org"))
                                    && m.subject().equals("Unsubscribed from " + ONE_CLICK_LIST))
                        .toList(),
                notices -> !notices.isEmpty(),
                ONE_CLICK_DELIVERY,
                Duration.ofMillis(250)))
        .as("the notice to ann")
        .hasSize(1);

    String second = token("second");
    overHttps.sendOverSmtp(
        "ben@example.org", ONE_CLICK_LIST + "@" + DOMAIN, post("ben@example.org", second));
    assertThat(sink.awaitRecipients(second, 2, ONE_CLICK_DELIVERY))
        .containsExactlyInAnyOrder("ben@example.org", "cat@example.net");
    overHttps.awaitIdle(ONE_CLICK_DELIVERY); // copies leave one by one: every one has left
    assertThat(sink.recipientsOf(second))
        .containsExactlyInAnyOrder("ben@example.org", "cat@example.net");

    // Ann subscribes again (a second later: a new subscription date): her old URL is spent.
    Thread.sleep(1_100);
    overHttps.addMembers(ONE_CLICK_LIST, "ann@example.org");
    assertThat(overHttps.postForm(ann, ONE_CLICK).statusCode()).isEqualTo(200);
    assertThat(overHttps.members(ONE_CLICK_LIST))
        .as("a replayed URL of an earlier subscription")
        .containsExactlyInAnyOrderElementsOf(ONE_CLICK_MEMBERS);
  }

  // ---------------------------------------------------------------- helpers

  private static String base64url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void publishDkimRecord(SympaListServerContainer on) throws IOException {
    List<Record> zone = zone(on.dnsRecords());
    dns.addTxt("sympa._domainkey." + DOMAIN, txt(zone, "sympa._domainkey." + DOMAIN).get(0));
  }

  /**
   * The base64 SubjectPublicKeyInfo of the RSA key at {@code keyPath} in {@code on}: what p=
   * publishes.
   */
  private static String publicKeyOf(SympaListServerContainer on, String keyPath) {
    return on.shell(
            "openssl rsa -in " + keyPath + " -pubout 2>/dev/null | grep -v '^-----' | tr -d '\\n'")
        .strip();
  }

  private static X509Certificate presentedCertificate(SympaListServerContainer on)
      throws IOException {
    try (TlsSmtpSession smtp = new TlsSmtpSession(on.getHost(), on.getSmtpPort())) {
      return smtp.startTls();
    }
  }

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The h= tag of a DKIM-Signature: the header names it covers, lower-cased. */
  static List<String> signedHeaders(String signature) {
    String h = signature.replaceAll("\\s", "").replaceFirst(".*?(?:^|;)h=([^;]*).*", "$1");
    return List.of(h.toLowerCase(java.util.Locale.ROOT).split(":"));
  }

  private static ReceivedMessage firstCopy(String token) throws InterruptedException {
    return sink.awaitMessagesContaining(token, 1, DELIVERY).get(0);
  }

  private static String[] post(String from, String token) {
    return new String[] {
      "From: " + from,
      "To: members",
      "Subject: " + token,
      "Message-ID: <" + token + "@example.org>",
      "",
      "Body of " + token
    };
  }

  private static String token(String scenario) {
    return scenario + "-" + UUID.randomUUID();
  }
}
