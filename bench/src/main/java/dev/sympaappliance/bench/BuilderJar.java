package dev.sympaappliance.bench;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.base.BaseRecipe;
import dev.sympaappliance.builder.spec.DebianSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * builder.jar run as its users run it (java -jar, tools flavour, the appliance's domain), and its
 * cache dirs.
 */
final class BuilderJar {
  /** One `builder image` run: wall time (JVM start included) and what it printed. */
  record Built(double seconds, String digest, String imageId) {}

  private final Path jar;
  private final Docker docker;

  BuilderJar(Path jar, Docker docker) {
    this.jar = jar;
    this.docker = docker;
  }

  Path jar() {
    return jar;
  }

  /** `builder image` of LISTS into the daemon as TAG (removed at cleanup), timed. */
  Built image(Path cache, String tag, List<String> lists) throws Exception {
    List<String> cmd = command("image", lists);
    cmd.addAll(List.of("--tag", tag, "--output", "docker", "--cache-dir", cache.toString()));
    long t0 = System.nanoTime();
    Processes.Result r = Processes.run(cmd);
    double s = (System.nanoTime() - t0) / 1e9;
    docker.adopt(tag);
    Log.info(String.format("  build %s (%s): %.2f s", tag, String.join(",", lists), s));
    return new Built(s, find(r.out(), "digest:\\s+(\\S+)"), find(r.out(), "image id:\\s+(\\S+)"));
  }

  /** `builder image --output tar` of LISTS, timed (seconds). */
  double imageToTar(Path cache, String tag, List<String> lists, Path tar) throws Exception {
    List<String> cmd = command("image", lists);
    cmd.addAll(
        List.of(
            "--output",
            "tar",
            "--tar",
            tar.toString(),
            "--tag",
            tag,
            "--cache-dir",
            cache.toString()));
    long t = System.nanoTime();
    Processes.run(cmd);
    return (System.nanoTime() - t) / 1e9;
  }

  /**
   * `builder render SPEC_ARGS` plus LISTS into OUT; returns its output (one line per file, with
   * mode and owner).
   */
  String render(List<String> specArgs, List<String> lists, Path out) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString(), "render"));
    cmd.addAll(specArgs);
    for (String l : lists) {
      cmd.add("--list");
      cmd.add(l);
    }
    cmd.addAll(List.of("--out", out.toString()));
    return Processes.run(cmd).out();
  }

  /** `builder --version`, timed (seconds): the JVM's start. */
  double version() throws Exception {
    long t = System.nanoTime();
    Processes.run(List.of("java", "-jar", jar.toString(), "--version"));
    return (System.nanoTime() - t) / 1e9;
  }

  /** The base archive (base-image.tar) in the cache dir CACHE, or null. */
  static Path baseArchive(Path cache) throws IOException {
    Path base = cache.resolve("base");
    if (!Files.isDirectory(base)) {
      return null;
    }
    try (var s = Files.list(base)) {
      return s.map(p -> p.resolve("base-image.tar"))
          .filter(Files::isRegularFile)
          .findFirst()
          .orElse(null);
    }
  }

  /** The base directory of the user's cache that a build of this machine would use, or null. */
  static Path defaultCacheBase() {
    try {
      String env = System.getenv("SYMPA_APPLIANCE_CACHE");
      String xdg = System.getenv("XDG_CACHE_HOME");
      Path cache =
          env != null
              ? Path.of(env)
              : xdg != null
                  ? Path.of(xdg, "sympa-appliance")
                  : Path.of(System.getProperty("user.home"), ".cache", "sympa-appliance");
      Path dir =
          cache
              .resolve("base")
              .resolve(
                  BaseRecipe.tools(DebianSuite.DEFAULT, ApplianceBuilder.hostPlatform())
                      .cacheKey());
      return Files.isRegularFile(dir.resolve("base-image.tar")) ? dir : null;
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  private List<String> command(String subcommand, List<String> lists) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "java",
                "-jar",
                jar.toString(),
                subcommand,
                "--sympa",
                "tools",
                "--domain",
                Appliance.DOMAIN));
    for (String l : lists) {
      cmd.add("--list");
      cmd.add(l);
    }
    return cmd;
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
