package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.Spool;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/**
 * SMTP smuggling: a message body holding {@code <LF>.<CR><LF>} followed by a second transaction
 * must not end DATA early and let the second message in. A control image without Postfix's defences
 * (smtpd_forbid_bare_newline = no, and smtpd_forbid_unauth_pipelining = no, which Postfix 3.9 and
 * later turn on by default: trixie's 3.10 drops a client that sends the second transaction unasked)
 * shows that this test catches the attack.
 */
class SmtpSmugglingIT {
  @Test
  void bareNewlineDotSequenceSmugglesNoSecondMessage() throws Exception {
    Outcome outcome = attack(ApplianceImages.standard());
    assertThat(outcome.smuggledFiles()).as("smuggled message delivered on its own").isZero();
    // Postfix (3.7.11, 3.10) with "yes" accepts only <CR><LF>.<CR><LF> as the end of DATA: the
    // would-be
    // second transaction stays inside the first message as text.
    assertThat(outcome.firstMessages()).as("first message, holding the smuggled text").isEqualTo(1);
  }

  @Test
  void controlWithPostfixDefaultLetsTheSmuggledMessageIn() throws Exception {
    Outcome outcome = attack(ApplianceImages.controlBareNewlineAllowed());
    assertThat(outcome.smuggledFiles())
        .as("the attack works where the setting is off")
        .isEqualTo(1);
    assertThat(outcome.firstMessages()).isEqualTo(1);
  }

  /** Messages delivered to the smuggled recipient, and to the first transaction's recipient. */
  private record Outcome(List<String> replies, int smuggledFiles, int firstMessages) {}

  private static Outcome attack(DockerImageName image) throws Exception {
    String token = UUID.randomUUID().toString();
    List<String> replies = new ArrayList<>();
    try (ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(image, ApplianceImages.HOSTNAME)) {
      appliance.start();
      try (Socket socket = new Socket(appliance.smtpHost(), appliance.smtpPort())) {
        socket.setSoTimeout(10_000);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        replies.add(in.readLine());
        for (String command :
            List.of(
                "HELO attacker.example.net",
                "MAIL FROM:<alice@example.net>",
                "RCPT TO:<" + LIST + "@" + DOMAIN + ">",
                "DATA")) {
          out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
          replies.add(readReply(in));
        }
        String payload =
            "Subject: first\r\n\r\nfirst-"
                + token
                + "\n.\r\n"
                + "MAIL FROM:<mallory@example.net>\r\n"
                + "RCPT TO:<"
                + LIST
                + "-request@"
                + DOMAIN
                + ">\r\n"
                + "DATA\r\n"
                + "Subject: smuggled\r\n\r\nsmuggled-"
                + token
                + "\r\n"
                + ".\r\n"
                + "QUIT\r\n";
        out.write(payload.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String line;
        try {
          while ((line = in.readLine()) != null) {
            replies.add(line);
          }
        } catch (java.net.SocketTimeoutException e) {
          replies.add("(timeout)");
        }
      }
      // Wait until every delivery attempt is over before counting.
      appliance.msgSpool().awaitFilesContaining("first-" + token, Duration.ofSeconds(15));
      List<Spool.SpoolFile> withSmuggledText =
          appliance.msgSpool().filesContaining("smuggled-" + token);
      int smuggled =
          (int)
              withSmuggledText.stream()
                  .filter(f -> f.firstLine().equals("X-Sympa-To: " + LIST + "-request@" + DOMAIN))
                  .count();
      int first =
          (int)
              appliance.msgSpool().filesContaining("first-" + token).stream()
                  .filter(f -> f.firstLine().equals("X-Sympa-To: " + LIST + "@" + DOMAIN))
                  .count();
      return new Outcome(replies, smuggled, first);
    }
  }

  private static String readReply(BufferedReader in) throws java.io.IOException {
    String line = in.readLine();
    StringBuilder reply = new StringBuilder(line == null ? "" : line);
    while (line != null && line.length() > 3 && line.charAt(3) == '-') {
      line = in.readLine();
      reply.append('\n').append(line);
    }
    return reply.toString();
  }
}
