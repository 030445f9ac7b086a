package dev.sympaappliance.e2e.support;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Sympa's mail commands as a member sends them: to sympa@ of the list domain, over SMTP. */
public final class MailCommands {
  private MailCommands() {}

  /** The confirmation requests ("AUTH KEY SUB LIST ...") Sympa has sent to {@code address}. */
  public static List<ReceivedMessage> confirmationRequests(SmtpSinkContainer sink, String address) {
    return (sink.messagesContaining(address))
        .stream()
            .filter(
                m ->
                    m.recipients().contains(address)
                        && m.header("Subject").orElse("").matches("AUTH [0-9a-f]+ (ADD|SUB)\\b.*"))
            .toList();
  }

  /**
   * `subscribe LIST` from {@code address}, then the reply to Sympa's confirmation request: how a
   * server without the web interface (--no-web) confirms.
   */
  public static void subscribeByMailReplying(
      SympaListServerContainer server,
      SmtpSinkContainer sink,
      String list,
      String address,
      Duration deadline)
      throws Exception {
    command(server, address, "subscribe " + list);
    List<ReceivedMessage> requests =
        Poll.until(
            () -> confirmationRequests(sink, address),
            r -> !r.isEmpty(),
            deadline,
            Duration.ofMillis(250));
    assertThat(requests).as("confirmation request to " + address).hasSize(1);
    assertThat(server.members(list)).as("not a member before confirming").doesNotContain(address);
    command(server, address, "Re: " + requests.get(0).header("Subject").orElseThrow());
    awaitMember(server, list, address, deadline);
  }

  /**
   * `subscribe LIST` from {@code address}, then the link of Sympa's confirmation request opened and
   * confirmed in a browser: how a server with the web interface (the default) confirms.
   */
  public static void subscribeByMailFollowingTheLink(
      SympaListServerContainer server,
      SmtpSinkContainer sink,
      String list,
      String address,
      Duration deadline)
      throws Exception {
    subscribeByMailFollowingTheLink(
        server, sink, list, address, deadline, "http://" + DOMAIN, server::browser);
  }

  /**
   * The same for a site whose public address starts with {@code site} (e.g. https://DOMAIN behind a
   * proxy), opened with a browser of {@code browsers} (given a scenario name).
   */
  public static void subscribeByMailFollowingTheLink(
      SympaListServerContainer server,
      SmtpSinkContainer sink,
      String list,
      String address,
      Duration deadline,
      String site,
      Function<String, WebBrowser> browsers)
      throws Exception {
    command(server, address, "subscribe " + list);
    String link = sink.awaitLink(address, site + "/sympa/auth/", deadline);
    assertThat(confirmationRequests(sink, address)).as("no AUTH command to reply to").isEmpty();
    assertThat(server.members(list)).as("not a member before confirming").doesNotContain(address);
    try (WebBrowser browser = browsers.apply("subscribe-by-mail-" + list + "-" + address)) {
      browser.open(link).confirmIfAsked();
      browser.shot("confirmed");
    }
    awaitMember(server, list, address, deadline);
  }

  private static void awaitMember(
      SympaListServerContainer server, String list, String address, Duration deadline)
      throws InterruptedException {
    assertThat(
            Poll.until(
                () -> server.members(list),
                members -> members.contains(address),
                deadline,
                Duration.ofMillis(250)))
        .contains(address);
  }

  /** A message to sympa@ whose subject is the command. */
  public static void command(SympaListServerContainer server, String from, String subject)
      throws Exception {
    server.sendOverSmtp(
        from,
        "sympa@" + DOMAIN,
        "From: " + from,
        "To: sympa@" + DOMAIN,
        "Subject: " + subject,
        "",
        "");
  }
}
