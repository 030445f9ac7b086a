package dev.sympaappliance.e2e.support;

import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import dev.sympaappliance.testcontainers.SympaApplianceContainer;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The kit's list server ({@link SympaApplianceContainer}) with what only these tests need: the
 * example's host name, a test DNS server, a browser, raw SMTP dialogues, secret searches. Its
 * {@code with…} methods return this type, so that chains keep it.
 */
public final class SympaListServerContainer extends SympaApplianceContainer {
  /**
   * A server of {@code image} as "sympa" on the network of {@code sink}, its relay host, started
   * after it.
   */
  public static SympaListServerContainer relayingTo(DockerImageName image, SmtpSinkContainer sink) {
    return new SympaListServerContainer(image)
        .withNetwork(sink.getNetwork())
        .withNetworkAliases("sympa")
        .dependsOn(sink);
  }

  public SympaListServerContainer(DockerImageName image) {
    super(image);
    withCreateContainerCmdModifier(cmd -> cmd.withHostName(ListServerImages.HOSTNAME));
  }

  /** This server resolves names that are not containers' through {@code dns} (started first). */
  public SympaListServerContainer resolvingThrough(DnsServerContainer dns) {
    dependsOn(dns);
    return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withDns(dns.address()));
  }

  @Override
  public SympaListServerContainer withNetwork(Network network) {
    super.withNetwork(network);
    return this;
  }

  @Override
  public SympaListServerContainer withNetworkAliases(String... aliases) {
    super.withNetworkAliases(aliases);
    return this;
  }

  @Override
  public SympaListServerContainer dependsOn(Startable... startables) {
    super.dependsOn(startables);
    return this;
  }

  @Override
  public SympaListServerContainer withCreateContainerCmdModifier(
      Consumer<com.github.dockerjava.api.command.CreateContainerCmd> modifier) {
    super.withCreateContainerCmdModifier(modifier);
    return this;
  }

  @Override
  public SympaListServerContainer withCopyFileToContainer(MountableFile file, String path) {
    super.withCopyFileToContainer(file, path);
    return this;
  }

  @Override
  public SympaListServerContainer withEnv(String key, String value) {
    super.withEnv(key, value);
    return this;
  }

  @Override
  public SympaListServerContainer withSecretFile(String path, String content, int mode) {
    super.withSecretFile(path, content, mode);
    return this;
  }

  @Override
  public SympaListServerContainer withVolumes(String queue, String spools, String data) {
    super.withVolumes(queue, spools, data);
    return this;
  }

  /**
   * A real browser that reaches this server's web interface by its public name (the list domain).
   */
  public WebBrowser browser(String scenario) {
    return new WebBrowser(ListServerImages.DOMAIN, getWebPort(), scenario);
  }

  /**
   * An HTTP/1.0 request to the published web port exactly as given (request line and headers,
   * CRLF-separated, then the body): for the headers java.net.http will not send, such as a forged
   * {@code Host}. Returns the whole response, status line first.
   */
  public String rawHttp(String method, String path, List<String> headers, String body)
      throws IOException {
    byte[] content = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.0\r\n");
    headers.forEach(header -> request.append(header).append("\r\n"));
    if (content.length > 0) {
      request.append("Content-Length: ").append(content.length).append("\r\n");
    }
    request.append("\r\n");
    try (java.net.Socket socket = new java.net.Socket(getHost(), getWebPort())) {
      socket.setSoTimeout(60_000);
      socket
          .getOutputStream()
          .write(request.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(content);
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Sympa's secret `cookie` as this container's sympa.conf has it. */
  public String cookieSecret() {
    return shell("sed -n 's/^cookie[[:space:]]*//p' /etc/sympa/sympa/sympa.conf").strip();
  }

  /**
   * Sends over SMTP through the published port, as a peer MTA would; returns the end-of-data reply.
   */
  public int sendOverSmtp(String from, String to, String... messageLines) throws IOException {
    return send(from, to, String.join("\r\n", messageLines) + "\r\n");
  }

  /**
   * A delivery status notification for {@code failed} to LIST-owner@, as a remote MTA sends one
   * (envelope sender {@code <>}); returns the end-of-data reply.
   */
  public int sendDeliveryStatusNotification(String list, String failed) throws IOException {
    return sendDeliveryStatusNotificationTo(list + "-owner@" + ListServerImages.DOMAIN, failed);
  }

  /**
   * A delivery status notification for {@code failed} to {@code to} (a list's return path, or a
   * copy's own VERP return path), as a remote MTA sends one; returns the end-of-data reply.
   */
  public int sendDeliveryStatusNotificationTo(String to, String failed) throws IOException {
    String boundary = "dsn-" + java.util.UUID.randomUUID();
    return sendOverSmtp(
        "",
        to,
        "From: MAILER-DAEMON@mx.example.net",
        "To: " + to,
        "Subject: Undelivered Mail Returned to Sender",
        "Message-ID: <" + boundary + "@mx.example.net>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\""
            + boundary
            + "\"",
        "",
        "--" + boundary,
        "Content-Type: text/plain",
        "",
        "The mail to " + failed + " could not be delivered.",
        "",
        "--" + boundary,
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.net",
        "",
        "Final-Recipient: rfc822; " + failed,
        "Original-Recipient: rfc822;" + failed,
        "Action: failed",
        "Status: 5.1.1",
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown",
        "",
        "--" + boundary + "--");
  }

  /**
   * Where {@code secret} is in this container: the files under {@code paths} that hold it (searched
   * recursively; devices, FIFOs and sockets skipped), and the processes whose environment or
   * command line holds it ({@code /proc/PID/environ}, {@code /proc/PID/cmdline}). grep reads the
   * secret from a file, so that the search's own command line does not hold it. Fails when a path
   * cannot be searched (grep's status 2), so that "nowhere" is never a read error.
   */
  public List<String> placesHolding(String secret, String... paths) {
    String needle = "/tmp/.needle-" + java.util.UUID.randomUUID();
    copyFileToContainer(
        org.testcontainers.images.builder.Transferable.of(
            secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0600),
        needle);
    try {
      String out =
          shell(
              "grep -rlF -D skip -f "
                  + needle
                  + " -- "
                  + java.util.Arrays.stream(paths)
                      .map(Shell::quote)
                      .collect(java.util.stream.Collectors.joining(" "))
                  + "; status=$?; [ $status -le 1 ] || exit $status"
                  + "; for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do"
                  + " tr '\\000' '\\n' < \"$f\" 2>/dev/null | grep -qF -f "
                  + needle
                  + " && echo \"$f\"; done; exit 0");
      return out.lines().filter(line -> !line.isBlank()).toList();
    } finally {
      shell("rm -f " + needle);
    }
  }
}
