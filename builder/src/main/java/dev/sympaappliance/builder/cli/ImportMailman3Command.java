package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.mailman3.Mailman3Import;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "mailman3",
    mixinStandardHelpOptions = true,
    versionProvider = BuilderCli.Version.class,
    description =
        "Read one mail host's lists (settings, owners, moderators, members) from a running Mailman"
            + " 3 core's REST API; write DIR/lists.yaml, DIR/members/LIST.csv and"
            + " DIR/mailman3-report.txt.")
final class ImportMailman3Command implements Callable<Integer> {
  @Option(
      names = "--url",
      required = true,
      paramLabel = "URL",
      description = "Mailman core's REST API with its version, e.g. http://127.0.0.1:8001/3.1.")
  String url;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      defaultValue = "restadmin",
      description = "Mailman's [webservice] admin_user (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(
      names = "--password-file",
      required = true,
      paramLabel = "FILE",
      description = "A file holding Mailman's [webservice] admin_pass on its first line.")
  String passwordFile;

  @Option(
      names = "--mail-host",
      paramLabel = "DOMAIN",
      description =
          "The Mailman domain whose lists are imported; needed when several have lists. It becomes"
              + " the spec's domain.")
  String mailHost;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write into; it must be empty or new, unless --force.")
  String out;

  @Option(
      names = "--force",
      description =
          "Write into DIR even if it is not empty, replacing the files the import writes.")
  boolean force;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  /** A password file is small; more than this is not one. */
  private static final int MAX_PASSWORD_FILE = 4096;

  @Override
  public Integer call() throws IOException {
    Mailman3Import.Options options =
        new Mailman3Import.Options(
            Mailman3Import.restRoot(url),
            user,
            password(),
            mailHost,
            OutputPaths.directory("--out", out),
            force);
    PrintWriter err = command.commandLine().getErr();
    PrintWriter stdout = command.commandLine().getOut();
    Mailman3Import.Summary summary =
        Mailman3Import.run(
            options,
            Clock.systemUTC(),
            line -> {
              err.println("mailman3: " + line);
              err.flush();
            });
    stdout.println(
        "imported "
            + summary.lists()
            + (summary.lists() == 1 ? " list" : " lists")
            + " with "
            + summary.members()
            + " members from Mailman's mail host "
            + summary.mailHost()
            + (summary.skipped() == 0
                ? ""
                : "; " + summary.skipped() + " skipped (see the report)"));
    stdout.println("  spec:   " + summary.spec());
    stdout.println("  report: " + summary.report() + " (read it before building)");
    return BuilderCli.EXIT_OK;
  }

  /** The first line of --password-file. */
  private String password() {
    Path file = OutputPaths.file("--password-file", passwordFile);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_PASSWORD_FILE + 1);
    } catch (NoSuchFileException e) {
      throw new InvalidSpecException("--password-file", passwordFile, "no such file");
    } catch (IOException e) {
      throw new InvalidSpecException(
          "--password-file", passwordFile, "cannot read the file: " + e.getClass().getSimpleName());
    }
    if (bytes.length > MAX_PASSWORD_FILE) {
      throw new InvalidSpecException(
          "--password-file",
          passwordFile,
          "larger than a password file (" + MAX_PASSWORD_FILE + " bytes)");
    }
    String password = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", 2)[0];
    if (password.isEmpty()) {
      throw new InvalidSpecException(
          "--password-file", passwordFile, "its first line, the password, is empty");
    }
    return password;
  }
}
