package dev.sympaappliance.builder.cli;

import static dev.sympaappliance.builder.spec.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the commands write: the file and directory paths' rules, checked against the filesystem.
 */
class OutputPathsTest {
  @Test
  void fileMayHoldSpacesAndUnicode(@TempDir Path dir) {
    String raw = dir.resolve("my image ä.tar").toString();
    assertThat(OutputPaths.file("--tar", raw)).isEqualTo(Path.of(raw));
  }

  @Test
  void fileMustNotBeAnExistingDirectory(@TempDir Path dir) {
    String raw = dir.toString();
    assertRejected(() -> OutputPaths.file("--tar", raw), "--tar", raw, "'" + raw + "'");
  }

  @Test
  void fileMustNotHoldALineFeed(@TempDir Path dir) {
    String raw = dir + "/a\nb.tar";
    assertRejected(() -> OutputPaths.file("--tar", raw), "--tar", raw, "'" + dir + "/a\\nb.tar'");
  }

  @Test
  void directoryMustNotBeAnExistingFile(@TempDir Path dir) throws IOException {
    String raw = Files.createFile(dir.resolve("file")).toString();
    assertRejected(() -> OutputPaths.directory("--out", raw), "--out", raw, "'" + raw + "'");
  }

  @Test
  void directoryMayNotExistYet(@TempDir Path dir) {
    String raw = dir.resolve("new dir").toString();
    assertThat(OutputPaths.directory("--out", raw)).isEqualTo(Path.of(raw));
    assertThat(Path.of(raw)).doesNotExist();
  }

  @Test
  void directoryMustNotBeEmpty() {
    assertRejected(() -> OutputPaths.directory("--out", ""), "--out", "", "''");
  }
}
