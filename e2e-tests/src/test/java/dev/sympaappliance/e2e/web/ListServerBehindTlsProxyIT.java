package dev.sympaappliance.e2e.web;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.e2e.support.TlsProxyContainer;
import dev.sympaappliance.e2e.support.WebBrowser;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The list server of examples/lists.yaml built with --web-url https://lists.example.org/sympa,
 * behind a TLS-terminating reverse proxy (nginx, as the README shows it, with a self-signed
 * certificate) that forwards plain HTTP to its port 80. The browser only ever talks https to the
 * proxy: the links Sympa mails, its redirects and its session cookie must all be https.
 */
@Testcontainers
class ListServerBehindTlsProxyIT {
  static final Duration MAIL = Duration.ofSeconds(60);
  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.exampleOverHttps(), sink);

  @Container
  static final TlsProxyContainer proxy =
      new TlsProxyContainer(ListServerImages.exampleOverHttps(), network).dependsOn(server);

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  /**
   * {@code web.workers} / {@code --web-workers}: multiwatch keeps that many wwsympa.fcgi processes.
   */
  @Test
  void theWebRunsTheNumberOfWwsympaProcessesTheSpecAsksFor() throws InterruptedException {
    int running =
        Poll.until(
            () ->
                Integer.parseInt(
                    server
                        .shell(
                            "for comm in /proc/[0-9]*/comm; do cat $comm 2>/dev/null; done"
                                + " | grep -cx wwsympa.fcgi || true")
                        .strip()),
            count -> count == ListServerImages.HTTPS_WEB_WORKERS,
            Duration.ofSeconds(30),
            Duration.ofMillis(500));
    assertThat(running).isEqualTo(ListServerImages.HTTPS_WEB_WORKERS);
  }

  @Test
  void aFirstLoginThroughTheProxyGetsHttpsLinksByMailAndASecureSessionCookie() throws Exception {
    String owner = "alice@example.org";
    try (WebBrowser browser = proxy.browser("behind-tls-proxy")) {
      browser.open("/sympa");
      browser.shot("home-over-https");
      assertThat(browser.text()).contains("Team discussion");
      assertThat(
              browser.script(
                  "return Array.from(document.styleSheets).filter(s => s.href"
                      + " && s.href.startsWith('https://"
                      + DOMAIN
                      + "/css-sympa/') && s.cssRules.length > 100).length"))
          .isEqualTo(1L);

      // firstLogin follows only a link https://lists.example.org/sympa/ticket/… from the mail.
      browser.firstLogin(sink, owner, "behind a proxy", MAIL);
      assertThat(browser.url()).startsWith("https://" + DOMAIN + "/sympa");
      assertThat(browser.secureCookie("sympa_session")).as("the session cookie is Secure").isTrue();

      browser.open("/sympa/admin/team");
      browser.shot("admin-over-https");
      assertThat(browser.title()).contains("admin");
    }
    // Read as the owner reads them: transfer encodings and charsets decoded.
    List<String> withTicket =
        (sink.messagesContaining(owner))
            .stream()
                .map(ReceivedMessage::text)
                .filter(text -> text.contains("/sympa/ticket/"))
                .toList();
    assertThat(withTicket)
        .as("the mail with the first-login link")
        .isNotEmpty()
        .allSatisfy(text -> assertThat(text).doesNotContain("http://" + DOMAIN));
  }
}
