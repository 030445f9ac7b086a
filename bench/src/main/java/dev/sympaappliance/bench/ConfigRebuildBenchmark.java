package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.image.BuildTimings;
import dev.sympaappliance.builder.image.BuiltImage;
import dev.sympaappliance.builder.image.ImageTarget;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.builder.spec.UserInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config-only rebuilds ("rebuild"), both flavours, one list changed per run, in alternating rounds
 * on the same base: `docker build` COPYing the rendered files onto the image built before (the
 * baseline, {@link DockerfileBaseline}), the builder's library API in this JVM (as the e2e suite or
 * a build plugin uses it; warmed up first), and three whole CLI processes: {@code bin/builder}
 * (with a JDK 25 or later that it finds: an AOT cache and C1 alone; else class-data sharing),
 * {@code java -jar}, and {@code java -jar} with {@code SYMPA_APPLIANCE_DOCKER=cli}, the way every
 * build went before (Jib's docker CLI client, the base unpacked from its archive, every layer sent
 * to {@code docker load}). Where the time went comes from each build's {@code time:} line (the CLI)
 * or its {@link BuildTimings} (API); a CLI's "jvm" is its wall time minus the time since {@code
 * main}.
 */
final class ConfigRebuildBenchmark implements Benchmark {
  static final Path EXAMPLE_SPEC = Path.of("examples/lists.yaml").toAbsolutePath();
  private static final Pattern TIME_LINE =
      Pattern.compile(
          "time:\\s+main ([0-9.]+) s \\(spec ([0-9.]+) s, render ([0-9.]+) s,"
              + " base ([0-9.]+) s, layer ([0-9.]+) s, load ([0-9.]+) s\\)");
  private static final Pattern BASE_KEY =
      Pattern.compile("reusing cached base root filesystem ([0-9a-f]{12})");
  static final List<String> MODES =
      List.of("docker_build", "in_jvm", "cli_bin_builder", "cli_java_jar", "cli_before");

  @Override
  public String name() {
    return "config-only rebuild (both flavours, library API and CLI, against docker build)";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    ObjectNode out = results.putObject("rebuild");
    int runs = ctx.settings.smoke() ? 1 : 5;
    out.put("runs", runs);
    out.put(
        "note",
        "median of "
            + runs
            + " alternating rounds per flavour, one list changed per build, base"
            + " cached and in the daemon; docker build: DOCKER_BUILDKIT=0 wall time of a Dockerfile FROM the image"
            + " built just before, COPYing the rendered files (one COPY per"
            + " owner; render not counted); in_jvm: ApplianceBuilder.build in the"
            + " benchmark's JVM after 2 warm-up builds; cli_*: whole processes");
    for (Flavour flavour : Flavour.values()) {
      out.set(flavour.key, measure(ctx, flavour, runs));
    }
  }

  enum Flavour {
    TOOLS("tools", List.of("--sympa", "tools", "--domain", Appliance.DOMAIN)),
    FULL("full", List.of("--spec", EXAMPLE_SPEC.toString()));

    final String key;
    final List<String> specArgs;

    Flavour(String key, List<String> specArgs) {
      this.key = key;
      this.specArgs = specArgs;
    }

    ApplianceSpec spec(List<String> lists) {
      UserInput extra = UserInput.builder().lists(lists).build();
      return this == TOOLS
          ? ApplianceSpec.fromUserInput(
              UserInput.appliance(Appliance.DOMAIN, lists).toBuilder()
                  .set(Settings.FLAVOUR, "tools")
                  .build())
          : ApplianceSpec.fromUserInput(SpecFile.read(EXAMPLE_SPEC.toString()).overriddenBy(extra));
    }
  }

