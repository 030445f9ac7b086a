package dev.sympaappliance.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's way to the same change, for comparison, as the issue that asked for it measured it: a
 * Dockerfile FROM the image built before (entrypoint, settings and the base already there) that
 * COPYs the files `builder render` makes, with the same owners and modes (one COPY per owner),
 * built by the legacy builder (no BuildKit without buildx here) and without labels (each LABEL is a
 * step of its own, about 0.17 s). Files of the earlier configuration that the new one lacks stay in
 * such an image; for a timing, the COPY of every rendered file is the work.
 */
final class DockerfileBaseline {
  /** Seconds of the separate `builder render` and of the `docker build`. */
  record Timing(double renderSeconds, double buildSeconds) {}

  private static final Pattern RENDERED =
      Pattern.compile("^(\\S+)\\s+\\((\\d+) (\\d+):(\\d+) in the image\\)$");

  private final BenchContext ctx;
  private final String baseRef;
  private final Path dir;
  private final List<String> specArgs;

  /**
   * BASE_REF: the image to build on (the one built before); DIR: the build context, rewritten by
   * each build; SPEC_ARGS: the builder's spec options that render the files (the flavour's).
   */
  DockerfileBaseline(BenchContext ctx, String baseRef, Path dir, List<String> specArgs) {
    this.ctx = ctx;
    this.baseRef = baseRef;
    this.dir = dir;
    this.specArgs = specArgs;
  }

  /** The Dockerfile of the last build. */
  String dockerfile() throws Exception {
    return Files.readString(dir.resolve("Dockerfile"));
  }

  Timing build(List<String> lists) throws Exception {
    Processes.deleteTree(dir);
    Path rendered = dir.resolve("rendered");
    long t0 = System.nanoTime();
    String out = ctx.builder.render(specArgs, lists, rendered);
    double renderS = (System.nanoTime() - t0) / 1e9;
    Map<String, List<String[]>> byOwner = new LinkedHashMap<>(); // "uid:gid" -> [path, mode]
    for (String l : out.split("\n")) {
      Matcher m = RENDERED.matcher(l.trim());
      if (m.matches()) {
        byOwner
            .computeIfAbsent(m.group(3) + ":" + m.group(4), k -> new ArrayList<>())
            .add(new String[] {m.group(1), m.group(2)});
      }
    }
    StringBuilder df = new StringBuilder("FROM " + baseRef + "\n");
    for (var e : byOwner.entrySet()) {
      String ownerDir = "owner-" + e.getKey().replace(':', '-');
      for (String[] f : e.getValue()) {
        Path src = Path.of(f[0]);
        Path dst = dir.resolve(ownerDir).resolve(rendered.relativize(src));
        Files.createDirectories(dst.getParent());
        Files.copy(src, dst);
        Processes.run(List.of("chmod", f[1], dst.toString()));
      }
      df.append("COPY --chown=").append(e.getKey()).append(' ').append(ownerDir).append("/ /\n");
    }
    Files.writeString(dir.resolve("Dockerfile"), df.toString());
    Processes.deleteTree(rendered);
    t0 = System.nanoTime();
    ctx.docker.build(dir, ctx.docker.prefix() + ":dockerfile");
    double buildS = (System.nanoTime() - t0) / 1e9;
    Log.info(
        String.format(
            "  docker build (%s): %.2f s (+ render %.2f s)",
            String.join(",", lists), buildS, renderS));
    return new Timing(renderS, buildS);
  }
}
