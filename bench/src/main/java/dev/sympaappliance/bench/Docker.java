package dev.sympaappliance.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The Docker CLI for one run: every container, network and image it makes carries the label
 * sympa-bench.run=RUN and a name starting sympa-bench-RUN, and {@link #cleanup} removes them.
 */
final class Docker {
  private final String label;
  private final String prefix;
  private final List<String> containers = Collections.synchronizedList(new ArrayList<>());
  private final List<String> networks = Collections.synchronizedList(new ArrayList<>());
  private final List<String> images = Collections.synchronizedList(new ArrayList<>());

  Docker(String runId) {
    this.label = "sympa-bench.run=" + runId;
    this.prefix = "sympa-bench-" + runId;
  }

  String label() {
    return label;
  }

  /** The start of every name of this run (image repositories included). */
  String prefix() {
    return prefix;
  }

  String createNetwork(String suffix) throws Exception {
    String network = prefix + "-" + suffix;
    Processes.run(List.of("docker", "network", "create", "--label", label, network));
    networks.add(network);
    return network;
  }

  /** An appliance container with the appliance's host name, once it answers 220 on port 25. */
  String startAppliance(String image, String network, String alias, List<String> command)
      throws Exception {
    String name =
        startContainer(network, alias, image, List.of("--hostname", Appliance.HOSTNAME), command);
    SmtpClient.awaitBanner(ip(name, network), 30);
    return name;
  }

  /** Waits for CONTAINER's health check to say healthy; the seconds it took from now. */
  double awaitHealthy(String container, int seconds) throws Exception {
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    while (!inspect(container, "{{.State.Health.Status}}").equals("healthy")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(container + " not healthy after " + seconds + " s");
      }
      Thread.sleep(200);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** docker run -d on NETWORK with the network alias ALIAS; returns the container's name. */
  String startContainer(
      String network, String alias, String image, List<String> opts, List<String> command)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--network", network, "--network-alias", alias));
    args.addAll(opts);
    args.add(image);
    args.addAll(command);
    return runDetached(prefix + "-" + alias + "-" + containers.size(), args);
  }

  /** docker run -d --label … --name NAME ARGS… (ARGS: options, image, command). */
  String runDetached(String name, List<String> args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("docker", "run", "-d", "--label", label, "--name", name));
    cmd.addAll(args);
    Processes.run(cmd);
    containers.add(name);
    return name;
  }

  /** docker run --rm --label … ARGS…; returns its output. */
  String runOnce(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "--rm", "--label", label));
    cmd.addAll(args);
    return Processes.run(cmd).out();
  }

  void remove(String container) throws Exception {
    Processes.tryRun(
        List.of("docker", "rm", "-f", "-v", container)); // -v: the spools are anonymous volumes
    containers.remove(container);
  }

  /**
   * docker build (the legacy builder, DOCKER_BUILDKIT=0; no label: it would be one more step) of
   * the context DIR as TAG, removed at cleanup.
   */
  void build(Path dir, String tag) throws Exception {
    Processes.run(
        List.of("docker", "build", "-q", "-t", tag, dir.toString()),
        Map.of("DOCKER_BUILDKIT", "0"));
    images.add(tag);
  }

  /** An image made by someone else (the builder) that cleanup must remove. */
  void adopt(String image) {
    images.add(image);
  }

  /** docker load -i ARCHIVE; returns its output. */
  String load(Path archive) throws Exception {
    return Processes.run(List.of("docker", "load", "-i", archive.toString())).out();
  }

  String inspect(String object, String format) throws Exception {
    return Processes.run(List.of("docker", "inspect", "-f", format, object)).out().trim();
  }

  String inspectImage(String image, String format) throws Exception {
    return Processes.run(List.of("docker", "image", "inspect", "-f", format, image)).out().trim();
  }

  String ip(String container, String network) throws Exception {
    return inspect(
        container, "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}");
  }

  /**
   * The container's PATH as a host directory (a volume at or above it, else overlay2's merged dir),
   * or null.
   */
  Path hostPath(String container, String path) {
    try {
      String mounts =
          Processes.tryRun(
                  List.of(
                      "docker",
                      "inspect",
                      "-f",
                      "{{range .Mounts}}{{.Destination}}={{.Source}}\n{{end}}",
                      container))
              .out();
      String best = null;
      String bestSource = null;
      for (String l : mounts.split("\n")) {
        int eq = l.indexOf('=');
        if (eq > 0) {
          String dest = l.substring(0, eq);
          if ((path.equals(dest) || path.startsWith(dest + "/"))
              && (best == null || dest.length() > best.length())) {
            best = dest;
            bestSource = l.substring(eq + 1).trim();
          }
        }
      }
      Path p;
      if (best != null) {
        p = Path.of(bestSource + path.substring(best.length()));
      } else {
        String merged =
            Processes.tryRun(
                    List.of(
                        "docker", "inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", container))
                .out()
                .trim();
        p = Path.of(merged + path);
      }
      return Files.isDirectory(p) ? p : null;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Removes what this run made and still exists: containers (with their volumes), networks, images.
   */
  void cleanup() {
    for (String c : new ArrayList<>(containers)) {
      quietly(List.of("docker", "rm", "-f", "-v", c));
    }
    for (String n : new ArrayList<>(networks)) {
      quietly(List.of("docker", "network", "rm", n));
    }
    for (String i : new LinkedHashSet<>(images)) {
      quietly(List.of("docker", "rmi", i));
    }
  }

  private static void quietly(List<String> cmd) {
    try {
      Processes.tryRun(cmd);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
