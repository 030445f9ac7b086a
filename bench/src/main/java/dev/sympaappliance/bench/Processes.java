package dev.sympaappliance.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs commands to completion, standard error merged into the output. */
final class Processes {
  record Result(int exit, String out) {}

  private Processes() {}

  /** Runs CMD; throws, with the output's tail, when it exits non-zero. */
  /** Runs {@code script} with {@code sh -c} inside the running {@code container}. */
  static Result inContainer(String container, String script) throws Exception {
    return run(List.of("docker", "exec", container, "sh", "-c", script));
  }

  static Result run(List<String> cmd) throws Exception {
    return run(cmd, false, Map.of());
  }

  /** Runs CMD with ENV added to the environment; throws when it exits non-zero. */
  static Result run(List<String> cmd, Map<String, String> env) throws Exception {
    return run(cmd, false, env);
  }

  /** Runs CMD and returns whatever it did. */
  static Result tryRun(List<String> cmd) throws Exception {
    return run(cmd, true, Map.of());
  }

  /** rm -rf PATH, errors ignored. */
  static void deleteTree(Path path) {
    try {
      tryRun(List.of("rm", "-rf", path.toString()));
    } catch (Exception ignored) {
      // best effort
    }
  }

  private static Result run(List<String> cmd, boolean mayFail, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    if (exit != 0 && !mayFail) {
      throw new IllegalStateException(
          "command failed (exit " + exit + "): " + String.join(" ", cmd) + "\n" + tail(out));
    }
    return new Result(exit, out);
  }

  private static String tail(String s) {
    String[] l = s.split("\n");
    return String.join("\n", Arrays.copyOfRange(l, Math.max(0, l.length - 15), l.length));
  }
}
