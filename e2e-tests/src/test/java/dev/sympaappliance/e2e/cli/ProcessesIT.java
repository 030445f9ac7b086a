package dev.sympaappliance.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper behind ComposeProject and OperationalErrorsIT: a hung command (here one that keeps its
 * output open, as a hung compose or build does) ends at the deadline, with its children.
 */
class ProcessesIT {
  @Test
  void aHungCommandTimesOutAndItsChildrenAreKilled(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("child.pid");
    List<String> command =
        List.of("sh", "-c", "echo started; sleep 300 & echo $! > " + pidFile + "; wait");

    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () ->
            assertThatThrownBy(() -> Processes.run(command, dir, Map.of(), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("timed out")
                .hasMessageContaining("started"));

    long child = Long.parseLong(Files.readString(pidFile).strip());
    boolean alive =
        Poll.until(
            () -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
            a -> !a,
            Duration.ofSeconds(5),
            Duration.ofMillis(50));
    assertThat(alive).as("the sleeping child is still alive").isFalse();
  }

  @Test
  void outputAndExitStatusOfAFinishedCommand(@TempDir Path dir) {
    Processes.Result result =
        Processes.run(
            List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
            dir,
            Map.of(),
            Duration.ofSeconds(20));
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
  }
}
