package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sympaappliance.builder.cli.BuilderCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --relayhost and --sympa-server: HOST[:PORT] grammar, roles, and what the CLI does with bad
 * values.
 */
class SmtpDestinationTest {
  @ParameterizedTest
  @CsvSource({
    "sink,                 sink,                 25",
    "sink:2525,            sink,                 2525",
    "[Mail.Example.NET]:587, mail.example.net,   587",
    "[sympa],              sympa,                25",
    "192.0.2.10:1,         192.0.2.10,           1",
    "smtp.example.org:65535, smtp.example.org,   65535"
  })
  void acceptsHostNamesAndIpv4WithOptionalPort(String raw, String host, int port) {
    SmtpDestination destination = SmtpDestination.parse("--relayhost", raw);
    assertThat(destination.host()).isEqualTo(host);
    assertThat(destination.port()).isEqualTo(port);
    assertThat(destination.postfixNexthop()).isEqualTo("[" + host + "]:" + port);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "sink host",
        "sink\n",
        "sink:25\nrelayhost = evil",
        "sink\r",
        "sink;rm -rf /",
        "$(id)",
        "`id`",
        "sink|x",
        "sink'",
        "sink\"",
        "sink:0",
        "sink:65536",
        "sink:99999",
        "sink:-1",
        "sink:025",
        "sink:",
        "sink:x",
        "[sink",
        "[sink]x",
        "sink]",
        "-sink",
        "sink-",
        "sink..org",
        ".sink",
        "a.123",
        "256.1.1.1:25",
        "exämple.org",
        "sink/x",
        "sink#x",
        "sink@x",
        "sink:25:26",
        "[::1]:25"
      })
  void rejectsEverythingElseWithTheValueAndTheRule(String raw) {
    assertThatThrownBy(() -> SmtpDestination.parse("--relayhost", raw))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("invalid --relayhost ")
        .hasMessageContaining("HOST[:PORT]")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
  }

  @Test
  void relayRoleNeedsASympaServerAndOnlyItTakesOne() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    UserInput.builder()
                        .set(Settings.ROLE, "relay")
                        .set(Settings.DOMAIN, "lists.example.org")
                        .build()))
        .hasMessageStartingWith("invalid --sympa-server")
        .hasMessageContaining("required with --role relay");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    UserInput.builder()
                        .set(Settings.DOMAIN, "lists.example.org")
                        .set(Settings.SYMPA_SERVER, "sympa")
                        .build()))
        .hasMessageContaining("only applies to --role relay");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    UserInput.builder()
                        .set(Settings.ROLE, "gateway")
                        .set(Settings.DOMAIN, "lists.example.org")
                        .build()))
        .hasMessage("invalid --role 'gateway': one of appliance, relay, sink");
  }

  @Test
  void relayDefaultsToAHostNameOtherThanTheAppliancesSoPostfixDoesNotSeeALoop() {
    ApplianceSpec relay =
        ApplianceSpec.fromUserInput(
            UserInput.builder()
                .set(Settings.ROLE, "relay")
                .set(Settings.DOMAIN, "lists.example.org")
                .set(Settings.SYMPA_SERVER, "sympa")
                .build());
    ApplianceSpec appliance =
        ApplianceSpec.fromUserInput(
            UserInput.builder()
                .set(Settings.DOMAIN, "lists.example.org")
                .set(Settings.FLAVOUR, "tools")
                .build());
    assertThat(relay.hostname().value()).isEqualTo("relay.lists.example.org");
    assertThat(appliance.hostname().value()).isEqualTo("mx.lists.example.org");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--relayhost", "--sympa-server"})
  void cliRejectsBadDestinationsWithExitTwoBeforeBuilding(String option, @TempDir Path dir) {
    StringWriter err = new StringWriter();
    int exit =
        BuilderCli.commandLine()
            .setErr(new PrintWriter(err))
            .setOut(new PrintWriter(new StringWriter()))
            .execute(
                "image",
                "--role",
                "relay",
                "--domain",
                "lists.example.org",
                "--sympa-server",
                option.equals("--sympa-server") ? "sympa:70000" : "sympa",
                "--relayhost",
                option.equals("--relayhost") ? "sympa:70000" : "smarthost.example.net",
                "--output",
                "tar",
                "--tar",
                dir.resolve("x.tar").toString(),
                "--cache-dir",
                dir.resolve("cache").toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("builder: invalid " + option + " 'sympa:70000'");
    assertThat(dir.resolve("x.tar")).doesNotExist();
    assertThat(dir.resolve("cache")).doesNotExist();
  }
}
