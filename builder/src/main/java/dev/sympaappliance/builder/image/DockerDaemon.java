package dev.sympaappliance.builder.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Asks the daemon's socket (or, for another DOCKER_HOST transport, the docker CLI) whether a daemon
 * answers.
 */
public final class DockerDaemon {
  private DockerDaemon() {}

  /** Empty when a daemon answers; otherwise why not, in one line. */
  public static java.util.Optional<String> whyUnavailable() {
    java.util.Optional<EngineApi> engine = EngineApi.fromEnvironment(System.getenv());
    if (engine.isPresent()) {
      return new EngineDockerClient(engine.get(), line -> {}).whyUnavailable();
    }
    try {
      Process process =
          new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return java.util.Optional.of("`docker version` did not answer within 20 s");
      }
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.exitValue() == 0) {
        return java.util.Optional.empty();
      }
      String lastLine =
          output.isEmpty()
              ? "exit " + process.exitValue()
              : output.lines().reduce((a, b) -> b).orElse("");
      return java.util.Optional.of(lastLine);
    } catch (IOException e) {
      return java.util.Optional.of("the docker command is not installed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.of("interrupted");
    }
  }
}
