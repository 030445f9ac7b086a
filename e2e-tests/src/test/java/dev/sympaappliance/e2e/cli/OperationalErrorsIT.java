package dev.sympaappliance.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 9 of issue 4: the operational failures a user meets (no Docker daemon, mmdebstrap missing or
 * failing, a full disk) end in exit 1 with one clear line, and leave nothing half-written.
 *
 * <p>The builder runs as a process, `java -jar ../builder/target/builder.jar` (made by `mvn
 * install` or `mvn package`): only a child process can be given another PATH or DOCKER_HOST. Needs
 * root (mount, and mmdebstrap's root mode), and for the disk test the cached base or mmdebstrap to
 * make it.
 */
class OperationalErrorsIT {
  private static final Path JAR =
      Path.of("..", "builder", "target", "builder.jar").toAbsolutePath().normalize();
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  @TempDir Path tmp;

  @BeforeAll
  static void theBuilderJarExists() {
    assertThat(JAR)
        .as("the builder's jar; run `mvn -B -DskipTests install` (or package) first")
        .isRegularFile();
  }

  /**
   * Removes the PATH directories' symbolic links before @TempDir's cleanup, which warns about each.
   */
  @AfterEach
  void removeSymbolicLinks() throws IOException {
    try (Stream<Path> walk = Files.walk(tmp)) {
      for (Path link : walk.filter(Files::isSymbolicLink).toList()) {
        Files.delete(link);
      }
    }
  }

  private record Result(int exit, String stdout, String stderr) {}

  private Result builder(Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Processes.Result result = Processes.run(command, null, environment, Duration.ofMinutes(10));
    return new Result(result.exitCode(), result.stdout(), result.stderr());
  }

  /**
   * Exit 1; stderr (progress lines, then the error) ends with exactly one "builder: " line, which
   * says {@code expected}; no stack trace anywhere.
   */
  private static String assertOneErrorLine(Result result, String expected) {
    assertThat(result.exit()).as("exit code; stderr:\n%s", result.stderr()).isEqualTo(1);
    List<String> lines = result.stderr().lines().toList();
    assertThat(lines).as("stderr").isNotEmpty();
    List<String> errors = lines.stream().filter(l -> l.startsWith("builder: ")).toList();
    assertThat(errors).as("error lines in stderr:\n%s", result.stderr()).hasSize(1);
    String error = errors.get(0);
    assertThat(lines.get(lines.size() - 1))
        .as("the error is the last line of stderr:\n%s", result.stderr())
        .isEqualTo(error);
    assertThat(result.stderr())
        .as("no stack trace")
        .doesNotContain("Exception", "\tat ", "Caused by");
    assertThat(error).containsIgnoringCase(expected);
    assertThat(result.stdout()).as("stdout").doesNotContain("built ");
    return error;
  }

  /** A directory for PATH holding only java, docker and bash (and what the test adds). */
  private Path pathWithout(String name) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin-without-" + name));
    Files.createSymbolicLink(bin.resolve("java"), JAVA.toRealPath());
    for (String tool : List.of("docker", "bash")) {
      Path real = which(tool);
      assertThat(real).as("%s on this machine's PATH", tool).isNotNull();
      Files.createSymbolicLink(bin.resolve(tool), real);
    }
    return bin;
  }

  private static Path which(String tool) throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toRealPath();
      }
    }
    return null;
  }

  /** Everything below {@code dir}, relative, for messages and for "nothing half-written" checks. */
  private static List<String> tree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !p.equals(dir))
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  private static void assertNoPartialBase(Path cache) throws IOException {
    List<String> left = tree(cache);
    assertThat(left)
        .as("cache %s holds no base and no build directory", cache)
        .noneMatch(p -> p.matches("base/[0-9a-f]{64}(/.*)?"))
        .noneMatch(p -> p.contains(".building-"))
        .noneMatch(p -> p.endsWith(".tar"));
  }

  @Test
  void dockerOutputWithoutDaemonFailsInOneLineAndWritesNothing() throws Exception {
    Path cache = tmp.resolve("fresh-cache");

    Result result =
        builder(
            Map.of("DOCKER_HOST", "unix:///nonexistent.sock"),
            "image",
            "--sympa",
            "tools",
            "--domain",
            "lists.example.org",
            "--list",
            "list1",
            "--output",
            "docker",
            "--tag",
            "sympa-appliance-operational-errors:never",
            "--cache-dir",
            cache.toString());

    String error = assertOneErrorLine(result, "no Docker daemon");
    assertThat(error).contains("--output tar");
    assertThat(cache).as("nothing created in the fresh cache dir").doesNotExist();
  }

  @Test
  void missingMmdebstrapFailsInOneLineWithTheInstallHint() throws Exception {
    Path bin = pathWithout("mmdebstrap");
    Path cache = Files.createDirectory(tmp.resolve("empty-cache"));
    Path tar = tmp.resolve("out").resolve("img.tar");

    Result result =
        builder(
            Map.of("PATH", bin.toString()),
            "image",
            "--sympa",
            "tools",
            "--domain",
            "lists.example.org",
            "--list",
            "list1",
            "--output",
            "tar",
            "--tar",
            tar.toString(),
            "--cache-dir",
            cache.toString());

    String error = assertOneErrorLine(result, "mmdebstrap is not installed");
    assertThat(error).contains("apt-get install mmdebstrap");
    assertNoPartialBase(cache);
    assertThat(tree(cache)).as("the empty cache dir stays empty").isEmpty();
    assertThat(tar).doesNotExist();
    assertThat(tar.getParent()).doesNotExist();
  }

  /**
   * mmdebstrap that fails (here a stand-in that prints mmdebstrap-like lines and exits 3): one line
   * with its error, the full log kept in a file named in that line, no partial base.
   */
  @Test
  void failingMmdebstrapFailsInOneLineAndKeepsItsLog() throws Exception {
    Path bin = pathWithout("real-mmdebstrap");
    Path fake = bin.resolve("mmdebstrap");
    Files.writeString(
        fake,
        """
        #!/bin/bash
        echo "I: chroot architecture amd64 is equal to the host's architecture"
        echo "I: fake mmdebstrap for OperationalErrorsIT, args: $*"
        echo "E: simulated failure: cannot reach the Debian mirror" >&2
        echo "W: trailing warning after the error"
        exit 3
        """,
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path cache = Files.createDirectory(tmp.resolve("empty-cache"));
    Path tar = tmp.resolve("img.tar");

    Result result =
        builder(
            Map.of("PATH", bin.toString()),
            "image",
            "--sympa",
            "tools",
            "--domain",
            "lists.example.org",
            "--output",
            "tar",
            "--tar",
            tar.toString(),
            "--cache-dir",
            cache.toString());

    String error = assertOneErrorLine(result, "mmdebstrap failed (exit 3)");
    assertThat(error).contains("E: simulated failure: cannot reach the Debian mirror");
    Matcher log = Pattern.compile("full log: (\\S+)$").matcher(error);
    assertThat(log.find()).as("the line names the log file: %s", error).isTrue();
    Path logFile = Path.of(log.group(1));
    assertThat(logFile).isRegularFile();
    assertThat(logFile)
        .content()
        .contains(
            "I: fake mmdebstrap for OperationalErrorsIT",
            "E: simulated failure",
            "W: trailing warning after the error");
    assertNoPartialBase(cache);
    assertThat(tar).doesNotExist();
  }

  @Test
  void fullDiskFailsInOneLineAndRemovesThePartialTarball() throws Exception {
    Path small = Files.createDirectory(tmp.resolve("small-disk"));
    run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", small.toString());
    try {
      Path tar = small.resolve("img.tar");

      // The normal cache (the base is reused or built there); only the tarball goes to the full
      // disk.
      Result result =
          builder(
              Map.of(),
              "image",
              "--sympa",
              "tools",
              "--domain",
              "lists.example.org",
              "--list",
              "list1",
              "--output",
              "tar",
              "--tar",
              tar.toString());

      assertOneErrorLine(result, "no space left on device");
      assertThat(tree(small)).as("no tarball and no *.tar.partial left on the full disk").isEmpty();
    } finally {
      run("umount", small.toString());
    }
  }

  private static void run(String... command) {
    Processes.Result result =
        Processes.run(List.of(command), null, Map.of(), Duration.ofSeconds(60));
    assertThat(result.exitCode()).as("%s: %s", String.join(" ", command), result.output()).isZero();
  }
}
