package dev.sympaappliance.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.BuilderCli;
import dev.sympaappliance.e2e.support.ComposeProject;
import dev.sympaappliance.e2e.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/builder: the first run records a class-data archive in the cache (JDK 17 to 24: {@code
 * builder-SIZE-TIME-render.jsa}; JDK 25 or later: an AOT cache, {@code
 * builder-SIZE-TIME-render-jdkVERSION.aot}), later runs use it, and the output is the jar's.
 */
class LauncherScriptIT {
  private static final Path SCRIPT = ComposeProject.repositoryRoot().resolve("bin/builder");

  private static Processes.Result launch(Path cache, String... args) {
    List<String> command = Stream.concat(Stream.of(SCRIPT.toString()), Stream.of(args)).toList();
    Processes.Result result =
        Processes.run(
            command,
            cache,
            Map.of("SYMPA_APPLIANCE_CACHE", cache.toString()),
            Duration.ofMinutes(2));
    assertThat(result.exitCode())
        .as("bin/builder %s; stderr:%n%s", String.join(" ", args), result.stderr())
        .isZero();
    return result;
  }

  private static List<Path> archives(Path cache) throws Exception {
    try (Stream<Path> files = Files.list(cache.resolve("cds"))) {
      return files.toList();
    }
  }

  private static String[] render(Path out) {
    return new String[] {
      "render",
      "--sympa",
      "tools",
      "--domain",
      "lists.example.org",
      "--list",
      "team",
      "--out",
      out.toString()
    };
  }

  @Test
  void recordsTheClassArchiveOnceAndRendersWhatTheJarRenders(@TempDir Path cache) throws Exception {
    launch(cache, render(cache.resolve("first")));
    // As if the jar had been rebuilt since: no archive of this jar, one of an earlier jar.
    List<Path> firstRecorded = archives(cache);
    assertThat(firstRecorded).hasSize(1);
    String name = firstRecorded.get(0).getFileName().toString();
    assertThat(name).matches("builder-[0-9]+-[0-9]+-render(\\.jsa|-jdk[0-9][^/]*\\.aot)");
    // "-render.jsa" or "-render-jdk25.0.3.aot": what follows the jar's size and time.
    String suffix = name.substring(name.indexOf("-render"));
    Files.delete(firstRecorded.get(0));
    Path stale =
        Files.writeString(cache.resolve("cds/builder-1-2" + suffix), "an earlier jar's archive");
    launch(cache, render(cache.resolve("first")));
    assertThat(stale)
        .as("an earlier jar's archive is removed when a new one is recorded")
        .doesNotExist();
    List<Path> archives;
    try (Stream<Path> files = Files.list(cache.resolve("cds"))) {
      archives = files.toList();
    }
    assertThat(archives)
        .singleElement()
        .satisfies(a -> assertThat(a.getFileName().toString()).endsWith(suffix))
        .satisfies(a -> assertThat(Files.size(a)).isGreaterThan(1_000_000));
    long recorded = Files.getLastModifiedTime(archives.get(0)).toMillis();

    Processes.Result second = launch(cache, render(cache.resolve("second")));
    BuilderCli.runOk(cache, Map.of(), List.of(), render(cache.resolve("jar")));

    assertThat(second.stderr())
        .doesNotContainIgnoringCase("sharing")
        .doesNotContainIgnoringCase("cds")
        .doesNotContainIgnoringCase("aot")
        .doesNotContainIgnoringCase("sun.misc.Unsafe");
    assertThat(Files.getLastModifiedTime(archives.get(0)).toMillis())
        .as("the archive is reused, not rewritten")
        .isEqualTo(recorded);
    for (String file : List.of("etc/postfix/main.cf", "etc/postfix/master.cf")) {
      assertThat(cache.resolve("second").resolve(file))
          .hasSameTextualContentAs(cache.resolve("jar").resolve(file));
      assertThat(cache.resolve("first").resolve(file))
          .hasSameTextualContentAs(cache.resolve("jar").resolve(file));
    }
  }
}
