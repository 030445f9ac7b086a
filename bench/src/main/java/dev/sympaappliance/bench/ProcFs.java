package dev.sympaappliance.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads of the host's /proc. */
final class ProcFs {
  private ProcFs() {}

  /** The first number after KEY (e.g. "VmRSS:") in the line that starts with it, or 0. */
  static long field(List<String> lines, String key) {
    for (String l : lines) {
      if (l.startsWith(key)) {
        return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }

  /** [busy, total] jiffies of all cores from /proc/stat, or null. */
  static long[] cpuJiffies() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (Exception e) {
      return null;
    }
  }
}
