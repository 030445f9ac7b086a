package dev.sympaappliance.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the benchmarks of one run share: sizes, run id, Docker, the builder, the work dir, the
 * network.
 */
final class BenchContext {
  final Settings settings;
  final String runId;
  final Docker docker;
  final BuilderJar builder;
  final Path work;
  private String network;
  private String appliance;

  private BenchContext(
      Settings settings, String runId, Docker docker, BuilderJar builder, Path work) {
    this.settings = settings;
    this.runId = runId;
    this.docker = docker;
    this.builder = builder;
    this.work = work;
  }

  /**
   * A new run: its id, a work dir, and a copy of JAR in it (others may rebuild builder.jar while
   * this runs). Everything the run makes is removed at exit (a shutdown hook).
   */
  static BenchContext open(Settings settings, Path jar) throws Exception {
    String runId =
        "b"
            + Long.toString(ProcessHandle.current().pid(), 36)
            + Long.toString(System.currentTimeMillis() % 100000, 36);
    Docker docker = new Docker(runId);
    Path[] work = new Path[1];
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  docker.cleanup();
                  if (work[0] != null) {
                    Processes.deleteTree(work[0]);
                  }
                }));
    work[0] = Files.createTempDirectory("sympa-bench-");
    Log.info("run " + runId + (settings.smoke() ? " (smoke)" : "") + ", work dir " + work[0]);
    Path copy = work[0].resolve("builder.jar");
    Files.copy(jar, copy);
    return new BenchContext(settings, runId, docker, new BuilderJar(copy, docker), work[0]);
  }

  /** The run's Docker network (made by {@link #createNetwork}). */
  String network() {
    return network;
  }

  void createNetwork() throws Exception {
    network = docker.createNetwork("net");
  }

  /** The cache dir that keeps the base and Jib's layers between the builds of this run. */
  Path warmCache() {
    return work.resolve("cache-warm");
  }

  /**
   * The appliance image (list1) that the mail, size and start benchmarks use, built on first use in
   * the warm cache.
   */
  String appliance() throws Exception {
    if (appliance == null) {
      String tag = docker.prefix() + ":appliance";
      builder.image(warmCache(), tag, List.of(Appliance.LIST));
      appliance = tag;
    }
    return appliance;
  }
}
