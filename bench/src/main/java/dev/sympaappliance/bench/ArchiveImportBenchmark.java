package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An mbox into a list's archive: {@code sympa-appliance-archive import} of an mbox written by the
 * archive test's generator (Python's mailbox and email: 10,000 messages over 12 months, a 2 MB
 * attachment among them) into a running full list server, timed from the command's start to its end
 * (the arctxt files and the web archive rebuilt with MHonArc); the messages of the archive are
 * counted afterwards.
 */
final class ArchiveImportBenchmark implements Benchmark {
  static final String DOMAIN = "lists.example.org";
  static final String LIST = "team";

  /** The archive test's generator, from the repository's root (where bench/run.sh runs). */
  static final Path GENERATOR = Path.of("e2e-tests/src/test/resources/archive/make-mbox.py");

  @Override
  public String name() {
    return "archive import";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    int messages = ctx.settings.smoke() ? 500 : 10_000;
    int months = ctx.settings.smoke() ? 6 : 12;
    Path mbox = ctx.work.resolve("archive.mbox");
    long g0 = System.nanoTime();
    Processes.run(
        List.of(
            "python3",
            GENERATOR.toString(),
            "--count",
            String.valueOf(messages),
            "--months",
            String.valueOf(months),
            mbox.toString(),
            ctx.work.resolve("archive.json").toString()));
    double generated = (System.nanoTime() - g0) / 1e9;

    Path spec = ctx.work.resolve("archive.yaml");
    Files.writeString(
        spec,
        "domain: "
            + DOMAIN
            + "\nlistmaster: listmaster@example.org\nrelayhost: sink\nlists:\n  - name: "
            + LIST
            + "\n    owners: [owner@example.org]\n");
    String image = DistributionBenchmark.build(ctx, "archive", List.of("--spec", spec.toString()));
    String c =
        ctx.docker.startContainer(
            ctx.docker.createNetwork("archive"),
            "lists",
            image,
            List.of("--hostname", "mx." + DOMAIN),
            List.of());
    ctx.docker.awaitHealthy(c, 600);
    Processes.run(List.of("docker", "cp", mbox.toString(), c + ":/tmp/archive.mbox"));
    Processes.inContainer(c, "chmod 644 /tmp/archive.mbox");

    long t0 = System.nanoTime();
    String printed =
        Processes.inContainer(
                c, "sympa-appliance-archive import " + LIST + "@" + DOMAIN + " /tmp/archive.mbox")
            .out();
    double seconds = (System.nanoTime() - t0) / 1e9;
    int archived =
        Integer.parseInt(
            Processes.inContainer(
                    c,
                    "find /var/lib/sympa/arc/"
                        + LIST
                        + "@"
                        + DOMAIN
                        + " -path '*/arctxt/*' -type f"
                        + " | wc -l")
                .out()
                .trim());
    ctx.docker.remove(c);
    if (archived != messages) {
      throw new IllegalStateException(
          "the archive holds " + archived + " messages after the import, not " + messages);
    }

    ObjectNode out = results.putObject("archive_import");
    out.put("messages", messages);
    out.put("months", months);
    out.put("mbox_bytes", Files.size(mbox));
    out.put("generated_s", Math.round(generated * 10) / 10.0);
    out.put("seconds", Math.round(seconds * 10) / 10.0);
    out.put("per_s", Math.round(messages / seconds));
    out.put("summary", printed.lines().reduce((a, b) -> b).orElse("").strip());
    Log.info(
        String.format(
            "  sympa-appliance-archive: %d messages in %.1f s (%.0f/s)",
            messages, seconds, messages / seconds));
  }
}
