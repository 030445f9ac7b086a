package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.render.DeploymentRenderer;
import dev.sympaappliance.builder.render.RenderedConfig;
import dev.sympaappliance.builder.render.RenderedFile;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    versionProvider = BuilderCli.Version.class,
    description =
        "Write the generated files to a directory, without building anything: the image's files"
            + " (for inspection), or what an orchestrator deploys.")
final class RenderCommand implements Callable<Integer> {
  enum Format {
    files,
    swarm,
    kubernetes
  }

  @Mixin SpecOptions specOptions;

  @Option(
      names = "--format",
      paramLabel = "files|swarm|kubernetes",
      defaultValue = "files",
      description =
          "files: the image's files, under DIR/<path in the image>; swarm: DIR/stack.yml, a Docker"
              + " stack; kubernetes: DIR/sympa.yaml and DIR/volumes.yaml (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write into; files go to DIR/<path in the image>.")
  String out;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    ApplianceSpec spec = specOptions.toSpec();
    Path dir = OutputPaths.directory("--out", out);
    PrintWriter stdout = command.commandLine().getOut();
    if (format != Format.files) {
      RenderedConfig files =
          new DeploymentRenderer()
              .render(
                  spec,
                  format == Format.swarm
                      ? DeploymentRenderer.Format.SWARM
                      : DeploymentRenderer.Format.KUBERNETES,
                  "--format");
      for (var written : files.writeTo(dir)) {
        stdout.println(written);
      }
      return 0;
    }
    RenderedConfig config =
        new ApplianceBuilder(ApplianceBuilder.defaultCacheDirectory(), line -> {}).render(spec);
    config.writeTo(dir);
    for (RenderedFile file : config.files()) {
      stdout.println(
          dir.resolve(file.path().substring(1))
              + "  ("
              + file.octalMode()
              + " "
              + file.uid()
              + ":"
              + file.gid()
              + " in the image)");
    }
    return 0;
  }
}
