package dev.sympaappliance.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** A container of the appliance's images, driven by shell commands run inside it. */
abstract class ShellContainer<SELF extends ShellContainer<SELF>> extends GenericContainer<SELF> {
  ShellContainer(DockerImageName image) {
    super(image);
  }

  /** Runs {@code sh -c shellCommand}; its stdout, or an exception naming the command and its stderr. */
  String execOk(String shellCommand) {
    ExecResult result = exec(shellCommand);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException("`" + shellCommand + "` failed (" + result.getExitCode() + "): " + result.getStderr());
    }
    return result.getStdout();
  }

  /** Queue IDs of messages still in Postfix's queue (images that run Postfix). */
  List<String> queuedMessages() {
    String out = execOk("postqueue -j");
    List<String> ids = new ArrayList<>();
    for (String line : out.split("\n")) {
      int at = line.indexOf("\"queue_id\": \"");
      if (at >= 0) {
        int start = at + "\"queue_id\": \"".length();
        ids.add(line.substring(start, line.indexOf('"', start)));
      }
    }
    return ids;
  }

  /**
   * Where {@code secret} is in this container: the files under {@code paths} that hold it (searched
   * recursively; devices, FIFOs and sockets skipped), and the processes whose environment or
   * command line holds it ({@code /proc/PID/environ}, {@code /proc/PID/cmdline}). grep reads the
   * secret from a file, so that the search's own command line does not hold it. Fails when a path
   * cannot be searched (grep's status 2), so that "nowhere" is never a read error.
   */
  List<String> placesHolding(String secret, String... paths) {
    String needle = "/tmp/.needle-" + java.util.UUID.randomUUID();
    copyFileToContainer(org.testcontainers.images.builder.Transferable.of(
        secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0600), needle);
    try {
      String out = execOk("grep -rlF -D skip -f " + needle + " -- "
          + java.util.Arrays.stream(paths).map(Shell::quote).collect(java.util.stream.Collectors.joining(" "))
          + "; status=$?; [ $status -le 1 ] || exit $status"
          + "; for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do"
          + " tr '\\000' '\\n' < \"$f\" 2>/dev/null | grep -qF -f " + needle + " && echo \"$f\"; done; exit 0");
      return out.lines().filter(line -> !line.isBlank()).toList();
    } finally {
      exec("rm -f " + needle);
    }
  }

  ExecResult exec(String shellCommand) {
    try {
      return execInContainer("sh", "-c", shellCommand);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
