package dev.sympaappliance.testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The sink role: Postfix's smtp-sink on port 25, keeping every message it is given (envelope first)
 * as a file under {@code /sink} and answering 250 to all of it. Stands for the relay host (or the
 * whole Internet) of the appliance under test: what leaves the appliance lands here.
 *
 * <pre>{@code
 * SmtpSinkContainer sink = new SmtpSinkContainer();
 * SympaApplianceContainer lists = SympaApplianceContainer.fromSpec(Path.of("lists.yaml")).withSink(sink);
 * }</pre>
 */
public class SmtpSinkContainer
    extends org.testcontainers.containers.GenericContainer<SmtpSinkContainer> {
  /** The port smtp-sink listens on. */
  public static final int SMTP_PORT = 25;

  /** Where the sink keeps the messages, one file each. */
  public static final String SINK_DIRECTORY = "/sink";

  /** The sink image built from the builder's sink role ({@link SympaApplianceImages#sink()}). */
  public SmtpSinkContainer() {
    this(SympaApplianceImages.sink());
  }

  /**
   * A sink of an image of the builder's sink role.
   *
   * @param image an image built with {@code builder image --role sink}
   */
  public SmtpSinkContainer(DockerImageName image) {
    super(image);
    withExposedPorts(SMTP_PORT);
    waitingFor(
        new WaitAllStrategy()
            .withStrategy(Wait.forLogMessage(".*keeps every message under /sink.*\\n", 1))
            .withStrategy(Wait.forListeningPort())
            .withStartupTimeout(Duration.ofSeconds(60)));
  }

  /**
   * Makes the sink wait before it answers each DATA command ({@code smtp-sink -w}), as a slow relay
   * host does: a delivery to it stays open that long, with nothing kept yet.
   *
   * @param delay how long, in whole seconds
   * @return this container
   */
  public SmtpSinkContainer withDataReplyDelay(Duration delay) {
    return withEnv("SINK_DATA_DELAY", Long.toString(delay.toSeconds()));
  }

  /**
   * The messages kept so far that contain {@code token} anywhere (envelope, headers or raw body): a
   * Message-ID, an address, or a word of the subject. Fails when {@code /sink} cannot be read, so
   * that "no message" is never a read error.
   *
   * @param token the text to look for, taken literally
   * @return the messages, one per copy (each file the sink kept); empty when none matches
   */
  public List<ReceivedMessage> messagesContaining(String token) {
    // One exec for all: each matching file as one line of base64, so that every byte is kept.
    String out =
        Shell.execOk(
            this,
            filesContaining(token)
                + "; [ -z \"$files\" ] || printf '%s\\n' \"$files\""
                + " | while IFS= read -r f; do base64 -w0 -- \"$f\" && echo"
                + " || exit 2; done");
    List<ReceivedMessage> messages = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        messages.add(ReceivedMessage.parse(Base64.getDecoder().decode(line.strip())));
      }
    }
    return messages;
  }

  /**
   * Shell that sets {@code files} to the names of the kept messages containing {@code token}, one
   * per line (empty when none does), and exits 2 when {@code /sink} cannot be read.
   */
  static String filesContaining(String token) {
    return "[ -d "
        + SINK_DIRECTORY
        + " ] && [ -r "
        + SINK_DIRECTORY
        + " ] && [ -x "
        + SINK_DIRECTORY
        + " ] || { echo "
        + SINK_DIRECTORY
        + " is not a readable directory >&2; exit 2; }; files=$(grep -rlF -e "
        + Shell.quote(token)
        + " "
        + SINK_DIRECTORY
        + "); status=$?; [ $status -le 1 ] || exit $status";
  }

  /**
   * Waits until at least {@code copies} copies containing {@code token} are kept (a copy with two
   * envelope recipients counts twice). Fails when the deadline passes first.
   *
   * @param token the text to look for
   * @param copies how many envelope recipients to wait for
   * @param deadline how long to wait
   * @return the messages containing the token at that moment
   * @throws org.awaitility.core.ConditionTimeoutException when fewer arrived in time
   */
  public List<ReceivedMessage> awaitMessagesContaining(
      String token, int copies, Duration deadline) {
    return Awaitility.await("at least " + copies + " copies containing '" + token + "' at the sink")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(250))
        .pollInSameThread()
        .until(() -> messagesContaining(token), found -> recipientsOf(found).size() >= copies);
  }

  /**
   * Waits until at least {@code copies} copies containing {@code token} are kept; fails when the
   * deadline passes first.
   *
   * @param token the text to look for
   * @param copies how many envelope recipients to wait for
   * @param deadline how long to wait
   * @return the envelope recipients of the messages containing the token at that moment, one per
   *     copy
   * @throws org.awaitility.core.ConditionTimeoutException when fewer arrived in time
   */
  public List<String> awaitRecipients(String token, int copies, Duration deadline) {
    return recipientsOf(awaitMessagesContaining(token, copies, deadline));
  }

  /**
   * The envelope recipients of the messages containing {@code token}, one entry per copy: a member
   * listed twice got the message twice.
   *
   * @param token the text to look for
   * @return the recipients
   */
  public List<String> recipientsOf(String token) {
    return recipientsOf(messagesContaining(token));
  }

  /**
   * The envelope recipients of {@code messages}, one entry per copy.
   *
   * @param messages kept messages
   * @return their recipients, in order
   */
  public static List<String> recipientsOf(List<ReceivedMessage> messages) {
    return messages.stream().flatMap(m -> m.recipients().stream()).toList();
  }

  /**
   * The first link starting with {@code prefix} in a message the sink kept for {@code recipient}:
   * the confirmation link of a subscription, the first-login link of a new owner. Waits for it;
   * fails when the deadline passes first.
   *
   * @param recipient the envelope recipient of the mail with the link
   * @param prefix the start of the link, such as {@code http://lists.example.org/sympa/ticket/}
   * @param deadline how long to wait
   * @return the link
   * @throws org.awaitility.core.ConditionTimeoutException when no such mail arrived in time
   */
  public String awaitLink(String recipient, String prefix, Duration deadline) {
    return Awaitility.await("a mail to " + recipient + " with a link " + prefix + "… at the sink")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(250))
        .pollInSameThread()
        .until(() -> linkTo(messagesContaining(recipient), recipient, prefix), Optional::isPresent)
        .orElseThrow();
  }

  /**
   * The first link starting with {@code prefix} in those of {@code messages} that were sent to
   * {@code recipient}.
   *
   * @param messages kept messages
   * @param recipient an envelope recipient
   * @param prefix the start of the link
   * @return the link, or empty when there is none
   */
  public static Optional<String> linkTo(
      List<ReceivedMessage> messages, String recipient, String prefix) {
    return messages.stream()
        .filter(m -> m.recipients().contains(recipient))
        .flatMap(m -> m.links(prefix).stream())
        .findFirst();
  }

  /**
   * The SMTP port Docker published for the sink, for a test that sends to it directly.
   *
   * @return the port on {@link #getHost()}
   */
  public int getSmtpPort() {
    return getMappedPort(SMTP_PORT);
  }
}
