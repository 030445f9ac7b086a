package dev.sympaappliance.testcontainers;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.SmtpDestination;
import dev.sympaappliance.builder.spec.WebInterface;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A list server of the appliance's full flavour (Postfix, Sympa's daemons, WWSympa behind nginx) as
 * a Testcontainers container. Ready means the image's own health check passes: port 25 answers,
 * every daemon runs and {@code sympa.pl --health_check} succeeds.
 *
 * <pre>{@code
 * SmtpSinkContainer sink = new SmtpSinkContainer();
 * SympaApplianceContainer lists = SympaApplianceContainer.fromSpec(Path.of("lists.yaml")).withSink(sink);
 * lists.start();
 * String id = lists.post("alice@example.org", "team@lists.example.org", "Hello", "Hi all");
 * List<ReceivedMessage> copies = lists.awaitCopies(id, 3, Duration.ofMinutes(2));
 * }</pre>
 */
public class SympaApplianceContainer extends ApplianceShellContainer {
  /** The SMTP port inside the container. */
  public static final int SMTP_PORT = 25;

  /** The web interface's port inside the container (nginx). */
  public static final int HTTP_PORT = 80;

  /** Sympa's command-line tool inside the image. */
  public static final String SYMPA_PL = "/usr/lib/sympa/bin/sympa.pl";

  /** Sympa's SQLite database inside the image (when the spec chose SQLite, the default). */
  public static final String SQLITE_DATABASE = dev.sympaappliance.builder.spec.Database.SQLITE_FILE;

  /**
   * The relay host name an image built elsewhere is assumed to send through (the examples' "sink").
   */
  public static final String DEFAULT_RELAY_HOST = "sink";

  private final Optional<ApplianceSpec> spec;
  private SmtpSinkContainer sink;

  /**
   * A list server of an image built with {@code builder image} (the full flavour).
   *
   * @param image the image's name
   */
  public SympaApplianceContainer(DockerImageName image) {
    this(image, Optional.empty());
  }

  /**
   * A list server of an image built with {@code builder image} (the full flavour).
   *
   * @param image the image's reference, such as {@code lists.example.org:latest}
   */
  public SympaApplianceContainer(String image) {
    this(DockerImageName.parse(image));
  }

  private SympaApplianceContainer(DockerImageName image, Optional<ApplianceSpec> spec) {
    super(image, spec.map(s -> s.domain().toString()).orElse(null));
    this.spec = spec;
    spec.ifPresent(
        s -> withCreateContainerCmdModifier(cmd -> cmd.withHostName(s.hostname().toString())));
    withExposedPorts(SMTP_PORT, HTTP_PORT);
    waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
  }

  /**
   * A list server built from a spec file through the builder's Java API, the way {@code builder
   * image --spec FILE} builds it (once per JVM; the Debian base is cached). The image is tagged
   * {@code sympa-appliance-test/DOMAIN:HASH}, HASH from the file's bytes.
   *
   * @param specFile the spec file, such as {@code examples/lists.yaml}
   * @return the container, not started
   * @throws IllegalArgumentException when the spec is invalid (the builder's one-line message)
   */
  public static SympaApplianceContainer fromSpec(Path specFile) {
    ApplianceSpec spec = SympaApplianceImages.read(specFile);
    return new SympaApplianceContainer(
        SympaApplianceImages.buildForTest(spec, specFile), Optional.of(spec));
  }

  /**
   * Sends what leaves this server to {@code sink}: both join one network (the sink's, or a new
   * one), where the sink answers to the relay host name of the spec ({@link #DEFAULT_RELAY_HOST}
   * for a server made from an image name). The sink starts first.
   *
   * @param sink the sink, not started
   * @return this container
   */
  public SympaApplianceContainer withSink(SmtpSinkContainer sink) {
    Network network = sink.getNetwork() != null ? sink.getNetwork() : Network.newNetwork();
    String relayHost =
        spec.flatMap(ApplianceSpec::relayhost)
            .map(SmtpDestination::host)
            .orElse(DEFAULT_RELAY_HOST);
    sink.withNetwork(network);
    if (!sink.getNetworkAliases().contains(relayHost)) {
      sink.withNetworkAliases(relayHost);
    }
    this.sink = sink;
    return withNetwork(network).dependsOn(sink);
  }

  /**
   * Mounts a secret at {@code path} the way Docker mounts one: {@code content} and a newline.
   *
   * @param path where the spec expects it, such as {@code /run/secrets/dkim.key}
   * @param content the secret
   * @param mode its file mode, such as {@code 0400}
   * @return this container
   */
  public SympaApplianceContainer withSecretFile(String path, String content, int mode) {
    return withCopyToContainer(
        Transferable.of((content + "\n").getBytes(StandardCharsets.UTF_8), mode), path);
  }

