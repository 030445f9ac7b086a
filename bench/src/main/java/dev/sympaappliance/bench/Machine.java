package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The "machine" object of the results file: hardware, software versions, load at start. */
final class Machine {
  private Machine() {}

  static ObjectNode describe(BuilderJar builder) throws Exception {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (l.startsWith("MemTotal:")) {
        m.put("memory_mib", ProcFs.field(List.of(l), "MemTotal:") / 1024);
      }
    }
    m.put("cpu_model", output("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"));
    m.put("kernel", output("uname", "-r"));
    m.put("os", output("sh", "-c", ". /etc/os-release && echo \"$PRETTY_NAME\""));
    m.put("docker_engine", output("docker", "version", "-f", "{{.Server.Version}}"));
    m.put("docker_storage_driver", output("docker", "info", "-f", "{{.Driver}}"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put(
        "maven",
        Processes.tryRun(List.of("sh", "-c", "mvn -B -v 2>/dev/null | head -1"))
            .out()
            .replaceAll("\u001b\\[[0-9;]*m", "")
            .trim());
    m.put("mmdebstrap", output("sh", "-c", "mmdebstrap --version 2>/dev/null"));
    m.put("builder", output("java", "-jar", builder.jar().toString(), "--version"));
    m.put("git_commit", output("git", "rev-parse", "--short", "HEAD"));
    m.put("git_dirty", !output("git", "status", "--porcelain").isBlank());
    m.put("load_average_at_start", Files.readString(Path.of("/proc/loadavg")).trim());
    m.put(
        "note",
        "one run on a shared 2-core machine (other jobs may run concurrently): compare the ratios");
    return m;
  }

  private static String output(String... cmd) throws Exception {
    return Processes.tryRun(List.of(cmd)).out().trim();
  }
}
