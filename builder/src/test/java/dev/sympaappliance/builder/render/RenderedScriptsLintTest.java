package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.UserInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell script the golden specs render (entrypoints, service run scripts, the health check,
 * backup, restore, upgrade) passes {@code sh -n} (or {@code bash -n}) and {@code shellcheck}
 * (Debian's package) at its strictest default severity. In CI a missing shellcheck is a failure;
 * elsewhere the test is skipped, saying how to install it.
 */
class RenderedScriptsLintTest {
  @TempDir Path scratch;

  /** Golden directory → spec: the other roles' and the full flavour's, and the tools flavour's. */
  private static Map<String, ApplianceSpec> specs() {
    Map<String, ApplianceSpec> specs = new LinkedHashMap<>(OtherRolesGoldenTest.SPECS);
    specs.put(
        "lists.example.org",
        ApplianceSpec.fromUserInput(
            UserInput.builder()
                .set(Settings.DOMAIN, "lists.example.org")
                .list("list1", "team.dev")
                .set(Settings.FLAVOUR, "tools")
                .build()));
    return specs;
  }

  @TestFactory
  Stream<DynamicTest> everyRenderedScriptParsesAndPassesShellcheck() {
    boolean ci = System.getenv("CI") != null;
    boolean installed =
        Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "shellcheck")));
    if (!installed) {
      assertThat(ci)
          .as("shellcheck is missing, and CI is set: install Debian's shellcheck")
          .isFalse();
      Assumptions.abort("shellcheck is not installed (apt-get install shellcheck)");
    }
    return specs().entrySet().stream()
        .map(
            entry ->
                dynamicTest(
                    entry.getKey(),
                    () -> {
                      Path dir = Files.createDirectories(scratch.resolve(entry.getKey()));
                      List<String> scripts = new ArrayList<>();
                      for (RenderedFile file :
                          new ConfigRenderer().render(entry.getValue()).files()) {
                        String text = file.text();
                        if (text.startsWith("#!/bin/sh\n") || text.startsWith("#!/bin/bash\n")) {
                          Path script = dir.resolve(file.path().substring(1));
                          Files.createDirectories(script.getParent());
                          Files.writeString(script, text, StandardCharsets.UTF_8);
                          scripts.add(file.path().substring(1));
                          String shell = text.startsWith("#!/bin/bash") ? "bash" : "sh";
                          Result syntax = run(dir, shell, "-n", file.path().substring(1));
                          assertThat(syntax.exit())
                              .as("%s -n %s: %s", shell, file.path(), syntax.output())
                              .isZero();
                        }
                      }
                      assertThat(scripts).as("the scripts of " + entry.getKey()).isNotEmpty();
                      List<String> command =
                          new ArrayList<>(List.of("shellcheck", "--norc", "--external-sources"));
                      command.addAll(scripts);
                      Result lint = run(dir, command.toArray(String[]::new));
                      assertThat(lint.exit())
                          .as("shellcheck of %s's scripts:%n%s", entry.getKey(), lint.output())
                          .isZero();
                    }));
  }

  private record Result(int exit, String output) {}

  private static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }
}
