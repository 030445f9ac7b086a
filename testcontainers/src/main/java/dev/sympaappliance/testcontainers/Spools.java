package dev.sympaappliance.testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The appliance's work in progress, for {@link SympaApplianceContainer}: Sympa's spools and
 * Postfix's queue ({@code postqueue -j}), and waiting until they are empty.
 */
final class Spools {
  /**
   * Sympa's spools of work in progress: incoming posts and commands, the outgoing (bulk) spool,
   * bounces, automatic lists. Not the moderation, digest or task spools, which hold state.
   */
  private static final String SYMPA_WORK =
      "find /var/spool/sympa/msg /var/spool/sympa/bulk /var/spool/sympa/bounce"
          + " /var/spool/sympa/automatic -type f ! -path '*/bad/*'";

  private static final Pattern QUEUE_ID = Pattern.compile("\"queue_id\": *\"([^\"]+)\"");
  private static final Pattern DEFERRED_RECIPIENT =
      Pattern.compile("\"address\": *\"([^\"]*)\"(?:, *\"delay_reason\": *\"([^\"]*)\")?");
  private static final Pattern QUEUED_RECIPIENT = Pattern.compile("\"address\": *\"([^\"]*)\"");

  private Spools() {}

  static void awaitIdle(ApplianceShellContainer server, Duration deadline) {
    Awaitility.await("the appliance idle (Sympa's spools and Postfix's queue empty)")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(250))
        .pollInSameThread()
        .until(
            () -> {
              if (!workInProgress(server).isBlank()) {
                return false;
              }
              Thread.sleep(500);
              return workInProgress(server).isBlank();
            });
  }

  static void awaitSympaIdle(ApplianceShellContainer server, Duration deadline) {
    Awaitility.await("Sympa's spools empty")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(250))
        .pollInSameThread()
        .until(() -> server.shell(SYMPA_WORK).isBlank());
  }

  private static String workInProgress(ApplianceShellContainer server) {
    return server.shell(SYMPA_WORK) + String.join("\n", server.queuedMessages());
  }

  static List<String> queueIds(String postqueueJson) {
    return firstGroups(QUEUE_ID, postqueueJson);
  }

  static List<String> queuedRecipients(String postqueueJson) {
    return firstGroups(QUEUED_RECIPIENT, postqueueJson);
  }

  static List<String> deferredRecipients(String postqueueJson) {
    List<String> deferred = new ArrayList<>();
    Matcher recipient = DEFERRED_RECIPIENT.matcher("");
    for (String message : postqueueJson.split("\n")) {
      if (message.contains("\"queue_name\": \"deferred\"")) {
        recipient.reset(message);
        while (recipient.find()) {
          deferred.add(recipient.group(1) + ": " + recipient.group(2));
        }
      }
    }
    return deferred;
  }

  /** The first group of each match of {@code pattern} in {@code text}, in order. */
  private static List<String> firstGroups(Pattern pattern, String text) {
    Matcher match = pattern.matcher(text);
    List<String> groups = new ArrayList<>();
    while (match.find()) {
      groups.add(match.group(1));
    }
    return groups;
  }
}
