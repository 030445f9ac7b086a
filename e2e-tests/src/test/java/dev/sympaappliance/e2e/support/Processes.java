package dev.sympaappliance.e2e.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host command with a deadline that holds: stdout and stderr go to files (never a pipe read
 * before the wait, which would block until the process exits), and on timeout the whole process
 * tree is killed (compose and the builder start children of their own).
 */
public final class Processes {
  public record Result(int exitCode, String stdout, String stderr) {
    /** stdout, then stderr. */
    public String output() {
      return stdout + stderr;
    }
  }

  private Processes() {}

  public static Result run(
      List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("e2e-process-", ".out");
      err = Files.createTempFile("e2e-process-", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      if (directory != null) {
        pb.directory(directory.toFile());
      }
      // A null value removes the variable from the inherited environment.
      environment.forEach(
          (name, value) -> {
            if (value == null) {
              pb.environment().remove(name);
            } else {
              pb.environment().put(name, value);
            }
          });
      Process process = pb.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process);
        throw new IllegalStateException(
            "timed out after "
                + timeout
                + " (process tree killed): "
                + command
                + "\noutput so far:\n"
                + Files.readString(out, StandardCharsets.UTF_8)
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /** SIGKILL to the process and every descendant (children first listed, then the process). */
  public static void killTree(Process process) throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file: nothing to do
      }
    }
  }
}
