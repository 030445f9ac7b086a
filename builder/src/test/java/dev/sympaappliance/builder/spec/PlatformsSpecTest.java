package dev.sympaappliance.builder.spec;

import static dev.sympaappliance.builder.spec.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.sympaappliance.builder.cli.BuilderCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The platforms an image is built for: {@code platforms:} in a spec file, {@code --platform} on the
 * command line (over the file's), the host's by default; each error one line naming the flag or the
 * file's place, the value and the rule. (The spec file's errors with their file:line:column are in
 * {@link SpecFileTest}'s table.)
 */
class PlatformsSpecTest {
  private static final String SPEC = "domain: lists.example.org\nlistmaster: admin@example.org\n";

  @TempDir Path tmp;

  private static ApplianceSpec spec(UserInput in) {
    return ApplianceSpec.fromUserInput(in);
  }

  /** {@code --platform RAW} alone, as over a spec file. */
  private static UserInput flag(String raw) {
    return UserInput.builder().set(Settings.PLATFORMS, Settings.PLATFORMS.fromFlag(raw)).build();
  }

  /** {@code --domain lists.example.org --sympa tools --platform RAW}. */
  private static UserInput image(String raw) {
    return flag(raw).toBuilder()
        .set(Settings.DOMAIN, "lists.example.org")
        .set(Settings.FLAVOUR, "tools")
        .build();
  }

  @Test
  void theHostsPlatformByDefault() {
    assumeThat(Platform.host()).as("a host the builder builds for").isPresent();

    assertThat(spec(SpecFile.parse("lists.yaml", SPEC)).platforms())
        .containsExactly(Platform.host().orElseThrow());
    assertThat(spec(UserInput.appliance("lists.example.org", List.of())).platforms())
        .containsExactly(Platform.host().orElseThrow());
  }

  @Test
  void onAHostThatIsNoneOfThemOneMustBeGiven() {
    InvalidSpecException e =
        assertRejected(
            () -> SpecFromInput.platforms(UserInput.none(), Optional.empty(), "riscv64"),
            "--platform",
            "",
            "''");
    assertThat(e)
        .hasMessage(
            "invalid --platform '': required on this host (os.arch riscv64): the default is the"
                + " host's platform, and the builder builds for one of linux/amd64, linux/arm64");
    assertThat(SpecFromInput.platforms(flag("linux/arm64"), Optional.empty(), "riscv64"))
        .containsExactly(Platform.LINUX_ARM64);
  }

  @Test
  void theFileGivesThemInItsOrderAndTheFlagReplacesThemAsAWhole() {
    UserInput file = SpecFile.parse("lists.yaml", SPEC + "platforms: [linux/arm64, linux/amd64]\n");

    assertThat(spec(file).platforms()).containsExactly(Platform.LINUX_ARM64, Platform.LINUX_AMD64);
    assertThat(spec(file.overriddenBy(flag("linux/amd64"))).platforms())
        .containsExactly(Platform.LINUX_AMD64);
    assertThat(spec(file.overriddenBy(UserInput.none())).platforms())
        .containsExactly(Platform.LINUX_ARM64, Platform.LINUX_AMD64);
    assertThat(spec(image("linux/amd64,linux/arm64")).platforms())
        .containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64);
  }

  @Test
  void theSpecsPlatformsAreAnImmutableCopy() {
    List<String> given = new ArrayList<>(List.of("linux/arm64"));
    UserInput in = image("linux/arm64").toBuilder().set(Settings.PLATFORMS, given).build();
    given.add("linux/amd64");
    List<Platform> platforms = spec(in).platforms();

    assertThat(platforms).containsExactly(Platform.LINUX_ARM64);
    assertThatThrownBy(() -> platforms.add(Platform.LINUX_AMD64))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  /** Every role and flavour takes them, and a spec with further domains. */
  @Test
  void everyRoleAndFlavourTakesThem() {
    List<String> both = List.of("linux/arm64", "linux/amd64");
    List<UserInput.Builder> images =
        List.of(
            UserInput.builder().set(Settings.LISTMASTER, "admin@example.org"),
            UserInput.builder().set(Settings.FLAVOUR, "tools"),
            UserInput.builder().set(Settings.ROLE, "relay").set(Settings.SYMPA_SERVER, "sympa"),
            UserInput.builder().set(Settings.ROLE, "sink"));
    for (UserInput.Builder image : images) {
      UserInput in =
          image.set(Settings.DOMAIN, "lists.example.org").set(Settings.PLATFORMS, both).build();
      assertThat(spec(in).platforms())
          .as("%s", in.values())
          .containsExactly(Platform.LINUX_ARM64, Platform.LINUX_AMD64);
    }
    UserInput domains =
        SpecFile.parse(
            "lists.yaml",
            SPEC + "platforms: [linux/arm64]\ndomains:\n  - domain: lists.example.net\n");
    assertThat(spec(domains).platforms()).containsExactly(Platform.LINUX_ARM64);
  }

  /** The flag's value is judged entry by entry; an error names the flag and the entry. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      unknown platform   | linux/s390x              | linux/s390x | one of linux/amd64, linux/arm64
      os only            | linux                    | linux       | one of linux/amd64, linux/arm64
      upper case         | LINUX/AMD64              | LINUX/AMD64 | one of linux/amd64, linux/arm64
      blank after comma  | linux/amd64, linux/arm64 | ' linux/arm64' | one of linux/amd64, linux/arm64
      empty entry        | linux/amd64,,linux/arm64 | ''          | one of linux/amd64, linux/arm64
      trailing comma     | linux/amd64,             | ''          | one of linux/amd64, linux/arm64
      duplicate          | linux/arm64,linux/arm64  | linux/arm64 | each platform may be given only once
      empty              | ""                       | ''          | must not be empty; expected at least one platform
      """)
  void eachBadFlagIsOneLineNamingTheFlag(String what, String raw, String entry, String rule) {
    String value = entry.startsWith("'") ? entry.substring(1, entry.length() - 1) : entry;
    assertThat(assertRejected(() -> spec(image(raw)), "--platform", value, "'" + value + "'"))
        .hasMessageContaining(": " + rule);
  }

  /** A flag over the file's platforms is named by the flag, not by the file's place. */
  @Test
  void aBadFlagOverTheFileIsNamedByTheFlag() {
    UserInput file = SpecFile.parse("lists.yaml", SPEC + "platforms: [linux/amd64, linux/arm64]\n");

    assertThatThrownBy(() -> spec(file.overriddenBy(flag("linux/amd64,linux/riscv64"))))
        .hasMessage("invalid --platform 'linux/riscv64': one of linux/amd64, linux/arm64");
    assertThatThrownBy(
            () ->
                spec(
                    SpecFile.parse("lists.yaml", SPEC + "platforms: [linux/amd64, linux/riscv64]\n")
                        .overriddenBy(UserInput.none())))
        .hasMessage(
            "invalid lists.yaml:3:26: platforms[1] 'linux/riscv64': one of linux/amd64,"
                + " linux/arm64");
  }

  @Test
  void theCliRefusesABadFlagWithExitTwoAndOneLine() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BuilderCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    Path target = tmp.resolve("out");

    int exit =
        cli.execute(
            "render",
            "--domain",
            "lists.example.org",
            "--sympa",
            "tools",
            "--platform",
            "linux/amd64,linux/s390x",
            "--out",
            target.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "builder: invalid --platform 'linux/s390x': one of linux/amd64, linux/arm64"
                + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
    assertThat(target).doesNotExist();
  }
}
