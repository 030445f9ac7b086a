package dev.sympaappliance.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
}
