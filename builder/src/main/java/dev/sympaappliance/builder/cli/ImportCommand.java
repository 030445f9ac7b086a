package dev.sympaappliance.builder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code builder import SOURCE}: lists of another list server, as a spec to review. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = BuilderCli.Version.class,
    subcommands = {ImportMailman3Command.class},
    description =
        "Read the lists of another list server and write them as a spec file, members files and a"
            + " report, to review before building.")
final class ImportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    command.commandLine().usage(command.commandLine().getErr());
    return BuilderCli.EXIT_USAGE;
  }
}
