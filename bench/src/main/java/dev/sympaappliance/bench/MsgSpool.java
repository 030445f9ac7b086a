package dev.sympaappliance.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sympa's incoming spool (/var/spool/sympa/msg) of a running appliance: complete files only (not
 * queue's T.* files still being written), read from the host when it can, else by docker exec.
 */
final class MsgSpool {
  static final String PATH = "/var/spool/sympa/msg";

  private final String container;
  private final Path onHost; // null: docker exec

  MsgSpool(Docker docker, String container) {
    this.container = container;
    this.onHost = docker.hostPath(container, PATH);
  }

  int count() throws Exception {
    if (onHost != null) {
      try (var s = Files.list(onHost)) {
        return (int) s.filter(p -> !p.getFileName().toString().startsWith("T.")).count();
      } catch (IOException e) {
        // fall through
      }
    }
    String out =
        Processes.inContainer(
                container, "find " + PATH + " -maxdepth 1 -type f ! -name 'T.*' | wc -l")
            .out()
            .trim();
    return Integer.parseInt(out);
  }

  /** File name -> mtime, epoch seconds. */
  Map<String, Double> mtimes() throws Exception {
    String out =
        Processes.inContainer(
                container,
                "cd " + PATH + " && find . -maxdepth 1 -type f ! -name 'T.*' -printf '%T@ %f\\n'")
            .out();
    Map<String, Double> m = new HashMap<>();
    for (String l : out.split("\n")) {
      String[] p = l.trim().split(" ", 2);
      if (p.length == 2) {
        m.put(p[1], Double.parseDouble(p[0]));
      }
    }
    return m;
  }

  /** Message-ID (without brackets) -> mtime of its file, epoch seconds. */
  Map<String, Double> messageIdTimes() throws Exception {
    Map<String, Double> mtimes = mtimes();
    String out =
        Processes.tryRun(
                List.of(
                    "docker",
                    "exec",
                    container,
                    "sh",
                    "-c",
                    "cd "
                        + PATH
                        + " && find . -maxdepth 1 -type f ! -name 'T.*' -exec grep -H -m1 -i '^Message-ID:' {} +"))
            .out();
    Map<String, Double> byId = new HashMap<>();
    Pattern p = Pattern.compile("^\\./([^:]+):Message-ID:\\s*<([^>]+)>", Pattern.CASE_INSENSITIVE);
    for (String l : out.split("\n")) {
      Matcher m = p.matcher(l.trim());
      if (m.find() && mtimes.containsKey(m.group(1))) {
        byId.put(m.group(2), mtimes.get(m.group(1)));
      }
    }
    return byId;
  }
}
