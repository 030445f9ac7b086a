package dev.sympaappliance.e2e.migration;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Processes;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.e2e.support.WebBrowser;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * An mbox of 500 messages written by a real mail program (Python's mailbox and email, through
 * make-mbox.py: RFC 2047 subjects, a thread, a 2 MB attachment, undated messages) imported into the
 * example's list team with {@code sympa-appliance-archive}, then read on the web archive in a real
 * browser: each month holds its messages, the thread is grouped, the attachment downloads intact.
 */
@Testcontainers
class ArchiveImportIT {
  static final String TEAM = "team@" + DOMAIN;
  static final Pattern MESSAGE_LINK = Pattern.compile("href=\"(msg\\d+\\.html)\"");

  static final Network network = Network.newNetwork();

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(ListServerImages.example(), sink);

  @TempDir static Path tmp;
  static JsonNode manifest;
  static ExecResult firstImport;

  @BeforeAll
  static void importTheMbox() throws Exception {
    Path script = Path.of("src/test/resources/archive/make-mbox.py");
    Path mbox = tmp.resolve("team.mbox");
    Path json = tmp.resolve("team.json");
    Processes.Result made =
        Processes.run(
            List.of(
                "python3", script.toAbsolutePath().toString(), mbox.toString(), json.toString()),
            tmp,
            Map.of(),
            Duration.ofMinutes(2));
    assertThat(made.exitCode()).as(made.output()).isZero();
    manifest = new ObjectMapper().readTree(json.toFile());
    server.copyFileToContainer(MountableFile.forHostPath(mbox), "/tmp/team.mbox");
    firstImport =
        server.execInContainer("sympa-appliance-archive", "import", TEAM, "/tmp/team.mbox");
  }

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void everyMonthOfTheWebArchiveHoldsItsMessages() {
    assertThat(firstImport.getExitCode()).as(firstImport.getStderr()).isZero();
    assertThat(firstImport.getStdout()).contains("imported 500 messages into " + TEAM);
    try (WebBrowser browser = server.browser("archive-import")) {
      browser.open("/sympa/arc/team");
      browser.confirmIfAsked(); // "I am not a spammer"
      int total = 0;
      for (Iterator<Map.Entry<String, JsonNode>> months = manifest.get("months").fields();
          months.hasNext(); ) {
        Map.Entry<String, JsonNode> month = months.next();
        Set<String> pages = messagePages(browser, month.getKey());
        assertThat(pages).as("messages of %s", month.getKey()).hasSize(month.getValue().asInt());
        total += pages.size();
      }
      assertThat(total).isEqualTo(500);
    }
  }

  @Test
  void subjectsDatesAThreadAndAnAttachmentShowAsSent() throws Exception {
    try (WebBrowser browser = server.browser("archive-import-messages")) {
      browser.open("/sympa/arc/team");
      browser.confirmIfAsked();
      for (JsonNode subject : manifest.get("non_ascii_subjects")) {
        open(browser, subject);
        assertThat(browser.title()).contains(subject.get("subject").asText());
      }
      for (JsonNode undated : manifest.get("undated")) {
        open(browser, undated);
        assertThat(source(browser))
            .contains("<!--X-Date: " + undated.get("from_line_date").asText());
      }

      JsonNode thread = manifest.get("thread");
      browser.open(
          "/sympa/arcsearch_id/team/"
              + thread.get("month").asText()
              + "/"
              + bare(thread.get("message_ids").get(0).asText()));
      String root = source(browser);
      String followUps =
          root.substring(
              root.indexOf("<!--X-Follow-Ups-->"), root.indexOf("<!--X-Follow-Ups-End-->"));
      assertThat(MESSAGE_LINK.matcher(followUps).results().count())
          .as("replies listed under the thread's first message")
          .isEqualTo(thread.get("message_ids").size() - 1);

      JsonNode attachment = manifest.get("attachment");
      open(browser, attachment);
      String link =
          browser
              .find(By.partialLinkText(attachment.get("filename").asText()))
              .getAttribute("href");
      HttpResponse<byte[]> download = download(browser, link);
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).hasSize(attachment.get("bytes").asInt());
      assertThat(
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(download.body())))
          .isEqualTo(attachment.get("sha256").asText());
    }
  }

  @Test
  void aSecondImportOfTheSameMboxAddsNothing() throws Exception {
    ExecResult again =
        server.execInContainer("sympa-appliance-archive", "import", TEAM, "/tmp/team.mbox");
    assertThat(again.getExitCode()).as(again.getStderr()).isZero();
    assertThat(again.getStdout()).contains("imported 0 messages into " + TEAM);
    String months = manifest.get("months").fieldNames().next();
    try (WebBrowser browser = server.browser("archive-import-again")) {
      browser.open("/sympa/arc/team");
      browser.confirmIfAsked();
      assertThat(messagePages(browser, months)).hasSize(manifest.get("months").get(months).asInt());
    }
  }

  /** The message pages a month's index lists, over its pages mail1.html, mail2.html, .... */
  private static Set<String> messagePages(WebBrowser browser, String month) {
    Set<String> pages = new HashSet<>();
    for (int page = 1; ; page++) {
      browser.open("/sympa/arc/team/" + month + "/mail" + page + ".html");
      Matcher links = MESSAGE_LINK.matcher(source(browser));
      int before = pages.size();
      while (links.find()) {
        pages.add(links.group(1));
      }
      if (pages.size() == before) {
        return pages;
      }
    }
  }

  private static void open(WebBrowser browser, JsonNode message) {
    browser.open(
        "/sympa/arcsearch_id/team/"
            + message.get("month").asText()
            + "/"
            + bare(message.get("message_id").asText()));
  }

  private static String bare(String messageId) {
    return messageId.replaceAll("^<|>$", "");
  }

  private static String source(WebBrowser browser) {
    return (String) browser.script("return document.documentElement.outerHTML");
  }

  /**
   * The attachment at {@code link}, fetched with the browser's session, as it would download it.
   */
  private static HttpResponse<byte[]> download(WebBrowser browser, String link) throws Exception {
    URI uri = URI.create(link);
    URI published = URI.create("http://127.0.0.1:" + server.getWebPort() + uri.getRawPath());
    HttpRequest request =
        HttpRequest.newBuilder(published)
            .header("User-Agent", WebBrowser.USER_AGENT)
            .header("Cookie", "sympa_session=" + browser.cookie("sympa_session"))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
