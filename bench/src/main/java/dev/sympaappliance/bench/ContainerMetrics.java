package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running container's figures from the host's cgroup v1 hierarchy (memory, CPU time) and its
 * processes' memory from the host's /proc (PSS needs ptrace rights the container lacks).
 */
final class ContainerMetrics {
  private final String id;
  private final Path memory; // null without the cgroup v1 memory controller

  private ContainerMetrics(String id, Path memory) {
    this.id = id;
    this.memory = memory;
  }

  static ContainerMetrics of(Docker docker, String container) throws Exception {
    String id = docker.inspect(container, "{{.Id}}");
    Path v1 = Path.of("/sys/fs/cgroup/memory/docker/" + id);
    return new ContainerMetrics(id, Files.isDirectory(v1) ? v1 : null);
  }

  boolean hasMemory() {
    return memory != null;
  }

  /** Total RSS of the container (memory.stat total_rss), KiB; 0 when unreadable. */
  long totalRssKib() {
    return memStat("total_rss") / 1024;
  }

  /** Peak memory use (memory.max_usage_in_bytes), KiB; 0 when unreadable. */
  long peakMemoryKib() {
    try {
      return Long.parseLong(Files.readString(memory.resolve("memory.max_usage_in_bytes")).trim())
          / 1024;
    } catch (Exception e) {
      return 0;
    }
  }

  /** CPU time of all the container's processes (cpuacct.usage), ns, or -1. */
  long cpuNanos() {
    try {
      return Long.parseLong(
          Files.readString(Path.of("/sys/fs/cgroup/cpuacct/docker/" + id + "/cpuacct.usage"))
              .trim());
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * Per command: count, RSS and PSS (sums and each) of the container's processes; and
   * container_total_rss_kib.
   */
  ObjectNode sampleProcesses() throws IOException {
    Map<String, long[]> agg = new LinkedHashMap<>();
    for (String pid : Files.readAllLines(memory.resolve("cgroup.procs"))) {
      try {
        String comm = Files.readString(Path.of("/proc", pid, "comm")).trim();
        long rss = ProcFs.field(Files.readAllLines(Path.of("/proc", pid, "status")), "VmRSS:");
        long pss = ProcFs.field(Files.readAllLines(Path.of("/proc", pid, "smaps_rollup")), "Pss:");
        long[] a = agg.computeIfAbsent(comm, k -> new long[3]);
        a[0]++;
        a[1] += rss;
        a[2] += pss;
      } catch (IOException e) {
        // exited meanwhile
      }
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    agg.forEach(
        (k, a) ->
            o.putObject(k)
                .put("count", a[0])
                .put("rss_kib", a[1])
                .put("pss_kib", a[2])
                .put("pss_kib_each", a[0] == 0 ? 0 : a[2] / a[0])
                .put("rss_kib_each", a[0] == 0 ? 0 : a[1] / a[0]));
    o.put("container_total_rss_kib", totalRssKib());
    return o;
  }

  private long memStat(String key) {
    try {
      for (String l : Files.readAllLines(memory.resolve("memory.stat"))) {
        if (l.startsWith(key + " ")) {
          return Long.parseLong(l.substring(key.length() + 1).trim());
        }
      }
    } catch (Exception e) {
      // no cgroup v1 memory controller
    }
    return -1;
  }
}
