package dev.sympaappliance.e2e.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One of Sympa's spool directories inside a running appliance. */
public final class Spool {
  /** A spool file: its name and full content. */
  public record SpoolFile(String name, String content) {
    public String firstLine() {
      int end = content.indexOf('\n');
      return end < 0 ? content : content.substring(0, end);
    }
  }

  private final ToolsApplianceContainer container;
  private final String directory;

  public Spool(ToolsApplianceContainer container, String directory) {
    this.container = container;
    this.directory = directory;
  }

  /**
   * Finished spool files (queue writes T.* and renames it when complete) that contain {@code
   * token}; none when the directory is missing.
   */
  public List<SpoolFile> filesContaining(String token) {
    String names =
        container.execOk(
            "[ -d "
                + Shell.quote(directory)
                + " ] || exit 0; cd "
                + Shell.quote(directory)
                + " && for f in *; do case \"$f\" in T.*|'*') ;; *) grep -lF -e "
                + Shell.quote(token)
                + " -- \"$f\" || true;; esac; done");
    List<SpoolFile> files = new ArrayList<>();
    for (String name : names.split("\n")) {
      if (!name.isBlank()) {
        files.add(
            new SpoolFile(name, container.execOk("cat -- " + Shell.quote(directory + "/" + name))));
      }
    }
    return files;
  }

  /**
   * Names of queue's temporary files (T.*, written but not renamed); none when the directory is
   * missing.
   */
  public List<String> temporaryFiles() {
    String names =
        container.execOk(
            "[ -d "
                + Shell.quote(directory)
                + " ] || exit 0; cd "
                + Shell.quote(directory)
                + " && for f in T.*; do [ -e \"$f\" ] && printf '%s\\n' \"$f\"; done; true");
    return names.lines().filter(name -> !name.isBlank()).toList();
  }

  /**
   * Polls until a finished file contains {@code token} and Postfix's queue is empty (so every
   * delivery attempt, including any duplicate, is over), or until the deadline; returns the files.
   */
  public List<SpoolFile> awaitFilesContaining(String token, Duration deadline)
      throws InterruptedException {
    return Poll.until(
        () -> filesContaining(token),
        found -> !found.isEmpty() && container.queuedMessages().isEmpty(),
        deadline,
        Duration.ofMillis(200));
  }
}
