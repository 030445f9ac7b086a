package dev.sympaappliance.e2e.web;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.e2e.support.WebBrowser;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Sympa's web interface in the list server built from examples/lists.yaml, used in a real browser
 * (chromium) at its public address, http://lists.example.org/sympa, with the sink as relay host:
 * the mail Sympa sends from the web (password links, confirmations, posts) is read at the sink.
 * Scenarios that log in or change members use lists of their own, created at run time, so that no
 * test depends on another; each saves a screenshot of every step under target/screenshots.
 */
@Testcontainers
class ListServerWebIT {
  static final Duration MAIL = Duration.ofSeconds(60);
  static final String PASSWORD = "correct horse battery staple";

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
  void theHomePageListsTheListsOfTheSpecStyledByItsStylesheet() {
    try (WebBrowser browser = server.browser("home")) {
      browser.open("/sympa");
      browser.shot("home");

      assertThat(browser.title()).contains("Mailing lists service");
      assertThat(browser.findAll(By.cssSelector("a[href='/sympa/info/team']"))).isNotEmpty();
      assertThat(browser.findAll(By.cssSelector("a[href='/sympa/info/announce']"))).isNotEmpty();
      assertThat(browser.text()).contains("Team discussion");
      // The stylesheet WWSympa generates (css_url), served by nginx, is applied: its rules are
      // loaded, and a link has the colour it sets (a {color: #0090e9; text-decoration: none}),
      // not the browser's default underlined blue; the text is sans-serif, not the default serif.
      assertThat(
              browser.script(
                  "return Array.from(document.styleSheets).filter(s => s.href"
                      + " && s.href.includes('/css-sympa/"
                      + DOMAIN
                      + "/') && s.cssRules.length > 100).length"))
          .isEqualTo(1L);
      assertThat(browser.computedStyle("a[href='/sympa/info/team']", "color"))
          .isEqualTo("rgb(0, 144, 233)");
      assertThat(browser.computedStyle("a[href='/sympa/info/team']", "text-decoration-line"))
          .isEqualTo("none");
      assertThat(browser.computedStyle("body", "font-family")).isEqualTo("sans-serif");
    }
    assertThat(server.getLogs()).contains("nginx: ").contains("wwsympa: ");
  }

  @Test
  void anOwnersFirstLoginByAMailedLinkLeadsToTheListsAdminPage() throws Exception {
    String owner = "olga@example.org";
    server.createList("weblogin", "discussion_list", owner);
    try (WebBrowser browser = server.browser("first-login")) {
      firstLogin(browser, owner);

      browser.open("/sympa/admin/weblogin");
      browser.shot("admin-page");
      assertThat(browser.title()).contains("admin");
      assertThat(browser.findAll(By.cssSelector("a[href='/sympa/review/weblogin']"))).isNotEmpty();
    }
    // The password she chose is stored as a bcrypt hash (password_hash bcrypt), not Sympa's
    // default unsalted MD5 and never in clear.
    assertThat(
            server.databaseRows(
                "select password_user from user_table where email_user = '" + owner + "'"))
        .singleElement()
        .satisfies(
            hash ->
                assertThat(hash).matches("\\$2[aby]\\$[0-9]{2}\\$.{53}").doesNotContain(PASSWORD));
  }

  @Test
  void aSubscriberTheOwnerAddsByTheWebFormGetsTheNextPost() throws Exception {
    String owner = "oscar@example.org";
    String added = "sam@example.net";
    server.createList("webadd", "discussion_list", owner);
    try (WebBrowser browser = server.browser("owner-adds-subscriber")) {
      firstLogin(browser, owner);
      browser.open("/sympa/review/webadd");
      browser.shot("members");
      browser.find(By.id("email_search")).sendKeys(added);
      browser.submit("action_add");
      browser.confirmIfAsked();
      browser.shot("added");
    }
    assertThat(
            Poll.until(
                () -> server.members("webadd"),
                m -> m.contains(added),
                MAIL,
                Duration.ofMillis(250)))
        .containsExactly(added);

    String token = token("web-added");
    server.sendOverSmtp(added, "webadd@" + DOMAIN, post(added, "webadd", token));
    assertThat(sink.awaitRecipients(token, 1, MAIL)).contains(added);
  }

