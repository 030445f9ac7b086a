package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Benchmark of the Sympa appliance builder and of the appliance it builds (issue 5). Run through
 * bench/run.sh, with builder.jar (the builder's API, Jackson) and bench.jar on the class path:
 *
 * <pre>
 *   Bench [--smoke] [--comparisons] [--jar PATH] [--results FILE] [--docs DIR] [--only CLASS]
 *   Bench --report-only [--results FILE] [--docs DIR]
 * </pre>
 *
 * Runs {@link #BENCHMARKS} in order into one results file (default bench/results/latest.json, or
 * smoke.json), then, for a full run, writes the report from that file ({@link Report}).
 */
public final class Bench {
  /** The benchmarks, in the order they run; each adds its own objects to the results. */
  static final List<Benchmark> BENCHMARKS =
      List.of(
          new RebuildBenchmark(),
          new ConfigRebuildBenchmark(),
          new SizeBenchmark(),
          new IntakeBenchmark(),
          new LatencyBenchmark(),
          new StartBenchmark(),
          new FullStartBenchmark(),
          new DistributionBenchmark(),
          new MemberImportBenchmark(),
          new ArchiveImportBenchmark());

  private Bench() {}

  public static void main(String[] args) throws Exception {
    boolean smoke = false;
    boolean comparisons = false;
    boolean reportOnly = false;
    Path jar = null;
    Path results = null;
    Path docs = Path.of("docs");
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> smoke = true;
        case "--comparisons" -> comparisons = true;
        case "--report-only" -> reportOnly = true;
        case "--jar" -> jar = Path.of(args[++i]).toAbsolutePath();
        case "--results" -> results = Path.of(args[++i]);
        case "--docs" -> docs = Path.of(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (results == null) {
      results = Path.of(smoke ? "bench/results/smoke.json" : "bench/results/latest.json");
    }
    if (reportOnly) {
      Report.write(Results.read(results), docs);
      return;
    }
    if (jar == null) {
      throw new IllegalArgumentException("--jar PATH (the builder's jar) is required for a run");
    }
    run(Settings.of(smoke, comparisons), jar, results, docs, only);
  }

  /**
   * ONLY (a class name, e.g. DistributionBenchmark): that benchmark alone, into RESULTS, without
   * the report (a partial run).
   */
  private static void run(Settings settings, Path jar, Path results, Path docs, String only)
      throws Exception {
    BenchContext ctx = BenchContext.open(settings, jar);
    long started = System.nanoTime();
    ObjectNode root = Results.newRoot();
    root.put("schema", 1);
    root.put("mode", settings.smoke() ? "smoke" : "full");
    root.put("run_id", ctx.runId);
    root.put("started", Instant.now().toString());
    root.set("machine", Machine.describe(ctx.builder));
    settings.describe(root.putObject("workload"));
    try {
      ctx.createNetwork();
      ObjectNode durations = root.putObject("duration_s_by_benchmark");
      for (Benchmark b : BENCHMARKS) {
        if (only != null && !b.getClass().getSimpleName().equals(only)) {
          continue;
        }
        Log.info(b.name());
        long begun = System.nanoTime();
        b.run(ctx, root);
        double seconds = (System.nanoTime() - begun) / 1e9;
        durations.put(b.getClass().getSimpleName(), Stats.round(seconds, 1));
        Log.info(String.format("%s took %.0f s", b.getClass().getSimpleName(), seconds));
      }
    } finally {
      root.put("duration_s", Stats.round((System.nanoTime() - started) / 1e9, 1));
      Results.write(results, root);
    }
    // The report is made from the file just written, not from the objects in memory.
    JsonNode read = Results.read(results);
    if (only != null) {
      return;
    }
    Results.validate(read);
    if (!settings.smoke()) {
      Report.write(read, docs);
    }
    Log.info(String.format("done in %.0f s", (System.nanoTime() - started) / 1e9));
  }
}
