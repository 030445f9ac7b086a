package dev.sympaappliance.builder.base;

import dev.sympaappliance.builder.BuildFailedException;
import dev.sympaappliance.builder.FileTrees;
import dev.sympaappliance.builder.spec.Platform;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the base root filesystem with mmdebstrap once per {@link BaseRecipe#cacheKey()} and keeps
 * it under {@code CACHE/base/KEY/}. A build happens in a temporary directory that is moved into
 * place only when complete, so an interrupted build leaves nothing that looks usable.
 */
public final class BaseImageBuilder {
  static final String ARCHIVE_NAME = "base-image.tar";
  private static final int LOG_TAIL_LINES = 15;

  private final Path baseCache;
  private final Consumer<String> progress;

  public BaseImageBuilder(Path cacheDirectory, Consumer<String> progress) {
    this.baseCache = cacheDirectory.resolve("base");
    this.progress = progress;
  }

  public BaseImage ensure(BaseRecipe recipe) throws BuildFailedException {
    String key = recipe.cacheKey();
    Path finalDir = baseCache.resolve(key);
    Path archive = finalDir.resolve(ARCHIVE_NAME);
    if (Files.isRegularFile(archive)) {
      progress.accept(
          "base: reusing cached base root filesystem " + shortKey(key) + " (" + archive + ")");
      return new BaseImage(archive, key, recipe.architecture());
    }
    requireBuildTools();
    boolean emulated =
        !Platform.host().map(Platform::architecture).orElse("").equals(recipe.architecture());
    if (emulated) {
      requireEmulation(recipe.architecture());
    }
    progress.accept(
        "base: building Debian "
            + recipe.suite()
            + " "
            + recipe.architecture()
            + " root filesystem with mmdebstrap"
            + " (cache key "
            + shortKey(key)
            + (emulated
                ? "); under QEMU emulation this takes several minutes"
                : "); this takes under a minute"));
    long started = System.nanoTime();
    Path work = null;
    try {
      Files.createDirectories(baseCache);
      work = Files.createTempDirectory(baseCache, ".building-" + shortKey(key) + "-");
      Path rootfs = work.resolve("rootfs.tar");
      runRecipe(recipe, work, rootfs);
      progress.accept("base: wrapping the root filesystem as a base image");
      DockerArchiveWriter.write(
          rootfs,
          work.resolve(ARCHIVE_NAME),
          recipe.architecture(),
          recipe.healthCheck(),
          BaseImage.reference(key),
          "mmdebstrap " + recipe.suite() + " (sympa-appliance base recipe " + key + ")");
      Files.delete(rootfs);
      Files.writeString(work.resolve("recipe.env"), recipeDescription(recipe));
      moveIntoPlace(work, finalDir);
      work = null;
      progress.accept(
          String.format(
              "base: built in %.1f s, cached at %s",
              (System.nanoTime() - started) / 1e9, finalDir));
      return new BaseImage(archive, key, recipe.architecture());
    } catch (IOException e) {
      throw new BuildFailedException(
          "cannot build the base image in " + baseCache + ": " + describe(e), e);
    } finally {
      if (work != null) {
        FileTrees.deleteRecursively(work);
      }
    }
  }

  private void runRecipe(BaseRecipe recipe, Path work, Path rootfs)
      throws IOException, BuildFailedException {
    Path script = work.resolve(BaseRecipe.SCRIPT_RESOURCE);
    Files.writeString(script, recipe.script());
    for (Map.Entry<String, String> source : recipe.sources().entrySet()) {
      Files.writeString(work.resolve(source.getKey()), source.getValue());
    }
    Path log = work.resolve("mmdebstrap.log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString(), rootfs.toString())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(recipe.environment());
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = pb.start();
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter logWriter = new PrintWriter(Files.newBufferedWriter(log))) {
      String line;
      while ((line = out.readLine()) != null) {
        logWriter.println(line);
        if (line.startsWith("I: ") || line.startsWith("W: ") || line.startsWith("E: ")) {
          progress.accept("base | " + line);
        }
        tail.addLast(line);
        if (tail.size() > LOG_TAIL_LINES) {
          tail.removeFirst();
        }
      }
    }
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BuildFailedException("interrupted while building the base root filesystem");
    }
    if (exit != 0) {
      // One line for the user; the whole log is kept outside the temporary build directory,
      // which is deleted, and named in that line.
      throw new BuildFailedException(
          "mmdebstrap failed (exit " + exit + ")" + lastError(tail) + "; " + keepLog(log, recipe));
    }
  }

  /** The last "E: " line of the output, else its last non-blank line, on one printable line. */
  private static String lastError(Deque<String> tail) {
    String chosen = null;
    for (String line : tail) {
      if (line.startsWith("E: ")) {
        chosen = line;
      }
    }
    if (chosen == null) {
      for (String line : tail) {
        if (!line.isBlank()) {
          chosen = line;
        }
      }
    }
    if (chosen == null) {
      return "";
    }
    String printable = chosen.replaceAll("\\p{Cntrl}|\\p{Zl}|\\p{Zp}", " ").strip();
    return printable.isEmpty() ? "" : ": " + printable;
  }

  /** Moves the build log next to the cached bases (never into a base's own directory). */
  private String keepLog(Path log, BaseRecipe recipe) {
    Path kept = baseCache.resolve("mmdebstrap-" + shortKey(recipe.cacheKey()) + ".failed.log");
    try {
      Files.move(log, kept, StandardCopyOption.REPLACE_EXISTING);
      return "full log: " + kept;
    } catch (IOException e) {
      return "its log could not be kept (" + describe(e) + ")";
    }
  }

  private static void requireBuildTools() throws BuildFailedException {
    if (!onPath("mmdebstrap")) {
      throw new BuildFailedException(
          "mmdebstrap is not installed; it builds the base root filesystem"
              + " (Debian/Ubuntu: apt-get install mmdebstrap)");
    }
    if (!"0".equals(currentUid())) {
      throw new BuildFailedException(
          "building the base root filesystem needs root (mmdebstrap --mode=root);"
              + " run the first build as root, later builds reuse the cached base");
    }
  }

  /**
   * Another architecture's packages run their maintainer scripts under QEMU user emulation, which
   * the kernel must hand that architecture's binaries to: a binfmt_misc entry named after it.
   */
  private static void requireEmulation(String architecture) throws BuildFailedException {
    Platform platform =
        java.util.Arrays.stream(Platform.values())
            .filter(p -> p.architecture().equals(architecture))
            .findFirst()
            .orElseThrow(
                () -> new BuildFailedException("no platform has the architecture " + architecture));
    Path entry = Path.of("/proc/sys/fs/binfmt_misc/qemu-" + platform.machine());
    String state;
    try {
      state = Files.isRegularFile(entry) ? Files.readString(entry) : "";
    } catch (IOException e) {
      state = "";
    }
    if (!state.startsWith("enabled")) {
      throw new BuildFailedException(
          "building for "
              + platform.id()
              + " on this "
              + Platform.host().map(Platform::id).orElse(System.getProperty("os.arch"))
              + " host needs QEMU user emulation registered with binfmt_misc ("
              + entry
              + (Files.exists(entry) ? " is disabled" : " is missing")
              + "); Debian/Ubuntu: apt-get install qemu-user-static binfmt-support,"
              + " and if /proc/sys/fs/binfmt_misc is empty: mount -t binfmt_misc binfmt_misc"
              + " /proc/sys/fs/binfmt_misc && update-binfmts --enable");
    }
  }

  private static String currentUid() {
    return Long.toString(new com.sun.security.auth.module.UnixSystem().getUid());
  }

  static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static void moveIntoPlace(Path work, Path finalDir) throws IOException {
    try {
      Files.move(work, finalDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cache directory does not support atomic renames: " + finalDir, e);
    } catch (java.nio.file.FileSystemException e) {
      // Another build of the same key finished first: its result is as good as ours. (Renaming
      // onto its non-empty directory fails with ENOTEMPTY, which the JDK reports as a plain
      // FileSystemException "Directory not empty", not as DirectoryNotEmptyException.)
      if (!Files.isDirectory(finalDir)) {
        throw e;
      }
      FileTrees.deleteRecursively(work);
    }
  }

  private static String recipeDescription(BaseRecipe recipe) {
    StringBuilder out = new StringBuilder();
    recipe.environment().forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    return out.toString();
  }

  static String shortKey(String key) {
    return key.substring(0, 12);
  }

  private static String describe(IOException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (message.contains("No space left on device")) {
      return "no space left on device";
    }
    return message;
  }
}
