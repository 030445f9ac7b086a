package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Build times ("build"): cold builds (mmdebstrap, then Jib from nothing), whose digests are the
 * reproducibility check ("reproducibility"); a build with the base cached; the builder's JVM start
 * and a config-only rebuild to a tarball. Rebuilds into the daemon: {@link ConfigRebuildBenchmark}.
 */
final class RebuildBenchmark implements Benchmark {
  @Override
  public String name() {
    return "rebuild";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    ObjectNode builds = results.putObject("build");
    ObjectNode repro = results.putObject("reproducibility");
    cold(ctx, builds, repro);
    ctx.appliance(); // built here, on the warm cache, before the builds below (as it always was)
    cachedBase(ctx, builds);
    configOnly(ctx, builds);
  }

  private static void cold(BenchContext ctx, ObjectNode builds, ObjectNode repro) throws Exception {
    Settings settings = ctx.settings;
    Path warm = ctx.warmCache();
    ArrayNode digests = repro.putArray("digests");
    ArrayNode ids = repro.putArray("image_ids");
    ArrayNode baseLayers = repro.putArray("base_archive_sha256");
    List<Double> times = new ArrayList<>();
    int coldRuns =
        2; // two independent cold builds are the reproducibility check; each is mmdebstrap from
    // nothing (~40-100 s)
    Path defaultBase = BuilderJar.defaultCacheBase();
    if (settings.smoke() && defaultBase != null) {
      // Smoke: no mmdebstrap; reuse the base of the user's cache (hard links, or a copy).
      Path target = warm.resolve("base").resolve(defaultBase.getFileName());
      Files.createDirectories(target.getParent());
      if (Processes.tryRun(List.of("cp", "-rl", defaultBase.toString(), target.toString())).exit()
          != 0) {
        Processes.run(List.of("cp", "-r", defaultBase.toString(), target.toString()));
      }
      coldRuns = 0;
      builds.put("cold_skipped", "smoke run reuses the cached base " + defaultBase);
    }
    for (int i = 0; i < coldRuns; i++) {
      // Each cold build starts from an empty cache directory: mmdebstrap, then Jib from nothing.
      Path cache = i == 0 ? warm : ctx.work.resolve("cache-cold-" + i);
      BuilderJar.Built b =
          ctx.builder.image(cache, ctx.docker.prefix() + ":cold-" + i, List.of(Appliance.LIST));
      times.add(b.seconds());
      digests.add(b.digest());
      ids.add(b.imageId());
      baseLayers.add(sha256(BuilderJar.baseArchive(cache)));
      if (i > 0) {
        Processes.deleteTree(cache);
      }
    }
    if (coldRuns > 0) {
      builds.set("cold_s", Stats.node(times, "s"));
      repro.put("identical", distinct(digests) == 1 && distinct(ids) == 1);
      repro.put("builds", coldRuns);
      repro.put(
          "note",
          "each build ran in its own empty --cache-dir: base root filesystem by mmdebstrap, then Jib");
      repro.put(
          "fixed",
          "ssl-cert's postinst generated /etc/ssl/private/ssl-cert-snakeoil.key (random) and "
              + "/etc/ssl/certs/ssl-cert-snakeoil.pem (CN = the build host's name) plus its hash link; the base recipe "
              + "now deletes them (the appliance enables no TLS)");
    }
    Path archive = BuilderJar.baseArchive(warm);
    if (archive == null) {
      ctx.builder.image(warm, ctx.docker.prefix() + ":prime", List.of(Appliance.LIST));
      archive = BuilderJar.baseArchive(warm);
    }
    builds.put("base_archive_bytes", Files.size(archive));
  }

  /**
   * Base root filesystem cached, Jib's layer caches empty (includes compressing the base layer
   * once).
   */
  private static void cachedBase(BenchContext ctx, ObjectNode builds) throws Exception {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < ctx.settings.runs(); i++) {
      Path cache = ctx.work.resolve("cache-base-only-" + i);
      Path base = BuilderJar.baseArchive(ctx.warmCache()).getParent();
      Path target = cache.resolve("base").resolve(base.getFileName());
      Files.createDirectories(target.getParent());
      Processes.run(List.of("cp", "-rl", base.toString(), target.toString()));
      times.add(
          ctx.builder
              .image(cache, ctx.docker.prefix() + ":cached-" + i, List.of(Appliance.LIST))
              .seconds());
      Processes.deleteTree(cache);
    }
    builds.set("base_cached_s", Stats.node(times, "s"));
  }

  /**
   * JVM start alone, and a config-only rebuild written as a tar ({@code --output tar}: Jib unpacks
   * the base archive and writes every layer). The rebuilds into the daemon, against `docker build`,
   * are {@link ConfigRebuildBenchmark}'s.
   */
  private static void configOnly(BenchContext ctx, ObjectNode builds) throws Exception {
    Path warm = ctx.warmCache();
    String team = "t" + ctx.runId + "-";
    ctx.builder.imageToTar(
        warm,
        ctx.docker.prefix() + ":tar",
        List.of(Appliance.LIST, team + "tar"),
        ctx.work.resolve("rebuild.tar"));
    List<Double> jvm = new ArrayList<>();
    List<Double> tar = new ArrayList<>();
    for (int i = 0; i < ctx.settings.runs(); i++) {
      jvm.add(ctx.builder.version());
      tar.add(
          ctx.builder.imageToTar(
              warm,
              ctx.docker.prefix() + ":tar",
              List.of(Appliance.LIST, team + "tar" + i),
              ctx.work.resolve("rebuild.tar")));
    }
    builds.set("builder_jvm_start_s", Stats.node(jvm, "s"));
    builds.set("config_only_builder_to_tar_s", Stats.node(tar, "s"));
  }

  private static String sha256(Path file) throws Exception {
    return Processes.run(List.of("sha256sum", file.toString())).out().split("\\s+")[0];
  }

  private static int distinct(ArrayNode values) {
    Set<String> s = new HashSet<>();
    values.forEach(x -> s.add(x.asText()));
    return s.size();
  }
}
