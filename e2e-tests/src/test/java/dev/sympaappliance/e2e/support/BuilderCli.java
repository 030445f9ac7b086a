package dev.sympaappliance.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real CLI, `java [JVM_OPTIONS] -jar builder/target/builder.jar ARGS`, as a process (made by
 * `mvn install` or `package`).
 */
public final class BuilderCli {
  public static final Path JAR =
      ComposeProject.repositoryRoot().resolve("builder/target/builder.jar");
  public static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  private BuilderCli() {}

  public static Processes.Result run(
      Path directory, Map<String, String> environment, List<String> jvmOptions, String... args) {
    assertThat(JAR)
        .as("the builder's jar; run `mvn -B -DskipTests install` (or package) first")
        .isRegularFile();
    List<String> command = new ArrayList<>(List.of(JAVA.toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    return Processes.run(command, directory, environment, Duration.ofMinutes(10));
  }

  public static Processes.Result runOk(
      Path directory, Map<String, String> environment, List<String> jvmOptions, String... args) {
    Processes.Result result = run(directory, environment, jvmOptions, args);
    assertThat(result.exitCode())
        .as("builder %s; stderr:%n%s", String.join(" ", args), result.stderr())
        .isZero();
    return result;
  }
}
