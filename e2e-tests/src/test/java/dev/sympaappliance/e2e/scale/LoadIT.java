package dev.sympaappliance.e2e.scale;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * 1,000 messages over 10 concurrent SMTP sessions to list addresses: exactly 1,000 spool files, no
 * duplicates, each with the right X-Sympa-To. Bounded in count and time; nothing is timed.
 */
@Testcontainers
class LoadIT {
  private static final int SESSIONS = 10;
  private static final int MESSAGES_PER_SESSION = 100;
  private static final int MESSAGES = SESSIONS * MESSAGES_PER_SESSION;
  private static final List<String> RECIPIENTS =
      List.of(
          LIST,
          LIST + "-request",
          LIST + "-editor",
          LIST + "-subscribe",
          LIST + "-unsubscribe",
          "sympa",
          "listmaster");

  @Container
  static final ToolsApplianceContainer appliance =
      new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME);

  @Test
  void thousandMessagesOverTenSessionsLandExactlyOnce() throws Exception {
    String run = "load" + UUID.randomUUID().toString().substring(0, 8);
    ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
    List<Future<Integer>> sessions = new ArrayList<>();
    for (int s = 0; s < SESSIONS; s++) {
      int session = s;
      sessions.add(pool.submit(() -> sendSession(run, session)));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).as("sessions finished").isTrue();
    int accepted = 0;
    for (Future<Integer> session : sessions) {
      accepted += session.get();
    }
    assertThat(accepted).as("messages accepted with 250").isEqualTo(MESSAGES);

    Poll.until(
        () -> landedMessages(run),
        landed -> fileCount(landed) >= MESSAGES && appliance.queuedMessages().isEmpty(),
        Duration.ofMinutes(4),
        Duration.ofSeconds(1));
    Map<String, List<String>> landed = landedMessages(run);

    int files = fileCount(landed);
    long duplicated = landed.values().stream().filter(recipients -> recipients.size() > 1).count();
    System.out.printf(
        "load: sent %d, accepted %d, landed %d files for %d distinct messages, duplicated %d,"
            + " still queued %d, bounced to the sender %s%n",
        MESSAGES,
        accepted,
        files,
        landed.size(),
        duplicated,
        appliance.queuedMessages().size(),
        appliance.localMailbox("root").isEmpty() ? "none" : "some");
    assertThat(landed).as("distinct messages in the spool").hasSize(MESSAGES);
    assertThat(files).as("spool files").isEqualTo(MESSAGES);
    for (int n = 0; n < MESSAGES; n++) {
      assertThat(landed.get(run + "-" + n))
          .as("message %d", n)
          .containsExactly("X-Sympa-To: " + RECIPIENTS.get(n % RECIPIENTS.size()) + "@" + DOMAIN);
    }
    assertThat(appliance.queuedMessages()).isEmpty();
    assertThat(appliance.localMailbox("root")).as("bounces").isEmpty();
  }

  private static int sendSession(String run, int session) throws Exception {
    int accepted = 0;
    try (SmtpSession smtp = new SmtpSession(appliance.smtpHost(), appliance.smtpPort())) {
      smtp.helo("load" + session + ".example.net");
      for (int i = 0; i < MESSAGES_PER_SESSION; i++) {
        int n = session * MESSAGES_PER_SESSION + i;
        String token = run + "-" + n;
        String recipient = RECIPIENTS.get(n % RECIPIENTS.size()) + "@" + DOMAIN;
        if (smtp.mailFrom("load@example.net") == 250 && smtp.rcptTo(recipient) == 250) {
          int[] data =
              smtp.data(
                  "Subject: load " + n,
                  "Message-ID: <" + token + "@example.net>",
                  "",
                  "token=" + token + ";");
          if (data[1] == 250) {
            accepted++;
          }
        }
      }
      smtp.quit();
    }
    return accepted;
  }

  private static int fileCount(Map<String, List<String>> landed) {
    return landed.values().stream().mapToInt(List::size).sum();
  }

  /** Token → the first line (X-Sympa-To) of every spool file holding it. */
  private static Map<String, List<String>> landedMessages(String run) {
    String dump =
        appliance.execOk(
            "cd "
                + ToolsApplianceContainer.MSG_SPOOL
                + " && for f in *; do "
                + "[ -f \"$f\" ] || continue; case \"$f\" in T.*) continue;; esac; "
                + "t=$(grep -o 'token="
                + run
                + "-[0-9]*;' \"$f\") || continue; printf '%s\\t%s\\n' \"$t\" \"$(head -n 1 \"$f\")\"; done");
    Map<String, List<String>> landed = new HashMap<>();
    for (String line : dump.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        String token = line.substring("token=".length(), tab - 1);
        landed.computeIfAbsent(token, k -> new ArrayList<>()).add(line.substring(tab + 1));
      }
    }
    return landed;
  }
}