  private ObjectNode measure(BenchContext ctx, Flavour flavour, int runs) throws Exception {
    Path cache =
        ApplianceBuilder.defaultCacheDirectory(); // the machine's cache: both bases are there
    String tag = ctx.docker.prefix() + ":rebuild-" + flavour.key;
    String list = "r" + ctx.runId + "-";
    ApplianceBuilder api = new ApplianceBuilder(cache, line -> {});
    ctx.docker.adopt(tag);

    // Warm-up round: Jib's caches, the base in the daemon, bin/builder's class archive, the JIT.
    String first = cli(ctx, flavour, "cli_java_jar", cache, tag, List.of(list + "w0"));
    Matcher key = BASE_KEY.matcher(first);
    if (!key.find()) {
      throw new IllegalStateException("the builder named no cached base:\n" + first);
    }
    String baseRef = "sympa-appliance-base:" + key.group(1);
    // docker build works on the image built just before it, as the hand measurement did.
    DockerfileBaseline dockerfile =
        new DockerfileBaseline(
            ctx, tag, ctx.work.resolve("dockerfile-" + flavour.key), flavour.specArgs);
    dockerfile.build(List.of(list + "w1"));
    cli(ctx, flavour, "cli_bin_builder", cache, tag, List.of(list + "w2"));
    cli(ctx, flavour, "cli_before", cache, tag, List.of(list + "w3"));
    api.build(flavour.spec(List.of(list + "w4")), new ImageTarget.DockerDaemon(tag));
    api.build(flavour.spec(List.of(list + "w5")), new ImageTarget.DockerDaemon(tag));

    Map<String, List<Double>> wall = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> phases = new LinkedHashMap<>();
    MODES.forEach(m -> wall.put(m, new ArrayList<>()));
    List<Double> ratioApi = new ArrayList<>();
    List<Double> ratioCli = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String n = list + i + "-";
      double docker = dockerfile.build(List.of(n + "d")).buildSeconds();
      wall.get("docker_build").add(docker);

      long t0 = System.nanoTime();
      BuiltImage built =
          api.build(flavour.spec(List.of(n + "a")), new ImageTarget.DockerDaemon(tag));
      double inJvm = (System.nanoTime() - t0) / 1e9;
      wall.get("in_jvm").add(inJvm);
      BuildTimings t = built.timings();
      addPhases(
          phases,
          "in_jvm",
          Map.of(
              "render",
              secs(t.render()),
              "base",
              secs(t.base()),
              "layer",
              secs(t.layer()),
              "load",
              secs(t.write()),
              "other",
              inJvm - secs(t.render()) - secs(t.base()) - secs(t.layer()) - secs(t.write())));
      Log.info(String.format("  in JVM (%s): %.3f s", flavour.key, inJvm));

      for (String mode : List.of("cli_bin_builder", "cli_java_jar", "cli_before")) {
        long c0 = System.nanoTime();
        String printed = cli(ctx, flavour, mode, cache, tag, List.of(n + mode.charAt(4)));
        double seconds = (System.nanoTime() - c0) / 1e9;
        wall.get(mode).add(seconds);
        Matcher m = TIME_LINE.matcher(printed);
        if (m.find()) {
          double main = Double.parseDouble(m.group(1));
          double spec = Double.parseDouble(m.group(2));
          double render = Double.parseDouble(m.group(3));
          double base = Double.parseDouble(m.group(4));
          double layer = Double.parseDouble(m.group(5));
          double load = Double.parseDouble(m.group(6));
          addPhases(
              phases,
              mode,
              Map.of(
                  "jvm",
                  seconds - main,
                  "spec",
                  spec,
                  "render",
                  render,
                  "base",
                  base,
                  "layer",
                  layer,
                  "load",
                  load,
                  "other",
                  main - spec - render - base - layer - load));
        }
        if (mode.equals("cli_bin_builder")) {
          ratioCli.add(seconds / docker);
        }
      }
      ratioApi.add(inJvm / docker);
    }

    ObjectNode o = Results.newRoot();
    o.put("base", baseRef);
    wall.forEach((mode, values) -> o.set(mode + "_s", Stats.node(values, "s")));
    o.set("ratio_in_jvm_over_docker_build", Stats.node(ratioApi, "x"));
    o.set("ratio_cli_bin_builder_over_docker_build", Stats.node(ratioCli, "x"));
    ObjectNode breakdown = o.putObject("breakdown_median_s");
    phases.forEach(
        (mode, byPhase) -> {
          ObjectNode p = breakdown.putObject(mode);
          byPhase.forEach((phase, values) -> p.put(phase, Stats.round(Stats.median(values), 3)));
        });
    o.put("dockerfile", dockerfile.dockerfile());
    return o;
  }

  /**
   * One CLI build into the daemon, as MODE runs it; returns what it printed (stdout and stderr).
   */
  private static String cli(
      BenchContext ctx, Flavour flavour, String mode, Path cache, String tag, List<String> lists)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    if (mode.equals("cli_bin_builder")) {
      cmd.add(Path.of("bin/builder").toAbsolutePath().toString());
      env.put("SYMPA_APPLIANCE_JAR", ctx.builder.jar().toString());
    } else {
      cmd.addAll(List.of("java", "-jar", ctx.builder.jar().toString()));
      if (mode.equals("cli_before")) {
        env.put("SYMPA_APPLIANCE_DOCKER", "cli");
      }
    }
    cmd.add("image");
    cmd.addAll(flavour.specArgs);
    for (String l : lists) {
      cmd.addAll(List.of("--list", l));
    }
    cmd.addAll(List.of("--tag", tag, "--output", "docker", "--cache-dir", cache.toString()));
    return Processes.run(cmd, env).out();
  }

  private static void addPhases(
      Map<String, Map<String, List<Double>>> phases, String mode, Map<String, Double> values) {
    Map<String, List<Double>> byPhase = phases.computeIfAbsent(mode, k -> new LinkedHashMap<>());
    for (String phase : List.of("jvm", "spec", "render", "base", "layer", "load", "other")) {
      if (values.containsKey(phase)) {
        byPhase.computeIfAbsent(phase, k -> new ArrayList<>()).add(values.get(phase));
      }
    }
  }

  private static double secs(java.time.Duration d) {
    return d.toNanos() / 1e9;
  }
}
