package dev.sympaappliance.e2e.support;

import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.util.List;
import org.testcontainers.containers.Network;

/** The kit's sink as these tests use it: the relay host "sink" of the images under test. */
public final class Sinks {
  private Sinks() {}

  /**
   * The sink as the relay host "sink" on {@code network}: what the images under test send through.
   */
  public static SmtpSinkContainer relayHostOn(Network network) {
    return new SmtpSinkContainer().withNetwork(network).withNetworkAliases("sink");
  }

  /**
   * The distributed copies of the post whose Subject is {@code subject}: they carry a List-Id, the
   * notices that quote the post (to its sender, to the moderators) do not.
   */
  public static List<ReceivedMessage> distributedCopies(SmtpSinkContainer sink, String subject) {
    return sink.messagesContaining(subject).stream()
        .filter(m -> m.subject().equals(subject) && m.header("List-Id").isPresent())
        .toList();
  }
}
