package dev.sympaappliance.e2e;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The full flavour (Postfix + Sympa's daemons under s6) as a Testcontainers service that speaks
 * mailing lists: post, create lists, read members from Sympa's database. Ready means the image's
 * own HEALTHCHECK passes (port 25, every daemon, sympa.pl --health_check).
 */
final class SympaListServerContainer extends ShellContainer<SympaListServerContainer> {
  static final int SMTP_PORT = 25;
  static final int HTTP_PORT = 80;
  static final String SYMPA_PL = "/usr/lib/sympa/bin/sympa.pl";
  static final String DATABASE = dev.sympaappliance.builder.spec.Database.SQLITE_FILE;

  /** A server of {@code image} as "sympa" on the network of {@code sink}, its relay host, started after it. */
  static SympaListServerContainer relayingTo(DockerImageName image, SmtpSinkContainer sink) {
    return new SympaListServerContainer(image).withNetwork(sink.getNetwork()).withNetworkAliases("sympa")
        .dependsOn(sink);
  }

  /** This server resolves names that are not containers' through {@code dns} (started first). */
  SympaListServerContainer resolvingThrough(DnsServerContainer dns) {
    dependsOn(dns);
    return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withDns(dns.address()));
  }

  /** A secret mounted at {@code path} the way Docker mounts one: {@code firstLine} and a newline, {@code mode}. */
  SympaListServerContainer withSecretFile(String path, String firstLine, int mode) {
    return withCopyToContainer(Transferable.of((firstLine + "\n").getBytes(StandardCharsets.UTF_8), mode), path);
  }

  /**
   * Binds of named volumes for Sympa's spools, /var/lib/sympa and, unless {@code queue} is null
   * (each container its own), Postfix's queue.
   */
  static Bind[] volumeBinds(String queue, String spools, String data) {
    List<Bind> binds = new ArrayList<>();
    if (queue != null) {
      binds.add(new Bind(queue, new Volume("/var/spool/postfix")));
    }
    binds.add(new Bind(spools, new Volume("/var/spool/sympa")));
    binds.add(new Bind(data, new Volume("/var/lib/sympa")));
    return binds.toArray(Bind[]::new);
  }

  /** This server on named volumes: see {@link #volumeBinds}. */
  SympaListServerContainer onVolumes(String queue, String spools, String data) {
    return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(volumeBinds(queue, spools, data)));
  }

  /** What `docker exec CONTAINER sympa-appliance-dns` prints: the records to publish. */
  String dnsRecords() {
    return execOk("sympa-appliance-dns");
  }

  SympaListServerContainer(DockerImageName image) {
    super(image);
    withExposedPorts(SMTP_PORT, HTTP_PORT);
    withCreateContainerCmdModifier(cmd -> cmd.withHostName(ListServerImages.HOSTNAME));
    waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
  }

  int smtpPort() {
    return getMappedPort(SMTP_PORT);
  }

  /** Where Docker published the web interface (port 80) on 127.0.0.1. */
  int webPort() {
    return getMappedPort(HTTP_PORT);
  }

  /** A real browser that reaches this server's web interface by its public name (the list domain). */
  WebBrowser browser(String scenario) {
    return new WebBrowser(ListServerImages.DOMAIN, webPort(), scenario);
  }

  /** The status line of a plain HTTP/1.0 GET of {@code path}, as a client without cookies gets it. */
  String httpStatus(String path) throws IOException {
    try (java.net.Socket socket = new java.net.Socket(getHost(), webPort())) {
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + ListServerImages.DOMAIN + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
    }
  }

  /**
   * The status line of a plain HTTP/1.0 POST of a form body to {@code path}, as a mailbox
   * provider's one-click request comes: no cookie, no login.
   */
  String httpPost(String path, String formBody) throws IOException {
    byte[] body = formBody.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (java.net.Socket socket = new java.net.Socket(getHost(), webPort())) {
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(("POST " + path + " HTTP/1.0\r\nHost: " + ListServerImages.DOMAIN
          + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
    }
  }

  /** Sympa's secret `cookie` as this container's sympa.conf has it. */
  String cookieSecret() {
    return execOk("sed -n 's/^cookie[[:space:]]*//p' /etc/sympa/sympa/sympa.conf").strip();
  }

  /** Submits a message inside the container with sendmail (envelope sender {@code from}). */
  void submit(String from, String to, String subject, String body) {
    String message = "From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\n\n" + body + "\n";
    execOk("printf '%s' " + Shell.quote(message) + " | sendmail -f " + Shell.quote(from) + " " + Shell.quote(to));
  }

  /** Sends over SMTP through the published port, as a peer MTA would; returns the end-of-data reply. */
  int sendOverSmtp(String from, String to, String... messageLines) throws IOException {
    try (SmtpSession smtp = new SmtpSession(getHost(), smtpPort())) {
      smtp.helo("client.example.net");
      if (smtp.mailFrom(from) != 250 || smtp.rcptTo(to) != 250) {
        throw new IllegalStateException("SMTP refused " + from + " -> " + to + ": " + smtp.lastReply());
      }
      int[] data = smtp.data(messageLines);
      smtp.quit();
      return data[1];
    }
  }

  /**
   * A delivery status notification for {@code failed} to LIST-owner@, as a remote MTA sends one
   * (envelope sender {@code <>}); returns the end-of-data reply.
   */
  int sendDeliveryStatusNotification(String list, String failed) throws IOException {
    String boundary = "dsn-" + java.util.UUID.randomUUID();
    String owner = list + "-owner@" + ListServerImages.DOMAIN;
    try (SmtpSession smtp = new SmtpSession(getHost(), smtpPort())) {
      smtp.helo("mx.example.net");
      if (smtp.mailFrom("") != 250 || smtp.rcptTo(owner) != 250) {
        throw new IllegalStateException("SMTP refused <> -> " + owner + ": " + smtp.lastReply());
      }
      return smtp.data(
          "From: MAILER-DAEMON@mx.example.net", "To: " + owner,
          "Subject: Undelivered Mail Returned to Sender", "Message-ID: <" + boundary + "@mx.example.net>",
          "MIME-Version: 1.0",
          "Content-Type: multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"", "",
          "--" + boundary, "Content-Type: text/plain", "", "The mail to " + failed + " could not be delivered.", "",
          "--" + boundary, "Content-Type: message/delivery-status", "",
          "Reporting-MTA: dns; mx.example.net", "",
          "Final-Recipient: rfc822; " + failed, "Original-Recipient: rfc822;" + failed,
          "Action: failed", "Status: 5.1.1", "Diagnostic-Code: smtp; 550 5.1.1 user unknown", "",
          "--" + boundary + "--")[1];
    }
  }

  /**
   * The files of LIST's archive (raw and HTML) that hold {@code token}: none while archived.pl has
   * not yet made the list's archive directory (its first post); fails when the archive cannot be read.
   */
  List<String> archivedFilesContaining(String list, String token) {
    String archive = "/var/lib/sympa/arc/" + list + "@" + ListServerImages.DOMAIN;
    String out = execOk("[ -e " + archive + " ] || exit 0; grep -rlF -e " + Shell.quote(token) + " " + archive
        + "; status=$?; [ $status -eq 1 ] && exit 0; exit $status");
    return out.lines().filter(line -> !line.isBlank()).toList();
  }

  /**
   * {@code sympa.pl ARGS} as the entrypoint runs it; its output without the missing-syslog warning
   * and Sympa 6.2.76's warnings about its own option list.
   */
  String sympa(String args) {
    return execOk(SYMPA_PL + " " + args + " 2>&1 | grep -v -e '^setlogsock(): ' -e '^Duplicate specification \"' || true");
  }

  /** Creates a list inside the running server, as a list owner would with Sympa's tools. */
  void createList(String name, String type, String owner, String... editors) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><list><listname>")
        .append(name).append("</listname><type>").append(type).append("</type><subject>").append(name)
        .append("</subject><description>").append(name).append("</description><status>open</status>")
        .append("<topics>other</topics><owner multiple=\"1\"><email>").append(owner).append("</email></owner>");
    for (String editor : editors) {
      xml.append("<editor multiple=\"1\"><email>").append(editor).append("</email></editor>");
    }
    xml.append("</list>");
    execOk("printf '%s' " + Shell.quote(xml.toString()) + " > /tmp/" + name + ".xml");
    String out = sympa("--create_list --robot " + ListServerImages.DOMAIN + " --input_file /tmp/" + name + ".xml");
    if (exec("test -f /var/lib/sympa/list_data/" + name + "/config").getExitCode() != 0) {
      throw new IllegalStateException("list " + name + " was not created: " + out);
    }
  }

  void addSubscribers(String list, String... addresses) {
    execOk("printf '%s\\n' " + String.join(" ", Arrays.stream(addresses).map(Shell::quote).toList())
        + " | " + SYMPA_PL + " add --quiet " + Shell.quote(list + "@" + ListServerImages.DOMAIN) + " 2>&1");
  }

  /** The members of {@code list}, from Sympa's own database. */
  List<String> subscribers(String list) {
    return rows("select user_subscriber from subscriber_table where list_subscriber = '" + list
        + "' order by user_subscriber");
  }

  /**
   * Sympa's spools of work in progress: incoming posts and commands, the outgoing (bulk) spool,
   * bounces, automatic lists. Not the moderation, digest or task spools, which hold state.
   */
  private static final String SYMPA_WORK = "find /var/spool/sympa/msg /var/spool/sympa/bulk /var/spool/sympa/bounce"
      + " /var/spool/sympa/automatic -type f ! -path '*/bad/*'";

  /** Waits until Sympa's spools hold nothing in progress; fails after {@code deadline}. */
  void awaitSympaIdle(Duration deadline) throws InterruptedException {
    String left = Poll.until(() -> execOk(SYMPA_WORK), String::isBlank, deadline, Duration.ofMillis(250));
    if (!left.isBlank()) {
      throw new AssertionError("Sympa's spools still hold work after " + deadline + ": " + left);
    }
  }

  /**
   * Waits until the whole appliance is idle: Sympa's spools of work in progress and Postfix's
   * queue empty, on two probes half a second apart (a copy handed from one to the other between
   * them shows in one probe); fails after {@code deadline}. A check that something did not arrive
   * comes after this, never after a fixed sleep.
   */
  void awaitIdle(Duration deadline) throws InterruptedException {
    java.util.function.Supplier<String> work = () -> execOk(SYMPA_WORK) + String.join("\n", queuedMessages());
    String left = Poll.until(() -> {
      String first = work.get();
      if (!first.isBlank()) {
        return first;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return work.get();
    }, String::isBlank, deadline, Duration.ofMillis(250));
    if (!left.isBlank()) {
      throw new AssertionError("the appliance is not idle after " + deadline + ": " + left);
    }
  }

  /** Rows of a query on Sympa's SQLite database, one string per row ('|' between columns). */
  List<String> rows(String sql) {
    // Sympa writes to the database while the tests read: wait for its locks instead of failing.
    String out = execOk("sqlite3 -cmd '.timeout 10000' " + DATABASE + " " + Shell.quote(sql));
    List<String> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        rows.add(line.strip());
      }
    }
    return rows;
  }
}
