package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The appliance image's size ("image_size"): uncompressed, gzipped, and its biggest directories.
 */
final class SizeBenchmark implements Benchmark {
  @Override
  public String name() {
    return "size";
  }

  @Override
  public void run(BenchContext ctx, ObjectNode results) throws Exception {
    String image = ctx.appliance();
    ObjectNode out = results.putObject("image_size");
    long bytes = Long.parseLong(ctx.docker.inspectImage(image, "{{.Size}}"));
    out.put("uncompressed_bytes", bytes);
    String gz =
        Processes.run(
                List.of(
                    "bash", "-o", "pipefail", "-c", "docker save " + image + " | gzip -c | wc -c"))
            .out()
            .trim();
    out.put("compressed_bytes", Long.parseLong(gz));
    out.put("compressed_note", "docker save | gzip (level 6) | wc -c");
    String du =
        ctx.docker.runOnce(List.of("--entrypoint", "sh", image, "-c", "du -kx -d 3 / 2>/dev/null"));
    List<String[]> entries = new ArrayList<>(); // [KiB, path]
    for (String l : du.split("\n")) {
      String[] p = l.trim().split("\\s+", 2);
      if (p.length == 2) {
        entries.add(p);
      }
    }
    // Contributors: the biggest directories at depth 3 (e.g. /usr/lib/x86_64-linux-gnu).
    list(out.putArray("biggest_contributors"), entries, 3, 3);
    list(out.putArray("top_level"), entries, 1, 5);
    Log.info("  image size " + bytes + " B, gzip " + gz + " B");
  }

  /** The LIMIT biggest ENTRIES at DEPTH (1 = top level), as {path, kib}. */
  private static void list(ArrayNode into, List<String[]> entries, int depth, int limit) {
    entries.stream()
        .filter(p -> p[1].split("/").length == depth + 1)
        .sorted(Comparator.comparingLong((String[] p) -> Long.parseLong(p[0])).reversed())
        .limit(limit)
        .forEach(p -> into.addObject().put("path", p[1]).put("kib", Long.parseLong(p[0])));
  }
}
