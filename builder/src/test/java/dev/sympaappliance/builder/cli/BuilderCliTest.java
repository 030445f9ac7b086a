package dev.sympaappliance.builder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Drives the CLI in-process. No test here may get as far as building an image (that needs root,
 * mmdebstrap and Docker, and belongs to e2e-tests): every `image` invocation is invalid, and where
 * the input under test is the only error, a second, later error keeps a regression from turning
 * into a real build.
 */
class BuilderCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path tmp;

  private int run(String... args) {
    CommandLine cli = BuilderCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    cli.getOut().flush();
    cli.getErr().flush();
    return exit;
  }

  private String stderr() {
    return err.toString();
  }

  private String stdout() {
    return out.toString();
  }

  @Test
  void versionPrintsTheBuilderVersion() {
    assertThat(run("--version")).isZero();
    assertThat(stdout()).matches("sympa-appliance builder \\d+\\.\\d+\\.\\d+\\S*\\R");
  }

  @Test
  void imageHelpExitsZero() {
    assertThat(run("image", "--help")).isZero();
    assertThat(stdout())
        .contains("Usage: builder image", "--domain", "--list", "--output", "--tar", "--cache-dir");
  }

  @Test
  void renderHelpExitsZero() {
    assertThat(run("render", "--help")).isZero();
    assertThat(stdout()).contains("Usage: builder render", "--domain", "--out");
  }

  @Test
  void noSubcommandPrintsUsageAndExitsTwo() {
    assertThat(run()).isEqualTo(BuilderCli.EXIT_USAGE).isEqualTo(2);
    assertThat(stderr()).contains("Usage: builder");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void unknownSubcommandExitsTwo() {
    assertThat(run("nonsense")).isEqualTo(2);
  }

  @Test
  void imageWithoutDomainExitsTwo() {
    assertThat(run("image", "--output", "docker", "--tar", tmp.resolve("x").toString()))
        .isEqualTo(2);
    assertThat(stderr()).contains("Missing required option", "--domain");
  }

  @Test
  void renderWithoutOutExitsTwo() {
    assertThat(run("render", "--sympa", "tools", "--domain", "lists.example.org")).isEqualTo(2);
    assertThat(stderr()).contains("Missing required option", "--out");
  }

  @Test
  void renderWithBadDomainExitsTwoWithOneLineAndWritesNothing() {
    Path target = tmp.resolve("x");

    assertThat(run("render", "--domain", "bad domain", "--out", target.toString())).isEqualTo(2);

    assertThat(stderr()).startsWith("builder: invalid --domain 'bad domain'");
    assertThat(stderr().lines()).hasSize(1);
    assertThat(stdout()).isEmpty();
    assertThat(target).doesNotExist();
  }

  @Test
  void renderWithLineFeedInDomainStillReportsOneLine() {
    Path target = tmp.resolve("x");

    assertThat(
            run(
                "render",
                "--domain",
                "lists.example.org\nX-Injected: yes",
                "--out",
                target.toString()))
        .isEqualTo(2);

    assertThat(stderr())
        .startsWith("builder: invalid --domain 'lists.example.org\\nX-Injected: yes'");
    assertThat(stderr().lines()).hasSize(1);
    assertThat(target).doesNotExist();
  }

  @Test
  void renderWithBadListExitsTwoAndWritesNothing() {
    Path target = tmp.resolve("x");

    assertThat(
            run(
                "render",
                "--sympa",
                "tools",
                "--domain",
                "lists.example.org",
                "--list",
                "list1-owner",
                "--out",
                target.toString()))
        .isEqualTo(2);

    assertThat(stderr()).startsWith("builder: invalid --list 'list1-owner'");
    assertThat(stderr().lines()).hasSize(1);
    assertThat(target).doesNotExist();
  }

  @Test
  void renderIntoAnExistingFileExitsTwo() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "keep me");

    assertThat(
            run(
                "render",
                "--sympa",
                "tools",
                "--domain",
                "lists.example.org",
                "--out",
                file.toString()))
        .isEqualTo(2);

    assertThat(stderr()).startsWith("builder: invalid --out ");
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }

  @Test
  void renderWritesTheGeneratedFilesBelowOut() throws IOException {
    assertThat(
            run(
                "render",
                "--sympa",
                "tools",
                "--domain",
                "lists.example.org",
                "--list",
                "list1",
                "--out",
                tmp.toString()))
        .isZero();

    assertThat(stderr()).isEmpty();
    assertThat(tmp.resolve("etc/postfix/main.cf"))
        .content()
        .contains("relay_domains = lists.example.org\n");
    assertThat(tmp.resolve("etc/postfix/master.cf")).isRegularFile();
    assertThat(tmp.resolve("etc/postfix/transport_regexp"))
        .content()
        .contains("/^.+-owner@lists\\.example\\.org$/\tsympabounce:\n");
    assertThat(tmp.resolve("etc/sympa/sympa_aliases"))
        .content()
        .contains("list1:\t\"| /usr/lib/sympa/bin/queue list1@lists.example.org\"\n");
    assertThat(tmp.resolve("etc/sympa/sympa/sympa.conf"))
        .content()
        .contains("domain\tlists.example.org\n");
    Path entrypoint = tmp.resolve("usr/local/sbin/sympa-appliance-entrypoint");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entrypoint)))
        .isEqualTo("rwxr-xr-x");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tmp.resolve("etc/sympa/sympa/sympa.conf"))))
        .isEqualTo("rw-r-----");
    assertThat(stdout().lines())
        .hasSize(7)
        .anySatisfy(
            line ->
                assertThat(line)
                    .isEqualTo(
                        tmp.resolve("etc/sympa/sympa/sympa.conf")
                            + "  (640 900:900 in the image)"));
  }

  @Test
  void imageWithBadListExitsTwoBeforeCreatingTarOrCache() {
    Path tar = tmp.resolve("img.tar");
    Path cache = tmp.resolve("cache");

    assertThat(
            run(
                "image",
                "--sympa",
                "tools",
                "--domain",
                "lists.example.org",
                "--list",
                "bad list",
                "--output",
                "tar",
                "--tar",
                tar.toString(),
                "--cache-dir",
                cache.toString()))
        .isEqualTo(2);

    assertThat(stderr()).startsWith("builder: invalid --list 'bad list'");
    assertThat(stderr().lines()).hasSize(1);
    assertThat(tar).doesNotExist();
    assertThat(cache).doesNotExist();
  }

  @Test
  void imageWithBadDomainExitsTwoBeforeCreatingTarOrCache() {
    Path tar = tmp.resolve("img.tar");
    Path cache = tmp.resolve("cache");

    assertThat(
            run(
                "image",
                "--domain",
                "a..org",
                "--output",
                "tar",
                "--tar",
                tar.toString(),
                "--cache-dir",
                cache.toString()))
        .isEqualTo(2);

    assertThat(stderr()).startsWith("builder: invalid --domain 'a..org'");
    assertThat(tar).doesNotExist();
    assertThat(cache).doesNotExist();
  }

  @Test
  void imageRefusesTarPathWithDockerOutput() {
    Path tar = tmp.resolve("x");

    assertThat(
            run(
                "image",
                "--sympa",
                "tools",
                "--domain",
                "lists.example.org",
                "--output",
                "docker",
                "--tar",
                tar.toString()))
        .isEqualTo(2);

    assertThat(stderr())
        .startsWith("builder: invalid --tar ")
        .contains("only applies to --output tar");
    assertThat(stderr().lines()).hasSize(1);
    assertThat(tar).doesNotExist();
  }

  @Test
  void imageRefusesAnInvalidTag() {
    // --output docker --tar is a second error, there only so that an accepted tag cannot start a
    // build.
    assertThat(
            run(
                "image",
                "--sympa",
                "tools",
                "--domain",
                "lists.example.org",
                "--tag",
                "UPPER/Case:tag",
                "--output",
                "docker",
                "--tar",
                tmp.resolve("x").toString()))
        .isEqualTo(2);

    assertThat(stderr()).startsWith("builder: invalid --tag 'UPPER/Case:tag'");
    assertThat(stderr().lines()).hasSize(1);
  }

  @Test
  void aValueThatLooksLikeAShortOptionIsJudgedByTheGrammar() {
    Path target = tmp.resolve("x");

    // picocli alone reads -h.example.org as the -h option and prints the whole usage
    assertThat(run("render", "--domain=-h.example.org", "--out", target.toString())).isEqualTo(2);

    assertThat(stderr()).startsWith("builder: invalid --domain '-h.example.org': ");
    assertThat(stderr().lines()).hasSize(1);
    assertThat(target).doesNotExist();
  }

  @Test
  void usageErrorsAreOneLine() {
    assertThat(
            run(
                "render",
                "--sympa",
                "tools",
                "--domain",
                "lists.example.org",
                "--bogus=a\nb\u2028c",
                "--out",
                tmp.resolve("x").toString()))
        .isEqualTo(2);

    assertThat(stderr()).startsWith("builder: ").contains("--bogus=a\\nb\\u2028c", "render --help");
    assertThat(stderr().lines()).hasSize(1);
    assertThat(stdout()).isEmpty();
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void imageRefusesAnUnknownOutput() {
    assertThat(
            run(
                "image",
                "--sympa",
                "tools",
                "--domain",
                "lists.example.org",
                "--output",
                "nonsense"))
        .isEqualTo(2);

    assertThat(stderr()).contains("--output", "nonsense");
  }

  @Test
  void postconfOnASinkIsReportedWithTheValueGiven() {
    Path target = tmp.resolve("x");

    assertThat(
            run(
                "render",
                "--role",
                "sink",
                "--domain",
                "example.net",
                "--postconf",
                "a=b",
                "--out",
                target.toString()))
        .isEqualTo(2);

    assertThat(stderr())
        .isEqualTo(
            "builder: invalid --postconf 'a=b': a sink runs no Postfix" + System.lineSeparator());
    assertThat(target).doesNotExist();
  }

  @Test
  void renderOfTheFullFlavourNeedsAListmasterWhereNoneCanBeTheDefault() {
    Path target = tmp.resolve("x");

    assertThat(run("render", "--domain", "lists.internal", "--out", target.toString()))
        .isEqualTo(2);

    assertThat(stderr())
        .startsWith("builder: invalid --listmaster '': required with --sympa full when ");
    assertThat(stderr().lines()).hasSize(1);
    assertThat(target).doesNotExist();
  }

  @Test
  void theDomainAloneRendersAFullListServerAndSaysWhoItsListmasterIs() throws IOException {
    Path target = tmp.resolve("x");

    assertThat(run("render", "--domain", "lists.example.org", "--out", target.toString()))
        .isEqualTo(0);

    assertThat(stderr())
        .isEqualTo(
            "listmaster: postmaster@example.org (the default: postmaster@ the parent domain;"
                + " --listmaster or listmaster: in the spec file to change it)"
                + System.lineSeparator());
    assertThat(Files.readString(target.resolve("etc/sympa/sympa/sympa.conf")))
        .containsPattern("(?m)^listmaster\\s+postmaster@example.org$");
  }

  @Test
  void sympaAndSympaConfAreOptions() {
    assertThat(
            run(
                "render",
                "--sympa",
                "full",
                "--listmaster",
                "admin@example.org",
                "--domain",
                "lists.example.org",
                "--sympa-conf",
                "max_size=1",
                "--sympa-conf",
                "bad key=1",
                "--out",
                tmp.resolve("x").toString()))
        .isEqualTo(2);

    assertThat(stderr())
        .startsWith("builder: invalid --sympa-conf 'bad key=1': expected NAME=VALUE: ");
    assertThat(tmp.resolve("x")).doesNotExist();
  }
}
