package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.render.RenderedConfig;
import dev.sympaappliance.builder.render.RenderedFile;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Grammar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "render", mixinStandardHelpOptions = true, versionProvider = BuilderCli.Version.class,
    description = "Write the generated files to a directory for inspection, without building anything.")
final class RenderCommand implements Callable<Integer> {
  @Mixin SpecOptions specOptions;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Directory to write into; files go to DIR/<path in the image>.")
  String out;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    ApplianceSpec spec = specOptions.toSpec();
    Path dir = Grammar.outputDirectory("--out", out);
    RenderedConfig config = new ApplianceBuilder(ApplianceBuilder.defaultCacheDirectory(), line -> { }).render(spec);
    config.writeTo(dir);
    PrintWriter stdout = command.commandLine().getOut();
    for (RenderedFile file : config.files()) {
      stdout.println(dir.resolve(file.path().substring(1)) + "  (" + file.octalMode() + " "
          + file.uid() + ":" + file.gid() + " in the image)");
    }
    return 0;
  }
}
