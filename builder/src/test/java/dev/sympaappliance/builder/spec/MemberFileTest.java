package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A list's members_file: read beside the spec, every member judged like an inline one. */
class MemberFileTest {
  @TempDir Path tmp;

  private Path spec(String listTail) throws IOException {
    return Files.writeString(
        tmp.resolve("lists.yaml"),
        "domain: lists.example.org\nlistmaster: admin@example.org\nlists:\n  - name: team\n"
            + listTail);
  }

  private MailingList team(String members) throws IOException {
    Files.createDirectories(tmp.resolve("members"));
    Files.writeString(tmp.resolve("members/team.csv"), members);
    Path spec = spec("    members_file: members/team.csv\n");
    return ApplianceSpec.fromUserInput(SpecFile.read(spec.toString())).lists().get(0);
  }

  private static Subscriber member(String address, String name, String mode) {
    return new Subscriber(
        EmailAddress.parse("x", address), Optional.ofNullable(name), Optional.ofNullable(mode));
  }

  @Test
  void membersComeWithNamesAndModesAfterTheInlineOnes() throws IOException {
    Files.createDirectories(tmp.resolve("members"));
    Files.writeString(
        tmp.resolve("members/team.csv"),
        "\uFEFF# ADDRESS,NAME,MODE\r\n"
            + "b@example.org,\"Bee, Queen\",digest\r\n"
            + "\r\n"
            + "  c@example.org , Céline  \r\n"
            + "d@example.org,,nomail\r\n"
            + "e@example.org",
        StandardCharsets.UTF_8);
    Path spec =
        spec(
            "    subscribers:\n"
                + "      - address: a@example.org\n"
                + "        mode: summary\n"
                + "    members_file: members/team.csv\n");
    MailingList team = ApplianceSpec.fromUserInput(SpecFile.read(spec.toString())).lists().get(0);
    assertThat(team.subscribers())
        .containsExactly(
            member("a@example.org", null, "summary"),
            member("b@example.org", "Bee, Queen", "digest"),
            member("c@example.org", "Céline", null),
            member("d@example.org", null, "nomail"),
            member("e@example.org", null, null));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          bad address | a@example.org\\n\\n# x\\nnot-an-address,Y\\n | team.csv:4: address 'not-an-address': an e-mail
          bad mode    | a@example.org,,mail\\nb@example.org,,daily\\n | team.csv:2: mode 'daily': expected a Sympa
          two lines   | a@example.org,"A\\nB"\\n | team.csv:1: name 'A\\nB': expected text on one line
          four fields | a@example.org,A,mail,x\\n | team.csv:1: more than three fields
          open quote  | a@example.org\\nb@example.org,"B\\n | team.csv:2: not CSV
          stray quote | a@example.org,"B"x\\nc@example.org\\n | team.csv:1: not CSV
          given twice | a@example.org\\nb@example.org\\nA@example.org\\n | team.csv:3: address 'A@example.org': each
          """)
  void aBadLineIsNamedByFileAndLine(String what, String content, String expected) {
    assertThatThrownBy(() -> team(content.replace("\\n", "\n")))
        .hasMessageStartingWith(
            "invalid "
                + tmp.resolve("members").resolve(expected.split(":")[0])
                + ":"
                + expected.substring(expected.indexOf(':') + 1));
  }

  @Test
  void aMissingOrNonUtf8FileIsNamedByTheSpecKey() throws IOException {
    Path spec = spec("    members_file: members/none.csv\n");
    assertThatThrownBy(() -> SpecFile.read(spec.toString()))
        .hasMessage(
            "invalid "
                + spec
                + ":5:19: lists[0].members_file 'members/none.csv': cannot read the members file "
                + tmp.resolve("members/none.csv")
                + ": no such file");
    Files.createDirectories(tmp.resolve("members"));
    Files.write(tmp.resolve("members/none.csv"), new byte[] {'a', (byte) 0xff, '\n'});
    assertThatThrownBy(() -> SpecFile.read(spec.toString()))
        .hasMessageEndingWith("members/none.csv is not UTF-8 text");
  }

  @Test
  void membersOfFilesCountTowardsTheLimit() throws IOException {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i <= SpecFile.MAX_SUBSCRIBERS; i++) {
      members.append('u').append(i).append("@example.net\n");
    }
    assertThatThrownBy(() -> team(members.toString()))
        .hasMessageEndingWith(
            "team.csv:"
                + (SpecFile.MAX_SUBSCRIBERS + 1)
                + ": more than 100000 subscribers in all"
                + " lists together");
  }

  @Test
  void aDescriptionKeepsItsLinesAndLosesItsLastLineFeed() throws IOException {
    Path spec = spec("    description: |\n      First <line>.\n      Second & last.\n");
    MailingList team = ApplianceSpec.fromUserInput(SpecFile.read(spec.toString())).lists().get(0);
    assertThat(team.description()).contains("First <line>.\nSecond & last.");
    Path bad = spec("    description: \"a\\tb\"\n");
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(SpecFile.read(bad.toString())))
        .hasMessageStartingWith("invalid " + bad + ":5:18: lists[0].description 'a\\tb'")
        .hasMessageEndingWith("found a tab at position 2");
  }
}