  /**
   * Keeps the server's state in named Docker volumes, as a deployment does: Sympa's spools, {@code
   * /var/lib/sympa} and, unless {@code queue} is null, Postfix's queue. A second container on the
   * same volumes is the same site (a restart, an upgrade).
   *
   * @param queue the volume for {@code /var/spool/postfix}, or null to keep the queue in the
   *     container
   * @param spools the volume for {@code /var/spool/sympa}
   * @param data the volume for {@code /var/lib/sympa}
   * @return this container
   */
  public SympaApplianceContainer withVolumes(String queue, String spools, String data) {
    Bind[] binds = volumeBinds(queue, spools, data);
    return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(binds));
  }

  /**
   * The binds {@link #withVolumes} makes, for another container on the same site's volumes (a
   * one-off backup or restore).
   *
   * @param queue the volume for {@code /var/spool/postfix}, or null for none
   * @param spools the volume for {@code /var/spool/sympa}
   * @param data the volume for {@code /var/lib/sympa}
   * @return the binds
   */
  public static Bind[] volumeBinds(String queue, String spools, String data) {
    List<Bind> binds = new ArrayList<>();
    if (queue != null) {
      binds.add(new Bind(queue, new Volume("/var/spool/postfix")));
    }
    binds.add(new Bind(spools, new Volume("/var/spool/sympa")));
    binds.add(new Bind(data, new Volume("/var/lib/sympa")));
    return binds.toArray(Bind[]::new);
  }

  /**
   * The sink given to {@link #withSink}.
   *
   * @return the sink
   * @throws IllegalStateException when there is none
   */
  public SmtpSinkContainer getSink() {
    if (sink == null) {
      throw new IllegalStateException("no sink: give one with withSink(new SmtpSinkContainer())");
    }
    return sink;
  }

  /**
   * The SMTP port Docker published on {@link #getHost()}.
   *
   * @return the port
   */
  public int getSmtpPort() {
    return getMappedPort(SMTP_PORT);
  }

  /**
   * The web interface's port Docker published on {@link #getHost()}.
   *
   * @return the port
   */
  public int getWebPort() {
    return getMappedPort(HTTP_PORT);
  }

  /**
   * The web interface as the test reaches it: {@code http://HOST:PORT/sympa} (the spec's path).
   * Sympa writes its links with the spec's public address; {@link #get} follows those.
   *
   * @return the URL
   */
  public String getWebUrl() {
    String path = spec.flatMap(ApplianceSpec::web).map(WebInterface::path).orElse("/sympa");
    return "http://" + getHost() + ":" + getWebPort() + path;
  }

  /**
   * Posts a plain text message over SMTP through the published port, as a peer MTA would (a
   * Message-ID of the kit's own, Date, UTF-8 text in quoted-printable, built by Apache James
   * mime4j).
   *
   * @param from the sender (envelope and From)
   * @param to the recipient (envelope and To), such as {@code team@lists.example.org}
   * @param subject the Subject
   * @param text the body
   * @return the Message-ID (without angle brackets): what {@link #awaitCopies} looks for
   * @throws IllegalStateException when the server refuses the message
   */
  public String post(String from, String to, String subject, String text) {
    return Mailer.post(this, from, to, subject, text);
  }

  /**
   * Sends a message as it is (headers, a blank line, the body) over SMTP through the published port
   * (Apache Commons Net).
   *
   * @param from the envelope sender; empty for the null sender {@code <>}
   * @param to the envelope recipient
   * @param message the message
   * @return the server's reply to the end of the data (250 when accepted)
   * @throws IllegalStateException when the server refuses the sender or the recipient
   */
  public int send(String from, String to, String message) {
    return Mailer.send(getHost(), getSmtpPort(), from, to, message);
  }

  /**
   * Submits a message inside the container with {@code sendmail}, as a local program would.
   *
   * @param from the sender (envelope and From)
   * @param to the recipient
   * @param subject the Subject
   * @param text the body
   */
  public void submit(String from, String to, String subject, String text) {
    Mailer.submit(this, from, to, subject, text);
  }

  /**
   * Waits until the sink holds at least {@code copies} copies containing {@code token}, then until
   * the server is idle, and returns every copy the sink holds then: exactly what was sent, so that
   * "each member once" and "nobody else" can be asserted on it.
   *
   * @param token the post's Message-ID (as {@link #post} returns it) or another unique text
   * @param copies how many envelope recipients to wait for
   * @param deadline how long to wait for each of the two
   * @return the copies
   * @throws org.awaitility.core.ConditionTimeoutException when they did not arrive or the server
   *     stayed busy
   */
  public List<ReceivedMessage> awaitCopies(String token, int copies, Duration deadline) {
    getSink().awaitMessagesContaining(token, copies, deadline);
    return copiesOnceIdle(token, deadline);
  }

  /**
   * Waits until the server is idle, then returns the copies containing {@code token} at the sink:
   * for "not distributed" and "the removed member gets nothing", which can only be said once
   * nothing is left to send.
   *
   * @param token the post's Message-ID or another unique text
   * @param deadline how long to wait for the server to be idle
   * @return the copies; empty when none was sent
   * @throws org.awaitility.core.ConditionTimeoutException when the server stayed busy
   */
  public List<ReceivedMessage> copiesOnceIdle(String token, Duration deadline) {
    awaitIdle(deadline);
    return getSink().messagesContaining(token);
  }

  /**
   * An HTTP GET of a page of the web interface through the published port, without cookies or
   * redirects: {@code path} is a path ({@code /sympa/lists}) or a link Sympa mailed ({@code
   * http://lists.example.org/sympa/ticket/…}), whose path is kept.
   *
   * @param pathOrLink a path, or a URL whose path and query are requested
   * @return the response
   */
  public HttpResponse<String> get(String pathOrLink) {
    return WebClient.get(this, pathOrLink);
  }

  /**
   * An HTTP POST of a form ({@code application/x-www-form-urlencoded}) through the published port,
   * as a mailbox provider's one-click unsubscribe comes: no cookie, no login.
   *
   * @param pathOrLink a path, or a URL whose path and query are requested
   * @param formBody the encoded form, such as {@code List-Unsubscribe=One-Click}
   * @return the response
   */
  public HttpResponse<String> postForm(String pathOrLink, String formBody) {
    return WebClient.postForm(this, pathOrLink, formBody);
  }
}
