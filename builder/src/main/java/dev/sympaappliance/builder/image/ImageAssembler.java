package dev.sympaappliance.builder.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
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
import com.google.cloud.tools.jib.event.events.TimerEvent;
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
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Puts the rendered configuration as its own layer on the cached base with Jib and writes the image
 * to its target. Only the config layer changes between specs, so Jib's layer caches make a
 * config-only rebuild cheap.
 */
public final class ImageAssembler {
  public static final String TOOL_NAME = "sympa-appliance-builder";
  private static final String LAYER_NAME = "sympa appliance configuration";
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path cacheDirectory;
  private final Consumer<String> progress;

  public ImageAssembler(Path cacheDirectory, Consumer<String> progress) {
    this.cacheDirectory = cacheDirectory;
    this.progress = progress;
  }

  public BuiltImage assemble(
      BaseImage base, RenderedConfig config, ImageTarget target, BuildTimings timings)
      throws BuildFailedException {
    return assemble(base, config, target, ImageFormat.Docker, timings);
  }

  /**
   * @param format of a tarball target: Docker (a `docker load`-able archive) or OCI (an OCI image
   *     layout, one platform's part of a multi-platform archive)
   */
  BuiltImage assemble(
      BaseImage base,
      RenderedConfig config,
      ImageTarget target,
      ImageFormat format,
      BuildTimings timings)
      throws BuildFailedException {
    Path staging = null;
    Path partialTar = null;
    try {
      staging = Files.createTempDirectory("sympa-appliance-config-");
      List<Path> written = config.writeTo(staging);
      FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(LAYER_NAME);
      // Parent directories of these files are written by Jib as root 0755, which is what the base
      // has.
      for (int i = 0; i < written.size(); i++) {
        RenderedFile file = config.files().get(i);
        layer.addEntry(
            new FileEntry(
                written.get(i),
                AbsoluteUnixPath.get(file.path()),
                FilePermissions.fromOctalString(file.octalMode()),
                FileEntriesLayer.DEFAULT_MODIFICATION_TIME,
                file.uid() + ":" + file.gid()));
      }

      // Into a daemon reached over its socket: the base comes from the daemon (loaded there once),
      // so Jib finds its layers in its cache by their diff IDs instead of unpacking the archive
      // again, and the load leaves those layers out. Otherwise (a tarball, or DOCKER_HOST on
      // another transport): the base archive and Jib's own docker CLI client.
      Optional<EngineDockerClient> engine =
          target instanceof ImageTarget.DockerDaemon
              ? EngineDockerClient.fromEnvironment(progress)
              : Optional.empty();
      JibContainerBuilder image;
      if (engine.isPresent()) {
        long started = System.nanoTime();
        EngineDockerClient.Details baseInDaemon =
            engine.get().ensureLoaded(base.reference(), base.imageId(), base.archive());
        timings.addBase(java.time.Duration.ofNanos(System.nanoTime() - started));
        engine.get().assumeLayersPresent(baseInDaemon.diffIds());
        image = Jib.from(engine.get(), DockerDaemonImage.named(base.reference()));
      } else {
        image = Jib.from(TarImage.at(base.archive()));
      }
      image
          .addFileEntriesLayer(layer.build())
          .setEntrypoint(ImagePaths.ENTRYPOINT)
          .setProgramArguments(List.of())
          .addEnvironmentVariable("PATH", PATH)
          .setExposedPorts(
              config.ports().stream().map(Port::tcp).collect(java.util.stream.Collectors.toSet()))
          .setVolumes(
              config.volumes().stream()
                  .map(AbsoluteUnixPath::get)
                  .collect(java.util.stream.Collectors.toSet()))
          .setWorkingDirectory(AbsoluteUnixPath.get("/"))
          .setUser("0:0")
          .setFormat(format)
          .setCreationTime(Instant.EPOCH);

      Containerizer containerizer;
      if (target instanceof ImageTarget.TarFile tar) {
        Path parent = tar.path().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        partialTar = Files.createTempFile(parent, ".sympa-appliance-", ".tar.partial");
        containerizer = Containerizer.to(TarImage.at(partialTar).named(tar.reference()));
      } else if (engine.isPresent()) {
        containerizer = Containerizer.to(engine.get(), DockerDaemonImage.named(target.reference()));
      } else {
        containerizer = Containerizer.to(DockerDaemonImage.named(target.reference()));
      }
      containerizer
          .setBaseImageLayersCache(cacheDirectory.resolve("jib").resolve("base-layers"))
          .setApplicationLayersCache(cacheDirectory.resolve("jib").resolve("config-layers"))
          .setToolName(TOOL_NAME)
          .setOfflineMode(true)
          .addEventHandler(LogEvent.class, this::onLog)
          .addEventHandler(TimerEvent.class, event -> timings.onJibTimer(event, LAYER_NAME));

      progress.accept(
          "image: assembling "
              + target.reference()
              + " for "
              + base.architecture()
              + " (base "
              + base.cacheKey().substring(0, 12)
              + " + configuration layer of "
              + config.files().size()
              + " files)");
      JibContainer built = image.containerize(containerizer);
      if (target instanceof ImageTarget.TarFile tar) {
        Files.move(
            partialTar,
            tar.path(),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        partialTar = null;
      }
      return BuiltImage.single(
          target.reference(),
          target,
          timings,
          new BuiltImage.PlatformImage(
              base.architecture(), built.getDigest().toString(), built.getImageId().toString()));
    } catch (ExecutionException e) {
      throw new BuildFailedException(explain(target, e.getCause() == null ? e : e.getCause()), e);
    } catch (IOException
        | RegistryException
        | CacheDirectoryCreationException
        | InvalidImageReferenceException e) {
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

  /**
   * One image per base (one base per platform) on the same configuration, joined into one
   * multi-platform OCI archive at the target's path: an image index over the platforms' images.
   */
  public BuiltImage assembleIndex(
      List<BaseImage> bases,
      RenderedConfig config,
      ImageTarget.TarFile target,
      BuildTimings timings)
      throws BuildFailedException {
    Path parent = target.path().toAbsolutePath().getParent();
    Path parts = null;
    Path partialIndex = null;
    try {
      Files.createDirectories(parent);
      parts = Files.createTempDirectory(parent, ".sympa-appliance-platforms-");
      List<OciIndexWriter.Part> written = new java.util.ArrayList<>();
      List<BuiltImage.PlatformImage> images = new java.util.ArrayList<>();
      for (BaseImage base : bases) {
        Path part = parts.resolve(base.architecture() + ".oci.tar");
        BuiltImage built =
            assemble(
                base,
                config,
                new ImageTarget.TarFile(target.reference(), part),
                ImageFormat.OCI,
                timings);
        images.addAll(built.images());
        written.add(new OciIndexWriter.Part("linux", base.architecture(), part));
      }
      progress.accept(
          "image: writing the image index over " + bases.size() + " platforms to " + target.path());
      partialIndex = Files.createTempFile(parent, ".sympa-appliance-", ".tar.partial");
      String digest =
          OciIndexWriter.write(
              written, partialIndex, ImageReference.parse(target.reference()).getQualifier());
      Files.move(
          partialIndex,
          target.path(),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      partialIndex = null;
      return new BuiltImage(target.reference(), digest, target, timings, images);
    } catch (IOException | InvalidImageReferenceException e) {
      throw new BuildFailedException(explain(target, e), e);
    } finally {
      deleteQuietly(partialIndex);
      if (parts != null) {
        FileTrees.deleteRecursively(parts);
      }
    }
  }

  private void onLog(LogEvent event) {
    switch (event.getLevel()) {
      case LIFECYCLE, WARN, ERROR -> {
        // Jib warns that a base named by tag may change under the build; the base from the daemon
        // is checked against the cached archive's image ID first (EngineDockerClient.ensureLoaded).
        if (!event.getMessage().isBlank()
            && !event.getMessage().contains("does not use a specific image digest")) {
          progress.accept("image: " + event.getMessage());
        }
      }
      default -> {}
    }
  }

  private static String explain(ImageTarget target, Throwable cause) {
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
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
