package dev.sympaappliance.bench;

/**
 * The smtp-sink's dumps (/sink/*, one file per message it accepted, with one X-Rcpt-Args line per
 * recipient), read in its container for {@link DistributionBenchmark}.
 */
final class SinkDumps {
  private SinkDumps() {}

  /**
   * What reached the sink of one post: its messages (SMTP transactions) and the newest dump's time
   * (epoch seconds).
   */
  record Arrival(int messages, double lastAt) {}

  /**
   * Polls the sink every 0.5 s until the dumps with SUBJECT hold N recipients; fails after 60 s
   * without progress.
   */
  static Arrival awaitRecipients(String sink, String subject, int n) throws Exception {
    int last = -1;
    long lastProgress = System.nanoTime();
    while (true) {
      String counts =
          Processes.inContainer(
                  sink,
                  "grep -l -F -e 'Subject: "
                      + subject
                      + "' /sink/* 2>/dev/null | xargs -r grep -c '^X-Rcpt-Args:' || true")
              .out();
      int recipients = 0;
      int messages = 0;
      for (String line : counts.split("\n")) {
        if (!line.isBlank()) {
          recipients += Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
          messages++;
        }
      }
      if (recipients >= n) {
        String newest =
            Processes.inContainer(
                    sink,
                    "grep -l -F -e 'Subject: "
                        + subject
                        + "' /sink/* | xargs -r stat -c %.9Y | sort -n | tail -1")
                .out()
                .trim();
        return new Arrival(messages, Double.parseDouble(newest));
      }
      if (recipients != last) {
        last = recipients;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > 60_000_000_000L) {
        throw new IllegalStateException(
            "the sink stalled at " + recipients + " of " + n + " recipients of '" + subject + "'");
      }
      Thread.sleep(500);
    }
  }

  /**
   * Proof that the one-click image's copies were what it is measured for: copies carrying
   * List-Unsubscribe-Post.
   */
  static int oneClickHeaders(String sink) throws Exception {
    return Integer.parseInt(
        Processes.inContainer(
                sink, "grep -rl '^List-Unsubscribe-Post: List-Unsubscribe=One-Click' /sink | wc -l")
            .out()
            .trim());
  }

  /** Removes every dump, before a run. */
  static void clear(String sink) throws Exception {
    Processes.inContainer(sink, "rm -f /sink/*");
  }
}
