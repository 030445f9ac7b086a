package dev.sympaappliance.e2e.cli;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.BuilderCli;
import dev.sympaappliance.e2e.support.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The CLI's defaults, through the real CLI: the automatic --output choice, the --tar default, and
 * where the cache is (--cache-dir, else $SYMPA_APPLIANCE_CACHE, else
 * $XDG_CACHE_HOME/sympa-appliance, else ~/.cache/sympa-appliance). Each cache directory here links
 * base/ and jib/ to the real cache, so no run builds a base; the builder names the base archive it
 * reuses, under the cache it chose.
 */
class CliDefaultsIT {
  private static final String NO_DAEMON = "unix:///nonexistent.sock";
  private static Path realCache;

  @TempDir Path tmp;

  @BeforeAll
  static void theBaseIsCached() throws IOException {
    ApplianceImages.standard(); // builds the base in the real cache when it is not there yet
    realCache = ApplianceBuilder.defaultCacheDirectory().toAbsolutePath();
    Files.createDirectories(realCache.resolve("jib"));
  }

  /**
   * The links to the real cache, removed before @TempDir's cleanup (which would follow none, but
   * warns).
   */
  @AfterEach
  void removeLinks() throws IOException {
    try (var walk = Files.walk(tmp)) {
      for (Path link : walk.filter(Files::isSymbolicLink).toList()) {
        Files.delete(link);
      }
    }
  }

  private static Path linkedCache(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.createSymbolicLink(dir.resolve("base"), realCache.resolve("base"));
    Files.createSymbolicLink(dir.resolve("jib"), realCache.resolve("jib"));
    return dir;
  }

  /**
   * The environment of a run: SYMPA_APPLIANCE_CACHE and XDG_CACHE_HOME as given (null: unset), no
   * DOCKER_HOST unless given.
   */
  private static Map<String, String> environment(
      String sympaApplianceCache, String xdgCacheHome, String dockerHost) {
    Map<String, String> env = new HashMap<>();
    env.put("SYMPA_APPLIANCE_CACHE", sympaApplianceCache);
    env.put("XDG_CACHE_HOME", xdgCacheHome);
    env.put("DOCKER_HOST", dockerHost);
    return env;
  }

  private static void assertReusedBaseFrom(Processes.Result result, Path cache) {
    assertThat(result.stderr())
        .as("the cache the builder used")
        .containsPattern(
            "base: reusing cached base root filesystem [0-9a-f]+ \\("
                + java.util.regex.Pattern.quote(cache.resolve("base").toString())
                + "/");
  }

  @Test
  void withoutADaemonTheOutputIsATarballAtTheDefaultPathAndTheCacheComesFromSympaApplianceCache()
      throws Exception {
    Path cache = linkedCache(tmp.resolve("sympa-appliance-cache"));
    linkedCache(tmp.resolve("xdg/sympa-appliance"));
    Path work = Files.createDirectories(tmp.resolve("work"));

    Processes.Result result =
        BuilderCli.runOk(
            work,
            environment(cache.toString(), tmp.resolve("xdg").toString(), NO_DAEMON),
            List.of("-Duser.home=" + tmp.resolve("home")),
            "image",
            "--sympa",
            "tools",
            "--domain",
            DOMAIN,
            "--tag",
            "sympa-appliance-e2e-cli:never");

    assertThat(result.stderr()).contains("output: tar (no Docker daemon answers)");
    assertThat(work.resolve("target/sympa-appliance.tar"))
        .as("the --tar default, below the working directory")
        .isRegularFile();
    assertReusedBaseFrom(result, cache);
  }

  @Test
  void theCacheComesFromXdgCacheHomeWhenSympaApplianceCacheIsUnset() throws Exception {
    Path cache = linkedCache(tmp.resolve("xdg/sympa-appliance"));
    linkedCache(tmp.resolve("home/.cache/sympa-appliance"));

    Processes.Result result =
        BuilderCli.runOk(
            tmp,
            environment(null, tmp.resolve("xdg").toString(), null),
            List.of("-Duser.home=" + tmp.resolve("home")),
            "image",
            "--sympa",
            "tools",
            "--domain",
            DOMAIN,
            "--output",
            "tar",
            "--tar",
            tmp.resolve("out.tar").toString());

    assertReusedBaseFrom(result, cache);
  }

  @Test
  void theCacheIsUnderTheHomeDirectoryWhenNeitherVariableIsSet() throws Exception {
    Path cache = linkedCache(tmp.resolve("home/.cache/sympa-appliance"));

    Processes.Result result =
        BuilderCli.runOk(
            tmp,
            environment(null, null, null),
            List.of("-Duser.home=" + tmp.resolve("home")),
            "image",
            "--sympa",
            "tools",
            "--domain",
            DOMAIN,
            "--output",
            "tar",
            "--tar",
            tmp.resolve("out.tar").toString());

    assertReusedBaseFrom(result, cache);
  }

  @Test
  void cacheDirWinsOverTheEnvironment() throws Exception {
    Path cache = linkedCache(tmp.resolve("explicit"));
    Path fromEnvironment = linkedCache(tmp.resolve("sympa-appliance-cache"));

    Processes.Result result =
        BuilderCli.runOk(
            tmp,
            environment(fromEnvironment.toString(), null, null),
            List.of(),
            "image",
            "--sympa",
            "tools",
            "--domain",
            DOMAIN,
            "--output",
            "tar",
            "--tar",
            tmp.resolve("out.tar").toString(),
            "--cache-dir",
            cache.toString());

    assertReusedBaseFrom(result, cache);
  }

  @Test
  void withADaemonTheOutputIsTheDaemon() {
    String reference = "sympa-appliance-e2e-cli-auto:latest";
    try {
      Processes.Result result =
          BuilderCli.runOk(
              tmp,
              environment(null, null, null),
              List.of(),
              "image",
              "--sympa",
              "tools",
              "--domain",
              DOMAIN,
              "--list",
              "list1",
              "--tag",
              reference);

      assertThat(result.stderr()).contains("output: docker");
      assertThat(result.stdout()).contains("loaded into the local Docker daemon");
      assertThat(DockerClientFactory.instance().client().inspectImageCmd(reference).exec().getId())
          .startsWith("sha256:");
      assertThat(tmp.resolve("target")).as("no tarball at the default path").doesNotExist();
    } finally {
      DockerClientFactory.instance().client().removeImageCmd(reference).withForce(true).exec();
    }
  }
}
