package dev.sympaappliance.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReceivedMessageTest {
  /** A copy as smtp-sink keeps it: envelope lines, then a multipart message with encoded parts. */
  private static final String KEPT =
      String.join(
          "\r\n",
          "X-Client-Addr: 172.18.0.3",
          "X-Mail-Args: <team-owner@lists.example.org>",
          "X-Rcpt-Args: <alice@example.org>",
          "X-Rcpt-Args: <carol@example.net> NOTIFY=NEVER",
          "Received: from mx.lists.example.org",
          "From: Bob <bob@example.org>",
          "Subject: =?UTF-8?Q?Caf=C3=A9?= for",
          " the team",
          "Message-ID: <post-1@example.org>",
          "List-Id: <team.lists.example.org>",
          "MIME-Version: 1.0",
          "Content-Type: multipart/mixed; boundary=\"b1\"",
          "",
          "--b1",
          "Content-Type: text/plain; charset=UTF-8",
          "Content-Transfer-Encoding: base64",
          "",
          java.util.Base64.getEncoder()
              .encodeToString(
                  "Confirm: https://lists.example.org/sympa/ticket/12345\nCafé\n"
                      .getBytes(StandardCharsets.UTF_8)),
          "--b1",
          "Content-Type: text/html; charset=ISO-8859-1",
          "Content-Transfer-Encoding: quoted-printable",
          "",
          "<a href=3D\"https://lists.example.org/sympa/ticket/67890\">caf=E9</a>",
          "--b1",
          "Content-Type: application/pdf; name=\"minutes.pdf\"",
          "Content-Disposition: attachment; filename=\"minutes.pdf\"",
          "Content-Transfer-Encoding: base64",
          "",
          "JVBERi0xLjQK",
          "--b1--",
          "");

  @Test
  void theEnvelopeRecipientsAreThoseOfTheSinksLines() {
    assertThat(ReceivedMessage.parse(KEPT).recipients())
        .containsExactly("alice@example.org", "carol@example.net");
    assertThat(ReceivedMessage.parse(KEPT).clientAddress()).contains("172.18.0.3");
  }

  @Test
  void headersAreUnfoldedAndDecoded() {
    ReceivedMessage message = ReceivedMessage.parse(KEPT);
    assertThat(message.subject()).isEqualTo("Café for the team");
    assertThat(message.messageId()).contains("post-1@example.org");
    assertThat(message.header("list-id")).contains("<team.lists.example.org>");
    assertThat(message.header("X-Missing")).isEmpty();
    assertThat(message.headers("X-Rcpt-Args")).hasSize(2);
  }

  @Test
  void theTextIsDecodedFromBase64AndQuotedPrintableAndTheirCharsets() {
    String text = ReceivedMessage.parse(KEPT).text();
    assertThat(text)
        .contains("Café", "<a href=\"https://lists.example.org/sympa/ticket/67890\">café</a>");
    // the raw message holds neither: a search of the raw text would miss them
    assertThat(KEPT).doesNotContain("Café", "café", "href=\"");
  }

  @Test
  void linksAreFoundInTheDecodedText() {
    assertThat(ReceivedMessage.parse(KEPT).links("https://lists.example.org/sympa/ticket/"))
        .containsExactly(
            "https://lists.example.org/sympa/ticket/12345",
            "https://lists.example.org/sympa/ticket/67890");
    assertThat(
            SmtpSinkContainer.linkTo(
                java.util.List.of(ReceivedMessage.parse(KEPT)),
                "carol@example.net",
                "https://lists.example.org/sympa/ticket/"))
        .contains("https://lists.example.org/sympa/ticket/12345");
    assertThat(
            SmtpSinkContainer.linkTo(
                java.util.List.of(ReceivedMessage.parse(KEPT)), "bob@example.org", "https://"))
        .isEmpty();
  }

  @Test
  void attachmentsAreDecodedAndKeptOutOfTheText() {
    ReceivedMessage message = ReceivedMessage.parse(KEPT);
    assertThat(message.attachments())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.fileName()).isEqualTo("minutes.pdf");
              assertThat(a.mimeType()).isEqualTo("application/pdf");
              assertThat(new String(a.content(), StandardCharsets.US_ASCII))
                  .isEqualTo("%PDF-1.4\n");
            });
    assertThat(message.text()).doesNotContain("PDF");
  }

  @Test
  void theRawBytesAreKept() {
    byte[] raw = KEPT.getBytes(StandardCharsets.UTF_8);
    assertThat(ReceivedMessage.parse(raw).rawBytes()).isEqualTo(raw);
  }

  @Test
  void aPostTheKitComposesParsesBackWithItsMessageIdSubjectAndText() {
    String text =
        "Ünïcode = fine, and a line longer than seventy-six characters so that it must be soft-wrapped here.";
    String composed =
        Mailer.compose(
            "alice@example.org",
            "team@lists.example.org",
            "Grüße",
            text,
            "id-1@test.sympa-appliance");
    ReceivedMessage parsed = ReceivedMessage.parse(composed);
    assertThat(parsed.messageId()).contains("id-1@test.sympa-appliance");
    assertThat(parsed.subject()).isEqualTo("Grüße");
    assertThat(parsed.header("From")).contains("alice@example.org");
    assertThat(parsed.text().strip()).isEqualTo(text);
    assertThat(composed).as("7-bit on the wire").matches("\\p{ASCII}*");
  }
}
