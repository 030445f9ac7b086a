package dev.sympaappliance.e2e.support;

import java.time.Duration;
import java.util.List;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The tools flavour as a Testcontainers service that speaks mail: send, query Postfix, read the
 * spools.
 */
public final class ToolsApplianceContainer extends ShellContainer<ToolsApplianceContainer> {
  public static final int SMTP_PORT = 25;
  public static final String MSG_SPOOL = "/var/spool/sympa/msg";
  public static final String BOUNCE_SPOOL = "/var/spool/sympa/bounce";

  public ToolsApplianceContainer(DockerImageName image, String hostname) {
    super(image);
    withExposedPorts(SMTP_PORT);
    withCreateContainerCmdModifier(cmd -> cmd.withHostName(hostname));
    // Ready means Postfix's master runs (it logs this after binding its listeners) and port 25
    // answers.
    waitingFor(
        new WaitAllStrategy()
            .withStrategy(Wait.forLogMessage(".*postfix/master\\[1\\]: daemon started.*\\n", 1))
            .withStrategy(Wait.forListeningPort())
            .withStartupTimeout(Duration.ofSeconds(60)));
  }

  /**
   * For an image of another architecture than the host's, run under QEMU user emulation: Postfix
   * starts several times slower there (36-47 s here at load 5 against 4-5 s natively, minutes on a
   * busier machine), so the wait for it is longer.
   */
  public ToolsApplianceContainer emulated() {
    withStartupTimeout(EMULATED_STARTUP);
    return this;
  }

  /** How long an emulated container may take to start, and a message in it to arrive. */
  public static final Duration EMULATED_STARTUP = Duration.ofMinutes(5);

  public String smtpHost() {
    return getHost();
  }

  public int smtpPort() {
    return getMappedPort(SMTP_PORT);
  }

  /** Sends a message with the `mail` command inside the container, as the seed's test path does. */
  public void sendWithMail(String to, String subject, String body) {
    ExecResult result =
        exec(
            "printf '%s\\n' "
                + Shell.quote(body)
                + " | mail -s "
                + Shell.quote(subject)
                + " "
                + Shell.quote(to));
    if (result.getExitCode() != 0) {
      throw new IllegalStateException(
          "mail failed (" + result.getExitCode() + "): " + result.getStderr());
    }
  }

  public Spool msgSpool() {
    return new Spool(this, MSG_SPOOL);
  }

  public Spool bounceSpool() {
    return new Spool(this, BOUNCE_SPOOL);
  }

  /** `postconf -h NAME`: the value Postfix itself uses. */
  public String postconf(String parameter) {
    return execOk("postconf -h " + Shell.quote(parameter)).strip();
  }

  /** `postmap -q KEY TABLE` (or postalias for hash: alias tables); empty when the key is absent. */
  public String query(String command, String key, String table) {
    ExecResult result = exec(command + " -q " + Shell.quote(key) + " " + Shell.quote(table));
    if (result.getExitCode() == 1) {
      return "";
    }
    if (result.getExitCode() != 0) {
      throw new IllegalStateException(command + " -q failed: " + result.getStderr());
    }
    return result.getStdout().strip();
  }

  /** The local mailbox of {@code user} (where a bounce to a local sender goes); empty if none. */
  public String localMailbox(String user) {
    return execOk("cat /var/mail/" + Shell.quote(user) + " 2>/dev/null || true");
  }

  /** Recipients of deferred messages, each with Postfix's reason ("address: reason"). */
  public List<String> deferredRecipients() {
    return dev.sympaappliance.testcontainers.SympaApplianceContainer.deferredRecipients(
        execOk("postqueue -j"));
  }

  /**
   * Polls until {@code count} recipients are deferred; returns them, or fails after {@code
   * deadline}.
   */
  public List<String> awaitDeferred(int count, java.time.Duration deadline)
      throws InterruptedException {
    return Poll.until(
        this::deferredRecipients,
        deferred -> deferred.size() >= count,
        deadline,
        java.time.Duration.ofMillis(200));
  }
}
