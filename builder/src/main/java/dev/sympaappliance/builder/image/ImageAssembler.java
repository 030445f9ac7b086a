package dev.sympaappliance.builder.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.sympaappliance.builder.BuildFailedException;
import dev.sympaappliance.builder.FileTrees;
import dev.sympaappliance.builder.base.BaseImage;
import dev.sympaappliance.builder.render.ImagePaths;
import dev.sympaappliance.builder.render.RenderedConfig;
import dev.sympaappliance.builder.render.RenderedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Puts the rendered configuration as its own layer on the cached base with Jib and writes the
 * image to its target. Only the config layer changes between specs, so Jib's layer caches make a
 * config-only rebuild cheap.
 */
public final class ImageAssembler {
  public static final String TOOL_NAME = "sympa-appliance-builder";
  private static final String PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path cacheDirectory;
  private final Consumer<String> progress;

  public ImageAssembler(Path cacheDirectory, Consumer<String> progress) {
    this.cacheDirectory = cacheDirectory;
    this.progress = progress;
  }

  public BuiltImage assemble(BaseImage base, RenderedConfig config, ImageTarget target)
      throws BuildFailedException {
    Path staging = null;
    Path partialTar = null;
    try {
      staging = Files.createTempDirectory("sympa-appliance-config-");
      List<Path> written = config.writeTo(staging);
      FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("sympa appliance configuration");
      // Parent directories of these files are written by Jib as root 0755, which is what the base has.
      for (int i = 0; i < written.size(); i++) {
        RenderedFile file = config.files().get(i);
        layer.addEntry(new FileEntry(written.get(i), AbsoluteUnixPath.get(file.path()),
            FilePermissions.fromOctalString(file.octalMode()), FileEntriesLayer.DEFAULT_MODIFICATION_TIME,
            file.uid() + ":" + file.gid()));
      }

      JibContainerBuilder image = Jib.from(TarImage.at(base.archive()))
          .addFileEntriesLayer(layer.build())
          .setEntrypoint(ImagePaths.ENTRYPOINT)
          .setProgramArguments(List.of())
          .addEnvironmentVariable("PATH", PATH)
          .setExposedPorts(config.ports().stream().map(Port::tcp).collect(java.util.stream.Collectors.toSet()))
          .setVolumes(config.volumes().stream().map(AbsoluteUnixPath::get).collect(java.util.stream.Collectors.toSet()))
          .setWorkingDirectory(AbsoluteUnixPath.get("/"))
          .setUser("0:0")
          .setFormat(ImageFormat.Docker)
          .setCreationTime(Instant.EPOCH);

      Containerizer containerizer;
      if (target instanceof ImageTarget.TarFile tar) {
        Path parent = tar.path().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        partialTar = Files.createTempFile(parent, ".sympa-appliance-", ".tar.partial");
        containerizer = Containerizer.to(TarImage.at(partialTar).named(tar.reference()));
      } else {
        containerizer = Containerizer.to(DockerDaemonImage.named(target.reference()));
      }
      containerizer
          .setBaseImageLayersCache(cacheDirectory.resolve("jib").resolve("base-layers"))
          .setApplicationLayersCache(cacheDirectory.resolve("jib").resolve("config-layers"))
          .setToolName(TOOL_NAME)
          .setOfflineMode(true)
          .addEventHandler(LogEvent.class, this::onLog);

      progress.accept("image: assembling " + target.reference() + " (base " + base.cacheKey().substring(0, 12)
          + " + configuration layer of " + config.files().size() + " files)");
      JibContainer built = image.containerize(containerizer);
      if (target instanceof ImageTarget.TarFile tar) {
        Files.move(partialTar, tar.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        partialTar = null;
      }
      return new BuiltImage(target.reference(), built.getDigest().toString(), built.getImageId().toString(), target);
    } catch (ExecutionException e) {
      throw new BuildFailedException(explain(target, e.getCause() == null ? e : e.getCause()), e);
    } catch (IOException | RegistryException | CacheDirectoryCreationException | InvalidImageReferenceException e) {
      throw new BuildFailedException(explain(target, e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildFailedException("interrupted while assembling the image", e);
    } finally {
      deleteQuietly(partialTar);
      if (staging != null) {
        FileTrees.deleteRecursively(staging);
      }
    }
  }

  private void onLog(LogEvent event) {
    switch (event.getLevel()) {
      case LIFECYCLE, WARN, ERROR -> {
        if (!event.getMessage().isBlank()) {
          progress.accept("image: " + event.getMessage());
        }
      }
      default -> { }
    }
  }

  private static String explain(ImageTarget target, Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (message.contains("No space left on device")) {
      return "cannot write the image for " + target.reference() + ": no space left on device";
    }
    String firstLine = message.lines().findFirst().orElse(message);
    if (target instanceof ImageTarget.DockerDaemon) {
      return "cannot load the image into the Docker daemon: " + firstLine;
    }
    return "cannot assemble the image " + target.reference() + ": " + firstLine;
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // a leftover *.tar.partial never looks like a finished image
      }
    }
  }
}
