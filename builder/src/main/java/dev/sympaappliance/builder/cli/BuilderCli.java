package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.BuildFailedException;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** `builder`: exit codes 0 ok, 1 build or runtime failure, 2 bad input. */
@Command(
    name = "builder",
    mixinStandardHelpOptions = true,
    versionProvider = BuilderCli.Version.class,
    subcommands = {ImageCommand.class, RenderCommand.class, ImportCommand.class},
    description = "Builds a Postfix + Sympa mailing-list appliance image.")
public final class BuilderCli implements Callable<Integer> {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  @Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    command.commandLine().usage(command.commandLine().getErr());
    return EXIT_USAGE;
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new BuilderCli());
    for (CommandLine command : cli.getSubcommands().values()) {
      // The commands that describe an appliance (image, render), not those that make a spec.
      if (command.getCommandSpec().findOption("--spec") != null) {
        SpecOptions.addSettingOptions(command.getCommandSpec());
      }
    }
    // An option's value is the grammar's to judge, even when it looks like an option
    // (`--domain=-h.example.org` would otherwise be read as the -h option).
    cli.setAllowOptionsAsOptionParameters(true);
    // Usage errors in one line, like every other error: picocli's default adds the whole usage.
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          failed
              .getErr()
              .println(
                  "builder: "
                      + oneLine(e.getMessage())
                      + " (see: "
                      + failed.getCommandSpec().qualifiedName()
                      + " --help)");
          return EXIT_USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof InvalidSpecException) {
            commandLine.getErr().println("builder: " + e.getMessage());
            return EXIT_USAGE;
          }
          if (e instanceof BuildFailedException) {
            commandLine.getErr().println("builder: " + e.getMessage());
            return EXIT_FAILURE;
          }
          if (e instanceof IOException || e instanceof UncheckedIOException) {
            commandLine.getErr().println("builder: " + e.getMessage());
            return EXIT_FAILURE;
          }
          throw e;
        });
    return cli;
  }

  /**
   * Keeps a message on one line: control characters and Unicode line breaks are written as escapes.
   */
  static String oneLine(String message) {
    StringBuilder out = new StringBuilder();
    for (char c : String.valueOf(message).toCharArray()) {
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)
              || Character.getType(c) == Character.LINE_SEPARATOR
              || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** When {@link #main} was entered: the JVM's own start-up is the time before it. */
  static volatile long mainEntered;

  public static void main(String[] args) {
    mainEntered = System.nanoTime();
    System.exit(commandLine().execute(args));
  }

  /** Reads the version Maven filtered into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties props = new Properties();
      try (InputStream in =
          BuilderCli.class.getResourceAsStream("/dev/sympaappliance/builder/version.properties")) {
        if (in != null) {
          props.load(in);
        }
      }
      return new String[] {"sympa-appliance builder " + props.getProperty("version", "unknown")};
    }
  }
}
