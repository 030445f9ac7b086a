package dev.sympaappliance.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The staging compose file run by the real compose binary: Debian's docker-compose (v1) when
 * installed, else the `docker compose` plugin.
 */
final class ComposeProject implements AutoCloseable {
  record Result(int exitCode, String output) {}

  private final Path repository;
  private final String project;
  private final Map<String, String> environment;

  ComposeProject(Path repository, String project, Map<String, String> environment) {
    this.repository = repository;
    this.project = project;
    this.environment = Map.copyOf(environment);
  }

  /** The repository's top directory: the parent of e2e-tests, where Maven runs this module. */
  static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("compose")) ? here : here.getParent();
  }

  Result compose(String... args) {
    List<String> command = new ArrayList<>(composeCommand());
    command.addAll(List.of("-p", project, "-f", repository.resolve("compose/docker-compose.yml").toString()));
    command.addAll(List.of(args));
    return run(command, Duration.ofMinutes(3));
  }

  Result run(List<String> command, Duration timeout) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(environment);
      Process process = pb.start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Result runOk(List<String> command) {
    Result result = run(command, Duration.ofMinutes(5));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exitCode() + "):\n" + result.output());
    }
    return result;
  }

  Result composeOk(String... args) {
    Result result = compose(args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("compose " + String.join(" ", args) + " failed (" + result.exitCode() + "):\n" + result.output());
    }
    return result;
  }

  /** A shell command inside a service's container. */
  String exec(String service, String shellCommand) {
    return composeOk("exec", "-T", service, "sh", "-c", shellCommand).output();
  }

  String containerId(String service) {
    return composeOk("ps", "-q", service).output().strip();
  }

  @Override
  public void close() {
    compose("down", "-v", "--remove-orphans");
  }

  private static List<String> composeCommand() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "docker-compose"))) {
        return List.of("docker-compose");
      }
    }
    return List.of("docker", "compose");
  }
}