  @Test
  void aPostAppearsInTheListsWebArchive() throws Exception {
    String token = token("archived");
    server.sendOverSmtp(
        "alice@example.org", "team@" + DOMAIN, post("alice@example.org", "team", token));
    sink.awaitRecipients(token, 3, MAIL);

    try (WebBrowser browser = server.browser("archive")) {
      browser.open("/sympa/arc/team");
      browser.confirmIfAsked(); // "I am not a spammer": the archive's protection against harvesters
      browser.shot("archive-index");
      // archived.pl files the post within seconds; the visitor reloads until it is there.
      boolean found =
          Poll.until(
              () -> {
                browser.open("/sympa/arc/team");
                return browser.text().contains(token);
              },
              shown -> shown,
              MAIL,
              Duration.ofSeconds(1));
      browser.shot("archive-with-post");
      assertThat(found).as("post " + token + " in the web archive").isTrue();
    }
  }

  @Test
  void aVisitorWhoSubscribesOnTheWebIsAMemberOnceTheMailedLinkIsConfirmed() throws Exception {
    String visitor = "vera@example.net";
    server.createList("webjoin", "discussion_list", "owen@example.org");
    try (WebBrowser browser = server.browser("visitor-subscribes")) {
      browser.open("/sympa/subscribe/webjoin");
      browser.shot("subscribe-form");
      browser.type("email", visitor).type("gecos", "Vera Visitor").submit("action_subscribe");
      browser.confirmIfAsked();
      browser.shot("confirmation-sent");
      assertThat(server.members("webjoin")).doesNotContain(visitor);

      String link = awaitLink(visitor, "/sympa/auth/");
      browser.open(link);
      browser.shot("confirmation-link");
      browser.confirmIfAsked();
      browser.shot("confirmed");
    }
    assertThat(
            Poll.until(
                () -> server.members("webjoin"),
                m -> m.contains(visitor),
                MAIL,
                Duration.ofMillis(250)))
        .containsExactly(visitor);
  }

  @Test
  void aModeratorReleasesAHeldPostInTheWebInterfaceAndItIsDistributed() throws Exception {
    String moderator = "milo@example.org";
    server.createList("webmod", "discussion_list", "mona@example.org", moderator);
    server.addMembers("webmod", "member@example.net");
    String token = token("held");
    server.sendOverSmtp(
        "outsider@example.com", "webmod@" + DOMAIN, post("outsider@example.com", "webmod", token));
    assertThat(sink.awaitMessagesContaining(token, 1, MAIL))
        .as("the moderators' notice")
        .isNotEmpty();
    server.awaitIdle(MAIL);
    assertThat(sink.recipientsOf(token))
        .as("held, not distributed")
        .doesNotContain("member@example.net");

    try (WebBrowser browser = server.browser("moderator-approves")) {
      firstLogin(browser, moderator);
      browser.open("/sympa/modindex/webmod");
      browser.shot("moderation-queue");
      assertThat(browser.text()).contains(token);
      browser.find(By.cssSelector("input[type=checkbox][name=id]")).click();
      browser.submit("action_distribute");
      browser.confirmIfAsked();
      browser.shot("distributed");
    }
    assertThat(
            Poll.until(
                () -> sink.recipientsOf(token),
                r -> r.contains("member@example.net"),
                MAIL,
                Duration.ofMillis(250)))
        .contains("member@example.net");
  }

  @Test
  void anAnonymousVisitorGetsTheLoginPageNotTheAdminPagesAndNoMemberList() throws Exception {
    List<String> adminPages =
        List.of("/sympa/admin/team", "/sympa/modindex/team", "/sympa/edit_list_request/team");
    // Sympa answers 200 with its login page, "… you need to login" and "Authorization rejected": no
    // redirect, no 403 (6.2.70 said "You need to login"; 6.2.76 "… (one that requires your email
    // address), you need to login").
    for (String page : adminPages) {
      assertThat(server.get(page).statusCode()).as(page).isEqualTo(200);
    }
    try (WebBrowser browser = server.browser("anonymous-admin")) {
      for (String page : adminPages) {
        browser.open(page);
        browser.shot(page.substring("/sympa/".length()).replace('/', '-'));
        assertThat(browser.url()).isEqualTo("http://" + DOMAIN + page);
        assertThat(browser.title()).as(page).contains("login");
        assertThat(browser.text())
            .as(page)
            .containsIgnoringCase("you need to login")
            .contains("Authorization rejected");
        assertThat(browser.findAll(By.cssSelector("a[href='/sympa/review/team']")))
            .as(page)
            .isEmpty();
      }
      // The member list (review owner: for the owners only) gives the list's public page instead.
      browser.open("/sympa/review/team");
      browser.shot("review-team");
      assertThat(browser.title()).contains("Team discussion").doesNotContain("review");
      assertThat(browser.text())
          .doesNotContain("carol@example.net")
          .doesNotContain("alice@example.org");
    }
  }

