package dev.sympaappliance.e2e.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Docker stack on a single-node swarm of this engine, driven with the docker CLI (`docker stack`,
 * `docker service`): the swarm is made for the stack and left again when it is removed, with what
 * swarm mode leaves behind (the stack's volumes, the docker_gwbridge network).
 */
public final class SwarmStack implements AutoCloseable {
  public final String name;

  private SwarmStack(String name) {
    this.name = name;
  }

  public static Processes.Result docker(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return Processes.run(command, null, Map.of(), timeout);
  }

  public static String dockerOk(String... args) {
    Processes.Result result = docker(Duration.ofMinutes(5), args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "docker "
              + String.join(" ", args)
              + " failed ("
              + result.exitCode()
              + "): "
              + result.output());
    }
    return result.stdout();
  }

  /** The node label by which a swarm this class made is known again after an interrupted run. */
  static final String MADE_HERE_LABEL = "dev.sympa-appliance.e2e-swarm";

  /**
   * Makes this engine a single-node swarm, creates the secrets from their values, and deploys the
   * stack files. The engine must be in no swarm, or in one this class made and an interrupted run
   * (a killed JVM or engine) left behind, known by its node label: that one is left first. Leaving
   * any other swarm would disturb whoever made it. What an earlier stack of the same name left
   * (containers, volumes with its data) is removed, so the stack starts on empty volumes.
   */
  public static SwarmStack deploy(String name, Map<String, String> secrets, Path... composeFiles)
      throws Exception {
    String state = dockerOk("info", "--format", "{{.Swarm.LocalNodeState}}").strip();
    if (!state.equals("inactive")) {
      String labels =
          docker(
                  Duration.ofMinutes(1),
                  "node",
                  "inspect",
                  "self",
                  "--format",
                  "{{range $k, $v := .Spec.Labels}}{{$k}} {{end}}")
              .stdout();
      if (!List.of(labels.strip().split(" ")).contains(MADE_HERE_LABEL)) {
        throw new IllegalStateException(
            "this Docker engine is already in a swarm ("
                + state
                + ") that the swarm test did not make: the test makes and leaves its own; run it"
                + " on an engine outside any swarm");
      }
      System.err.println(
          "[swarm] leaving the swarm an interrupted run of this test left behind (node label "
              + MADE_HERE_LABEL
              + ")");
      dockerOk("swarm", "leave", "--force");
    }
    removeWhatSwarmModeLeaves(name);
    dockerOk("swarm", "init", "--advertise-addr", "127.0.0.1");
    // `docker node update` takes no "self", unlike `docker node inspect`.
    String node = dockerOk("info", "--format", "{{.Swarm.NodeID}}").strip();
    dockerOk("node", "update", "--label-add", MADE_HERE_LABEL + "=true", node);
    SwarmStack stack = new SwarmStack(name);
    try {
      for (var secret : secrets.entrySet()) {
        Path file = Files.createTempFile("swarm-secret-", "");
        try {
          Files.writeString(file, secret.getValue() + "\n", StandardCharsets.UTF_8);
          dockerOk("secret", "create", secret.getKey(), file.toString());
        } finally {
          Files.delete(file);
        }
      }
      List<String> args = new ArrayList<>(List.of("stack", "deploy", "--resolve-image", "never"));
      for (Path file : composeFiles) {
        args.add("-c");
        args.add(file.toString());
      }
      args.add(name);
      dockerOk(args.toArray(String[]::new));
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  /** The stack's name for a service or network NAME: {@code STACK_NAME}. */
  public String scoped(String service) {
    return name + "_" + service;
  }

  /** IDs of the running containers of SERVICE's tasks. */
  public List<String> containers(String service) {
    return lines(
        dockerOk("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + scoped(service)));
  }

  /** Each container of SERVICE's tasks, with its health ("healthy", "starting", "none", …). */
  public List<String> healthOf(String service) {
    List<String> out = new ArrayList<>();
    for (String id : containers(service)) {
      out.add(
          dockerOk(
                  "inspect",
                  "--format",
                  "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}",
                  id)
              .strip());
    }
    return out;
  }

  /**
   * Waits until SERVICE runs {@code replicas} containers, each healthy (or without a health check).
   */
  public void awaitReady(String service, int replicas, Duration deadline)
      throws InterruptedException {
    List<String> health =
        Poll.untilOrLast(
            () -> healthOf(service),
            h ->
                h.size() == replicas
                    && h.stream().allMatch(s -> s.equals("healthy") || s.equals("none")),
            deadline,
            Duration.ofSeconds(2));
    if (health.size() != replicas
        || !health.stream().allMatch(s -> s.equals("healthy") || s.equals("none"))) {
      throw new AssertionError(
          scoped(service)
              + " did not get "
              + replicas
              + " ready containers in "
              + deadline
              + ": "
              + health
              + "\n"
              + docker(Duration.ofMinutes(1), "service", "ps", "--no-trunc", scoped(service))
                  .output());
    }
  }

  /** What `docker exec CONTAINER sh -c SCRIPT` prints; fails on a non-zero exit. */
  public static String exec(String container, String script) {
    return dockerOk("exec", container, "sh", "-c", script);
  }

  public static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /**
   * Removes the stack, waits for its containers to go, leaves the swarm and removes what it left.
   */
  @Override
  public void close() {
    docker(Duration.ofMinutes(2), "stack", "rm", name);
    try {
      Poll.untilOrLast(
          () ->
              lines(dockerOk("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + name)),
          List::isEmpty,
          Duration.ofSeconds(90),
          Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    docker(Duration.ofMinutes(2), "swarm", "leave", "--force");
    removeWhatSwarmModeLeaves(name);
  }

  /**
   * What outlives the swarm: the stack NAME's containers that are not gone yet (a volume in use
   * cannot be removed), its volumes and the docker_gwbridge network.
   */
  private static void removeWhatSwarmModeLeaves(String name) {
    List<String> left =
        lines(dockerOk("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + name));
    if (!left.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("rm", "-f"));
      rm.addAll(left);
      dockerOk(rm.toArray(String[]::new));
    }
    for (String volume : lines(dockerOk("volume", "ls", "-q", "--filter", "name=" + name + "_"))) {
      docker(Duration.ofMinutes(1), "volume", "rm", "-f", volume);
    }
    docker(Duration.ofMinutes(1), "network", "rm", "docker_gwbridge");
  }
}
