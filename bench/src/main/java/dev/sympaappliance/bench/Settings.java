package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sizes of the workloads: a full run's, or a smoke run's (seconds, tiny loads, cached base);
 * and whether the comparisons run (setups of earlier rounds whose conclusions stand: the how-to's
 * master.cf line and other slot counts for intake; Sympa's defaults, VERP, Postfix alone in packets
 * of 25, the ordinary path for 1,000 members and DKIM's cost for distribution). A full run leaves
 * them out unless asked ({@code --comparisons}), so that it stays under 20 minutes; a smoke run
 * always runs them, so that their code cannot rot.
 */
record Settings(
    boolean smoke,
    boolean comparisons,
    int runs,
    int intakeMessages,
    int sessions,
    int baselineMessages,
    int lightMessages,
    int saturatingMessages,
    int startRuns) {
  /** Light latency load: one message every this many milliseconds, from one session. */
  static final int LIGHT_INTERVAL_MS = 100;

  /** Body size of smtp-source's messages (-l). */
  static final int MESSAGE_BODY_BYTES = 1024;

  static Settings of(boolean smoke, boolean comparisons) {
    return smoke
        ? new Settings(true, true, 1, 40, 4, 20, 5, 40, 2)
        : new Settings(false, comparisons, 3, 2000, 20, 300, 100, 2000, 10);
  }

  /** The "workload" object of the results file. */
  void describe(ObjectNode workload) {
    workload.put("runs_per_figure", runs);
    workload.put("comparisons", comparisons);
    workload.put("intake_messages", intakeMessages);
    workload.put("intake_sessions", sessions);
    workload.put("baseline_messages", baselineMessages);
    workload.put("latency_light_messages", lightMessages);
    workload.put("latency_light_interval_ms", LIGHT_INTERVAL_MS);
    workload.put("latency_saturating_messages", saturatingMessages);
    workload.put("start_runs", startRuns);
    workload.put("message_body_bytes", MESSAGE_BODY_BYTES);
  }
}