  @Test
  void aKilledWebServerIsBackWithinSeconds() throws Exception {
    for (String service : List.of("wwsympa", "nginx")) {
      String before = server.shell("s6-svstat -o pid /run/service/" + service).strip();
      server.shell("kill -9 " + before);
      String after =
          Poll.until(
              () -> server.shell("s6-svstat -o up,pid /run/service/" + service).strip(),
              state -> state.startsWith("true ") && !state.equals("true " + before),
              Duration.ofSeconds(10),
              Duration.ofMillis(100));
      assertThat(after).as(service).startsWith("true ").isNotEqualTo("true " + before);
      assertThat(
              Poll.until(
                  () -> {
                    try {
                      return server.get("/sympa").statusCode();
                    } catch (java.io.UncheckedIOException e) {
                      return -1;
                    }
                  },
                  status -> status == 200,
                  Duration.ofSeconds(30),
                  Duration.ofMillis(250)))
          .as("the home page after " + service + " was killed")
          .isEqualTo(200);
    }
  }

  /**
   * WWSympa is told its public address by the FastCGI parameters, whatever Host a request names: a
   * forged Host changes neither the links of a page, nor a link Sympa mails, nor a redirect (Sympa
   * builds redirects from HTTP_HOST: with the request's Host there, the one-click GET below
   * redirects to the forged name).
   */
  @Test
  void aForgedHostHeaderChangesNoLinkARedirectOrAMailedLink() throws Exception {
    String evil = "evil.example.net";
    List<String> forged = List.of("Host: " + evil);

    String page = server.rawHttp("GET", "/sympa/lists", forged, "");
    assertThat(page)
        .startsWith("HTTP/1.1 200")
        .contains("http://" + DOMAIN + "/sympa/")
        .doesNotContain(evil);

    String redirect = server.rawHttp("GET", "/sympa/oneclick/team/any", forged, "");
    assertThat(redirect)
        .startsWith("HTTP/1.1 302")
        .contains("\r\nLocation: http://" + DOMAIN + "/sympa/signoff/team\r\n")
        .doesNotContain(evil);

    // A first password asked for with the forged Host (the form, then its confirmation): the
    // mailed link is the public address's.
    String address = "forged-host-" + UUID.randomUUID() + "@example.net";
    String form = server.rawHttp("GET", "/sympa/firstpasswd", forged, "");
    Matcher session = Pattern.compile("sympa_session=[0-9]+").matcher(form);
    Matcher csrf = Pattern.compile("name=\"csrftoken\" value=\"([0-9a-f]+)\"").matcher(form);
    assertThat(session.find() && csrf.find()).as("a session and a CSRF token in the form").isTrue();
    List<String> headers =
        List.of(
            "Host: " + evil,
            "Cookie: " + session.group(),
            "Content-Type: application/x-www-form-urlencoded");
    String fields =
        "csrftoken="
            + csrf.group(1)
            + "&action=requestpasswd&reason=firstpasswd&email="
            + URLEncoder.encode(address, StandardCharsets.UTF_8);
    server.rawHttp("POST", "/sympa", headers, fields + "&action_requestpasswd=Request");
    assertThat(
            server.rawHttp("POST", "/sympa", headers, fields + "&response_action_confirm=Confirm"))
        .contains("We've sent you an email");

    List<ReceivedMessage> mails = sink.awaitMessagesContaining(address, 1, MAIL);
    assertThat(SmtpSinkContainer.linkTo(mails, address, "http://" + DOMAIN + "/sympa/ticket/"))
        .isPresent();
    assertThat(mails).allSatisfy(mail -> assertThat(mail.raw() + mail.text()).doesNotContain(evil));
  }

