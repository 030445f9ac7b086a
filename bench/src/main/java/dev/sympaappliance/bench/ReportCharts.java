package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The report's three SVG charts (builds, mail intake, latency), made from the results file. */
final class ReportCharts {
  private ReportCharts() {}

  /** Writes benchmarks-build.svg, benchmarks-mail.svg and benchmarks-latency.svg into DOCS. */
  static void write(JsonNode r, Path docs) throws IOException {
    JsonNode b = r.path("build");
    JsonNode in = r.path("intake");
    JsonNode lat = r.path("latency");
    BarChart builds = new BarChart("Build time (s): median, whiskers min–max", "s", false);
    for (String flavour : List.of("tools", "full")) {
      JsonNode rb = r.path("rebuild").path(flavour);
      builds
          .add("rebuild, " + flavour + ": docker build", rb.path("docker_build_s"))
          .add("rebuild, " + flavour + ": builder API in a JVM", rb.path("in_jvm_s"))
          .add("rebuild, " + flavour + ": bin/builder", rb.path("cli_bin_builder_s"))
          .add("rebuild, " + flavour + ": java -jar, as before", rb.path("cli_before_s"));
    }
    Files.writeString(
        docs.resolve("benchmarks-build.svg"),
        builds
            .add("build, base cached (Jib cache empty)", b.path("base_cached_s"))
            .add("cold build (mmdebstrap + Jib)", b.path("cold_s"))
            .svg());
    Files.writeString(
        docs.resolve("benchmarks-mail.svg"),
        new BarChart(
                "Mail intake (messages/s, log scale): median, whiskers min–max", "msgs/s", true)
            .add("smtp-sink (SMTP path limit)", in.path("smtp_sink_msgs_per_s"))
            .add("appliance SMTP acceptance", in.path("smtp_accept_msgs_per_s"))
            .add("spool intake, appliance (one list)", in.path("spool_intake_msgs_per_s"))
            .add("spool intake, appliance, 100 slots", in.path("guard_100_spool_intake_msgs_per_s"))
            .add(
                "spool intake, how-to line, 500 slots",
                in.path("howto_500_spool_intake_msgs_per_s"))
            .add("spool intake, how-to line, defaults", in.path("howto_spool_intake_msgs_per_s"))
            .svg());
    BarChart latency =
        new BarChart(
            "SMTP 250 → spool file latency (ms, log scale): median, whiskers min–max", "ms", true);
    for (String load : Report.LOADS) {
      for (String p : Report.PERCENTILES) {
        latency.add(load + " load " + p, lat.path(load).path(p + "_ms"));
      }
    }
    Files.writeString(docs.resolve("benchmarks-latency.svg"), latency.svg());
  }
}
