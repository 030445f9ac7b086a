package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One benchmark: runs its measurements and puts its figures under its own key(s) of the results
 * file. A new benchmark is a class implementing this plus one line in {@link Bench#BENCHMARKS}
 * (and, for the report, a section in {@link Report}).
 */
interface Benchmark {
  /** A short name, for the log. */
  String name();

  /** Measures, and adds this benchmark's figures to RESULTS (the results file's root object). */
  void run(BenchContext ctx, ObjectNode results) throws Exception;
}
