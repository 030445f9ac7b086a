package dev.sympaappliance.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

/** POSIX shell quoting, and {@code sh -c} inside a running container. */
final class Shell {
  private Shell() {}

  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** Each value quoted, separated by spaces: words for a command line. */
  static String quoteAll(String... values) {
    return Arrays.stream(values).map(Shell::quote).collect(Collectors.joining(" "));
  }

  static ExecResult exec(GenericContainer<?> container, String command) {
    try {
      return container.execInContainer("sh", "-c", command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running `" + command + "`", e);
    }
  }

  static String execOk(GenericContainer<?> container, String command) {
    ExecResult result = exec(container, command);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException(
          "`" + command + "` failed (" + result.getExitCode() + "): " + result.getStderr());
    }
    return result.getStdout();
  }
}
