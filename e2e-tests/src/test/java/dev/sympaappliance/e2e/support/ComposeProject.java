package dev.sympaappliance.e2e.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The staging compose file run by the real compose binary: Debian's docker-compose (v1) when
 * installed, else the `docker compose` plugin.
 */
public final class ComposeProject implements AutoCloseable {
  private final Path repository;
  private final String project;
  private final Map<String, String> environment;

  public ComposeProject(Path repository, String project, Map<String, String> environment) {
    this.repository = repository;
    this.project = project;
    this.environment = Map.copyOf(environment);
  }

  /** The repository's top directory: the parent of e2e-tests, where Maven runs this module. */
  public static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("compose")) ? here : here.getParent();
  }

  public Processes.Result compose(String... args) {
    List<String> command = new ArrayList<>(composeCommand());
    command.addAll(
        List.of("-p", project, "-f", repository.resolve("compose/docker-compose.yml").toString()));
    command.addAll(List.of(args));
    return run(command, Duration.ofMinutes(3));
  }

  /**
   * Runs COMMAND in the repository with the project's environment; the process tree is killed on
   * timeout.
   */
  public Processes.Result run(List<String> command, Duration timeout) {
    return Processes.run(command, repository, environment, timeout);
  }

  public Processes.Result runOk(List<String> command) {
    Processes.Result result = run(command, Duration.ofMinutes(5));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (" + result.exitCode() + "):\n" + result.output());
    }
    return result;
  }

  public Processes.Result composeOk(String... args) {
    Processes.Result result = compose(args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "compose "
              + String.join(" ", args)
              + " failed ("
              + result.exitCode()
              + "):\n"
              + result.output());
    }
    return result;
  }

  /** A shell command inside a service's container. */
  public String exec(String service, String shellCommand) {
    return composeOk("exec", "-T", service, "sh", "-c", shellCommand).stdout();
  }

  public String containerId(String service) {
    return composeOk("ps", "-q", service).stdout().strip();
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
