package dev.sympaappliance.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static final List<String> FILES =
      List.of(
          "benchmarks.md", "benchmarks-build.svg", "benchmarks-mail.svg", "benchmarks-latency.svg");

  private static Path fixture(String name) throws Exception {
    return Path.of(ReportTest.class.getResource("report/" + name).toURI());
  }

  /**
   * The report of an older smoke run (before the rebuild and distribution figures): unmeasured
   * figures show as n/a. The expected files are this Report's output for that file; regenerate them
   * with `bench/run.sh --report-only --results FIXTURE --docs DIR` when the report changes.
   */
  @Test
  void regeneratesTheReportOfASmokeRunByteForByte(@TempDir Path docs) throws Exception {
    Report.write(Results.read(fixture("smoke-results.json")), docs);
    for (String f : FILES) {
      assertThat(Files.readString(docs.resolve(f))).as(f).isEqualTo(Files.readString(fixture(f)));
    }
  }

  /** docs/ is what bench/results/latest.json makes (bench/run.sh --report-only changes nothing). */
  @Test
  void committedDocsAreTheReportOfTheCommittedResults(@TempDir Path docs) throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Report.write(Results.read(repo.resolve("bench/results/latest.json")), docs);
    for (String f : FILES) {
      assertThat(Files.readString(docs.resolve(f)))
          .as(f)
          .isEqualTo(Files.readString(repo.resolve("docs").resolve(f)));
    }
  }

  @Test
  void aFigureThatWasNotMeasuredIsNotApplicableAndHasNoBar(@TempDir Path docs) throws Exception {
    Report.write(Results.read(fixture("smoke-results.json")), docs);
    assertThat(Files.readString(docs.resolve("benchmarks.md")))
        .contains("| cold build (mmdebstrap from nothing) | n/a | | |\n");
    assertThat(Files.readString(docs.resolve("benchmarks-build.svg")))
        .contains("build, base cached (Jib cache empty)")
        .doesNotContain("cold build")
        .doesNotContain("rebuild, tools: builder API in a JVM");
  }

  /**
   * A run without --comparisons: the report has no rows, bars or sentences of the comparisons (no
   * "n/a" or 0 in their place) and says how to add them.
   */
  @Test
  void aRunWithoutTheComparisonsSaysHowToAddThem(@TempDir Path docs) throws Exception {
    ObjectNode r =
        (ObjectNode)
            Results.read(
                Path.of("..").toAbsolutePath().normalize().resolve("bench/results/latest.json"));
    ((ObjectNode) r.path("workload")).put("comparisons", false);
    ObjectNode in = (ObjectNode) r.path("intake");
    for (String v : List.of("howto", "howto_500", "guard_100")) {
      in.remove(
          List.of(
              v + "_runs",
              v + "_setup",
              v + "_messages",
              v + "_spool_intake_msgs_per_s",
              v + "_smtp_accept_msgs_per_s",
              v + "_ratio_intake_to_accept"));
    }
    ((ObjectNode) r.path("distribution"))
        .remove(
            List.of(
                "postfix_alone_packets_25",
                "tuned_small",
                "dkim",
                "ratio_one_click_over_tuned_small",
                "tuned_verp",
                "verp_members",
                "defaults",
                "defaults_memory_after",
                "ratio_tuned_over_postfix_alone_25",
                "ratio_tuned_over_defaults"));
    Report.write(r, docs);
    String md = Files.readString(docs.resolve("benchmarks.md"));
    assertThat(md)
        .contains("This run left out the comparisons")
        .contains("were not run: `bench/run.sh --comparisons` adds them", "Ratios (medians)")
        .doesNotContain("| how-to's line", "comparison: ", "| appliance, 100 slots")
        .doesNotContain(
            "More slots do not help", "Sympa's defaults (nrcpt", "packets of 25, 13 at a time")
        .doesNotContain("DKIM signing (Sympa's", "VERP sends", "n/a", " 0.00 ");
    assertThat(Files.readString(docs.resolve("benchmarks-mail.svg"))).doesNotContain("how-to");
  }
}
