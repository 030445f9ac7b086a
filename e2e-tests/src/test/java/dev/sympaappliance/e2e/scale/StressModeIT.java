package dev.sympaappliance.e2e.scale;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/**
 * Sympa's how-to performance note: a bulk SMTP session with some unknown recipients must not be cut
 * off when Postfix runs in stress mode. One session, 50 RCPTs of which 10 unknown: all 40 valid
 * ones are accepted. A control image with Postfix's default (1 error in stress mode) shows that the
 * test depends on the setting.
 */
class StressModeIT {
  private static final int RECIPIENTS = 50;
  private static final int UNKNOWN_EVERY = 5;

  @Test
  void bulkSessionKeepsAllValidRecipientsInStressMode() throws Exception {
    String token = "stress-" + UUID.randomUUID();
    try (ToolsApplianceContainer appliance = startInStressMode(ApplianceImages.standard())) {
      Session session = bulkSession(appliance, token);

      assertThat(session.accepted()).hasSize(RECIPIENTS - RECIPIENTS / UNKNOWN_EVERY);
      assertThat(session.rejected())
          .hasSize(RECIPIENTS / UNKNOWN_EVERY)
          .allMatch(code -> code == 550);
      assertThat(session.endOfData()).isEqualTo(250);

      // Until Postfix's queue is empty, so that every delivery, a late duplicate included, is over.
      int expected = RECIPIENTS - RECIPIENTS / UNKNOWN_EVERY;
      int landed =
          Poll.until(
              () ->
                  appliance.queuedMessages().isEmpty()
                      ? appliance.msgSpool().filesContaining(token).size()
                          + appliance.bounceSpool().filesContaining(token).size()
                      : -1,
              files -> files >= expected,
              Duration.ofSeconds(60),
              Duration.ofMillis(300));
      assertThat(appliance.queuedMessages()).as("Postfix's queue").isEmpty();
      assertThat(landed)
          .as("spool files of the %d accepted recipients", expected)
          .isEqualTo(expected);
    }
  }

  @Test
  void controlWithPostfixDefaultCutsTheSessionAtTheFirstUnknownRecipient() throws Exception {
    try (ToolsApplianceContainer appliance =
        startInStressMode(ApplianceImages.controlDefaultHardErrorLimit())) {
      Session session = bulkSession(appliance, "control-" + UUID.randomUUID());
      assertThat(session.accepted()).hasSize(UNKNOWN_EVERY - 1);
      assertThat(session.cutOff()).isTrue();
    }
  }

  private record Session(
      List<String> accepted, List<Integer> rejected, int endOfData, boolean cutOff) {}

  private static ToolsApplianceContainer startInStressMode(DockerImageName image)
      throws InterruptedException {
    ToolsApplianceContainer appliance =
        new ToolsApplianceContainer(image, ApplianceImages.HOSTNAME);
    appliance.start();
    appliance.execOk("postconf -P 'smtp/inet/stress=yes' && postfix reload");
    assertThat(
            Poll.<String>until(
                appliance::getLogs,
                logs -> logs.contains("reload -- version"),
                Duration.ofSeconds(30),
                Duration.ofMillis(100)))
        .as("Postfix's log")
        .contains("reload -- version");
    assertThat(appliance.execOk("postconf -P smtp/inet/stress")).contains("stress = yes");
    return appliance;
  }

  /** Command lines of the running smtpd processes (the image has no ps: /proc/PID/cmdline). */
  private static List<String> smtpdCommandLines(ToolsApplianceContainer appliance) {
    return appliance
        .execOk(
            "for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null) || continue;"
                + " case \"$c\" in smtpd*) echo \"$c\";; esac; done")
        .lines()
        .toList();
  }

  /** Recipient i is unknown when i % 5 == 4; the rest are bounce+ addresses and the list's own. */
  private static Session bulkSession(ToolsApplianceContainer appliance, String token)
      throws IOException {
    List<String> accepted = new ArrayList<>();
    List<Integer> rejected = new ArrayList<>();
    try (SmtpSession smtp = new SmtpSession(appliance.smtpHost(), appliance.smtpPort())) {
      assertThat(smtp.helo("bulk.example.net")).isEqualTo(250);
      // The smtpd serving this session runs in stress mode: master passes it -o stress=yes.
      assertThat(smtpdCommandLines(appliance))
          .as("running smtpd processes")
          .isNotEmpty()
          .anySatisfy(line -> assertThat(line).contains("-o stress=yes"));
      assertThat(smtp.mailFrom("sympa@example.net")).isEqualTo(250);
      for (int i = 0; i < RECIPIENTS; i++) {
        String recipient =
            i % UNKNOWN_EVERY == UNKNOWN_EVERY - 1
                ? "unknown" + i + "@" + DOMAIN
                : (i == 0 ? LIST : "bounce+" + LIST + "==" + i) + "@" + DOMAIN;
        int code;
        try {
          code = smtp.rcptTo(recipient);
        } catch (IOException closed) {
          return new Session(accepted, rejected, -1, true);
        }
        if (code == 250) {
          accepted.add(recipient);
        } else if (code == 421) {
          return new Session(accepted, rejected, -1, true);
        } else {
          rejected.add(code);
        }
      }
      int[] data = smtp.data("Subject: bulk", "Message-ID: <" + token + "@example.net>", "", token);
      return new Session(accepted, rejected, data[1], false);
    }
  }
}
