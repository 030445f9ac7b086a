package dev.sympaappliance.e2e.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The tests' DNS server: Debian's dnsmasq answering TXT records the test gives it (DMARC policies,
 * DKIM keys) and nothing else, in an image built like ours (mmdebstrap base, Jib layer). The
 * appliance under test resolves through it (Docker's embedded DNS forwards what is not a container
 * name to it). The image also carries Debian's python3-dkim, whose dkimverify checks DKIM
 * signatures against this server: an implementation independent of Sympa's Mail::DKIM.
 */
public final class DnsServerContainer extends ShellContainer<DnsServerContainer> {
  private static final String RECORDS = "/etc/test-dns/records.conf";

  /** Restarts dnsmasq whenever it exits, so that new records take effect by killing it. */
  private static final String ENTRYPOINT =
      """
      #!/bin/sh
      # Test DNS server: dnsmasq with only the records in %1$s, no upstream, no /etc/hosts.
      set -eu
      # dkimverify in this container asks this server.
      echo 'nameserver 127.0.0.1' > /etc/resolv.conf
      mkdir -p /etc/test-dns
      touch %1$s
      echo 'test dns: serving'
      while :; do
        dnsmasq --keep-in-foreground --no-resolv --no-hosts --user=root --conf-file=%1$s --log-queries \
          --log-facility=- || true
        sleep 0.1
      done
      """
          .formatted(RECORDS);

  private final List<String> records = new ArrayList<>();

  public DnsServerContainer(Network network) {
    super(Holder.IMAGE);
    withNetwork(network);
    withNetworkAliases("dns");
    waitingFor(
        Wait.forLogMessage(".*test dns: serving.*\\n", 1)
            .withStartupTimeout(Duration.ofSeconds(60)));
  }

  /** This server's address on its network: what a container is given as its DNS server. */
  public String address() {
    return getContainerInfo()
        .getNetworkSettings()
        .getNetworks()
        .values()
        .iterator()
        .next()
        .getIpAddress();
  }

  /**
   * Serves {@code name} IN TXT with these character-strings (each at most 255 characters), from now
   * on.
   */
  public void addTxt(String name, List<String> strings) {
    records.add(
        "txt-record="
            + name
            + ","
            + strings.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(",")));
    execOk(
        "printf '%s\\n' "
            + records.stream().map(Shell::quote).collect(Collectors.joining(" "))
            + " > "
            + RECORDS
            + " && for p in /proc/[0-9]*; do"
            + " [ \"$(cat $p/comm 2>/dev/null)\" = dnsmasq ] && kill ${p#/proc/}; done; true");
    // Wait until the restarted dnsmasq answers for it.
    String check =
        "python3 -c "
            + Shell.quote("import dns.resolver, sys; dns.resolver.resolve(sys.argv[1], 'TXT')")
            + " "
            + Shell.quote(name);
    for (int i = 0; i < 50 && exec(check).getExitCode() != 0; i++) {
      sleep();
    }
    execOk(check);
  }

  /** What python3-dkim's dkimverify does, with its reasons on stderr when a signature fails. */
  private static final String VERIFY =
      "import dkim, logging, sys; logging.basicConfig(level=logging.INFO);"
          + " ok = dkim.verify(sys.stdin.buffer.read(), logger=logging.getLogger());"
          + " print('signature ok' if ok else 'signature verification failed'); sys.exit(0 if ok else 1)";

  /**
   * python3-dkim's verification of {@code message}: its output (e.g. "signature ok"), and whether
   * it verified.
   */
  public Verification dkimVerify(String message) {
    var result = execWithInput("python3 -c " + Shell.quote(VERIFY), message);
    return new Verification(
        result.getExitCode() == 0, (result.getStdout() + result.getStderr()).strip());
  }

  public record Verification(boolean ok, String output) {}

  /**
   * python3-dkim's verification of each of {@code messages} in one process (one exec for a thousand
   * copies instead of a thousand): the indexes of those that did not verify, each with
   * python3-dkim's reasons.
   */
  public java.util.Map<Integer, String> dkimFailures(java.util.List<String> messages) {
    var result =
        execWithInput("python3 -c " + Shell.quote(VERIFY_ALL), String.join("\0", messages));
    if (result.getExitCode() != 0 || !result.getStdout().contains("verified ")) {
      throw new IllegalStateException(
          "python3-dkim did not run: " + result.getStdout() + result.getStderr());
    }
    java.util.Map<Integer, String> failures = new java.util.TreeMap<>();
    result
        .getStdout()
        .lines()
        .filter(line -> line.startsWith("failed "))
        .forEach(
            line -> {
              String[] parts = line.split(" ", 3);
              failures.put(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
            });
    return failures;
  }

  /**
   * {@link #VERIFY} over NUL-separated messages: "failed INDEX REASONS" per failure, then a count.
   */
  private static final String VERIFY_ALL =
      "import dkim, io, logging, sys\n"
          + "messages = sys.stdin.buffer.read().split(b'\\0')\n"
          + "for i, m in enumerate(messages):\n"
          + "    log = io.StringIO(); logger = logging.getLogger('m%d' % i)\n"
          + "    logger.addHandler(logging.StreamHandler(log)); logger.setLevel(logging.INFO)\n"
          + "    if not dkim.verify(m, logger=logger):\n"
          + "        print('failed %d %s' % (i, log.getvalue().replace('\\n', ' ')))\n"
          + "print('verified %d' % len(messages))\n";

  private org.testcontainers.containers.Container.ExecResult execWithInput(
      String command, String input) {
    String file = "/tmp/input-" + System.nanoTime();
    copyFileToContainer(
        org.testcontainers.images.builder.Transferable.of(input.getBytes(StandardCharsets.UTF_8)),
        file);
    return exec(command + " < " + file);
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final class Holder {
    // The base recipe installs Postfix whatever the packages: the helper carries it unused.
    public static final DockerImageName IMAGE =
        TestHelperImages.build("sympa-appliance-e2e-dns:latest", ENTRYPOINT);
  }
}
