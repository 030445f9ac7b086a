package dev.sympaappliance.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.DockerImageName;

/** The sink role: Postfix's smtp-sink keeping each message, envelope first, as a file under /sink. */
final class SmtpSinkContainer extends ShellContainer<SmtpSinkContainer> {
  /** The sink image as the relay host "sink" on {@code network}: what the images under test send through. */
  static SmtpSinkContainer relayHostOn(org.testcontainers.containers.Network network) {
    return new SmtpSinkContainer(ApplianceImages.sink()).withNetwork(network).withNetworkAliases("sink");
  }

  SmtpSinkContainer(DockerImageName image) {
    super(image);
    withExposedPorts(25);
    waitingFor(new WaitAllStrategy()
        .withStrategy(Wait.forLogMessage(".*keeps every message under /sink.*\\n", 1))
        .withStrategy(Wait.forListeningPort())
        .withStartupTimeout(Duration.ofSeconds(60)));
  }

  static final String SINK = "/sink";

  /**
   * Contents of the kept messages that contain {@code token}; empty when none matches. Fails when
   * /sink cannot be read (grep's status 2), so that "no message" is never a read error.
   */
  List<String> messagesContaining(String token) {
    String names = execOk(filesContaining(token) + "; printf '%s\\n' \"$files\"");
    List<String> messages = new ArrayList<>();
    for (String name : names.split("\n")) {
      if (!name.isBlank()) {
        messages.add(execOk("cat -- " + Shell.quote(name)));
      }
    }
    return messages;
  }

  /**
   * Shell that sets {@code files} to the names of the kept messages containing {@code token}, one
   * per line (empty when none does), and exits 2 when /sink cannot be read (grep's status 2), so
   * that "no message" is never a read error.
   */
  private static String filesContaining(String token) {
    return "[ -d " + SINK + " ] && [ -r " + SINK + " ] && [ -x " + SINK + " ] || { echo " + SINK
        + " is not a readable directory >&2; exit 2; }; files=$(grep -rlF -e " + Shell.quote(token) + " " + SINK
        + "); status=$?; [ $status -le 1 ] || exit $status";
  }

  List<String> awaitMessagesContaining(String token, Duration deadline) throws InterruptedException {
    return Poll.until(() -> messagesContaining(token), found -> !found.isEmpty(), deadline, Duration.ofMillis(200));
  }

  /**
   * The envelope recipients (X-Rcpt-Args) of every kept message that contains {@code token}, one
   * entry per copy: a recipient listed twice got the message twice.
   */
  List<String> recipientsOfMessagesContaining(String token) {
    String out = execOk(filesContaining(token) + "; [ -z \"$files\" ] || printf '%s\\n' \"$files\""
        + " | xargs -d '\\n' grep -h '^X-Rcpt-Args: '");
    List<String> recipients = new ArrayList<>();
    for (String line : out.split("\n")) {
      KeptMessage.recipient(line).ifPresent(recipients::add);
    }
    return recipients;
  }

  /** Polls until at least {@code count} copies containing {@code token} are kept; returns their recipients. */
  List<String> awaitRecipients(String token, int count, Duration deadline) throws InterruptedException {
    return Poll.until(() -> recipientsOfMessagesContaining(token), found -> found.size() >= count, deadline,
        Duration.ofMillis(250));
  }

  /**
   * The distributed copies of the post whose Subject is {@code subject}: they carry a List-Id, the
   * notices that quote the post (to its sender, to the moderators) do not.
   */
  List<KeptMessage> distributedCopies(String subject) {
    return KeptMessage.of(messagesContaining(subject)).stream()
        .filter(m -> m.header("Subject").orElse("").equals(subject) && m.header("List-Id").isPresent()).toList();
  }

  /** The first link starting with {@code prefix} in a mail to {@code address}. */
  String awaitLink(String address, String prefix, Duration deadline) throws InterruptedException {
    String found = Poll.until(() -> KeptMessage.linkTo(KeptMessage.of(messagesContaining(address)), address, prefix)
        .orElse(null), f -> f != null, deadline, Duration.ofMillis(250));
    if (found == null) {
      throw new AssertionError("no mail to " + address + " with a link " + prefix + "… at the sink");
    }
    return found;
  }
}