  /**
   * nginx takes the client's address from X-Forwarded-For only when a private network sends it (a
   * proxy there): a client on a public network (TEST-NET-3, 203.0.113.0/24, a Docker network of the
   * test's own, with a server of its own on it) that claims another address is logged with its own;
   * the same claim from a private address (the host, through this class's server's published port
   * on its private Docker network) is believed.
   */
  @Test
  void xForwardedForIsBelievedFromPrivateNetworksOnly() throws Exception {
    String claimed = "198.51.100.7";
    String fromPublic = "/static-sympa/xff-public-" + UUID.randomUUID();
    String fromPrivate = "/static-sympa/xff-private-" + UUID.randomUUID();
    com.github.dockerjava.api.DockerClient docker = server.getDockerClient();

    assertThat(
            server.rawHttp(
                "GET", fromPrivate, List.of("Host: " + DOMAIN, "X-Forwarded-For: " + claimed), ""))
        .startsWith("HTTP/1.1 404");
    String privateLog =
        Poll.until(
            server::getLogs,
            l -> l.contains("\"GET " + fromPrivate + " HTTP/1.0\" 404"),
            MAIL,
            Duration.ofMillis(250));
    assertThat(lineWith(privateLog, fromPrivate))
        .as("a claim from a private address")
        .startsWith("nginx: " + claimed + " ");

    try (Network publicNetwork =
            Network.builder()
                .createNetworkCmdModifier(
                    cmd ->
                        cmd.withIpam(
                            new com.github.dockerjava.api.model.Network.Ipam()
                                .withConfig(
                                    new com.github.dockerjava.api.model.Network.Ipam.Config()
                                        .withSubnet("203.0.113.0/24"))))
                .build();
        SympaListServerContainer exposed =
            new SympaListServerContainer(ListServerImages.example()).withNetwork(publicNetwork);
        SmtpSinkContainer client = new SmtpSinkContainer().withNetwork(publicNetwork)) {
      exposed.start();
      client.start();
      String serverAddress = addressOn(docker, exposed.getContainerId(), "203.0.113.");
      String clientAddress = addressOn(docker, client.getContainerId(), "203.0.113.");
      var request =
          client.execInContainer(
              "bash",
              "-c",
              "exec 3<>/dev/tcp/"
                  + serverAddress
                  + "/80"
                  + " && printf 'GET "
                  + fromPublic
                  + " HTTP/1.0\\r\\nHost: "
                  + DOMAIN
                  + "\\r\\nX-Forwarded-For: "
                  + claimed
                  + "\\r\\n\\r\\n' >&3 && head -n 1 <&3");
      assertThat(request.getStdout()).as(request.getStderr()).startsWith("HTTP/1.1 404");
      String publicLog =
          Poll.until(
              exposed::getLogs,
              l -> l.contains("\"GET " + fromPublic + " HTTP/1.0\" 404"),
              MAIL,
              Duration.ofMillis(250));
      assertThat(lineWith(publicLog, fromPublic))
          .as("a claim from a public address")
          .startsWith("nginx: " + clientAddress + " ");
    }
  }

  private static String addressOn(
      com.github.dockerjava.api.DockerClient docker, String container, String prefix) {
    return docker
        .inspectContainerCmd(container)
        .exec()
        .getNetworkSettings()
        .getNetworks()
        .values()
        .stream()
        .map(com.github.dockerjava.api.model.ContainerNetwork::getIpAddress)
        .filter(a -> a.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container + " has no address in " + prefix + "*"));
  }

  /**
   * nginx's access-log line of the request for {@code path} (its error log names the request too).
   */
  private static String lineWith(String log, String path) {
    return log.lines()
        .filter(line -> line.contains("\"GET " + path + " HTTP/1.0\"") && !line.contains("[error]"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no access-log line for " + path));
  }

  static void firstLogin(WebBrowser browser, String email) throws InterruptedException {
    browser.firstLogin(sink, email, PASSWORD, MAIL);
  }

  static String awaitLink(String address, String path) throws InterruptedException {
    return sink.awaitLink(address, "http://" + DOMAIN + path, MAIL);
  }

  static String token(String what) {
    return what + "-" + UUID.randomUUID();
  }

  static String[] post(String from, String list, String subject) {
    return new String[] {
      "From: " + from,
      "To: " + list + "@" + DOMAIN,
      "Subject: " + subject,
      "Message-ID: <" + UUID.randomUUID() + "@example.test>",
      "",
      "A post about " + subject + "."
    };
  }
}
