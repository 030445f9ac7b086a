package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sympaappliance.builder.cli.BuilderCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The YAML spec file: what it means, how flags override it, and how each kind of error is reported.
 */
class SpecFileTest {
  /** Tests run in the builder module; the example lives at the repository root. */
  static final Path EXAMPLE = Path.of("..", "examples", "lists.yaml");

  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BuilderCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static EmailAddress address(String raw) {
    return EmailAddress.parse("x", raw);
  }

  @Test
  void theExampleMeansWhatItSays() {
    ApplianceSpec spec = ApplianceSpec.fromUserInput(SpecFile.read(EXAMPLE.toString()));

    assertThat(spec.role()).isEqualTo(Role.APPLIANCE);
    assertThat(spec.flavour()).isEqualTo(Flavour.FULL);
    assertThat(spec.domain().value()).isEqualTo("lists.example.org");
    assertThat(spec.hostname().value()).isEqualTo("mx.lists.example.org");
    assertThat(spec.listmaster()).isEqualTo(address("listmaster@example.org"));
    assertThat(spec.relayhost()).contains(new SmtpDestination("sink", 25));
    assertThat(spec.postconfOverrides())
        .containsExactly(Map.entry("message_size_limit", "20480000"));
    assertThat(spec.sympaOverrides()).containsExactly(Map.entry("max_size", "10485760"));
    assertThat(spec.lists())
        .containsExactly(
            new MailingList(
                new ListName("team"),
                "Team discussion",
                "discussion_list",
                Optional.empty(),
                List.of(address("alice@example.org")),
                List.of(address("bob@example.org")),
                List.of(
                    new Subscriber(address("alice@example.org")),
                    new Subscriber(address("bob@example.org")),
                    new Subscriber(
                        address("carol@example.net"),
                        Optional.of("Carol Example"),
                        Optional.empty()))),
            new MailingList(
                new ListName("announce"),
                "Announcements",
                "news-letter",
                Optional.empty(),
                List.of(address("alice@example.org")),
                List.of(),
                List.of()));
  }

  @Test
  void flagsOverrideTheFileAsHelmSetOverridesValues() throws IOException {
    Path file =
        Files.writeString(
            tmp.resolve("spec.yaml"),
            """
        domain: lists.example.org
        listmaster: owner@example.org
        postconf:
          message_size_limit: 1000
          smtpd_forbid_bare_newline: yes
        sympa_conf:
          max_size: "5"
        lists:
          - name: team
            subject: Team
            owners: [alice@example.org]
        """);
    UserInput flags =
        UserInput.builder()
            .lists(List.of("team", "extra"))
            .set(Settings.LISTMASTER, "admin@example.net")
            .postconf(List.of("message_size_limit=2000", "mydestination="))
            .sympaConf(List.of("gecos=Lists"))
            .build();

    ApplianceSpec spec =
        ApplianceSpec.fromUserInput(SpecFile.read(file.toString()).overriddenBy(flags));

    assertThat(spec.domain().value()).isEqualTo("lists.example.org");
    assertThat(spec.listmaster()).isEqualTo(address("admin@example.net"));
    assertThat(spec.postconfOverrides())
        .containsExactly(
            Map.entry("message_size_limit", "2000"),
            Map.entry("smtpd_forbid_bare_newline", "yes"),
            Map.entry("mydestination", ""));
    assertThat(spec.sympaOverrides())
        .containsExactly(Map.entry("max_size", "5"), Map.entry("gecos", "Lists"));
    assertThat(spec.lists())
        .containsExactly(
            new MailingList(
                new ListName("team"),
                "Team",
                "discussion_list",
                Optional.empty(),
                List.of(address("alice@example.org")),
                List.of(),
                List.of()),
            MailingList.withDefaults(new ListName("extra"), address("admin@example.net")));
  }

  @Test
  void theCliRendersTheExampleAndFlagsOverrideIt() throws IOException {
    Path out = tmp.resolve("out");
    Run run =
        cli(
            "render",
            "--spec",
            EXAMPLE.toString(),
            "--domain",
            "other.example.org",
            "--list",
            "extra",
            "--postconf",
            "message_size_limit=1",
            "--out",
            out.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(out.resolve("etc/postfix/main.cf"))
        .content()
        .contains("relay_domains = other.example.org\n")
        .contains("relayhost = [sink]:25\n")
        .endsWith("message_size_limit = 1\n")
        .doesNotContain("20480000");
    for (String list : List.of("team", "announce", "extra")) {
      assertThat(out.resolve("etc/sympa-appliance/lists/" + list + ".xml"))
          .content()
          .contains("<listname>" + list + "</listname>");
    }
  }

  /** Trixie unless the file or --debian says otherwise; the flag overrides the file. */
  @Test
  void theDebianSuiteIsTrixieByDefaultAndTheFlagOverridesTheFile() {
    UserInput file =
        SpecFile.parse("lists.yaml", "domain: lists.example.org\nlistmaster: admin@example.org\n");
    UserInput bookworm =
        SpecFile.parse(
            "lists.yaml",
            "domain: lists.example.org\nlistmaster: admin@example.org\n" + "debian: bookworm\n");
    UserInput flag = UserInput.builder().set(Settings.DEBIAN, "trixie").build();

    assertThat(ApplianceSpec.fromUserInput(file).debian()).isEqualTo(DebianSuite.TRIXIE);
    assertThat(ApplianceSpec.fromUserInput(bookworm).debian()).isEqualTo(DebianSuite.BOOKWORM);
    assertThat(ApplianceSpec.fromUserInput(bookworm.overriddenBy(flag)).debian())
        .isEqualTo(DebianSuite.TRIXIE);
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    file.overriddenBy(flag.toBuilder().set(Settings.DEBIAN, "buster").build())))
        .hasMessage("invalid --debian 'buster': one of bookworm, trixie");
  }

  @Test
  void noWebOverTheFileTurnsOffItsWholeWebBlock() {
    UserInput file =
        SpecFile.parse(
            "lists.yaml",
            "domain: lists.example.org\nlistmaster: admin@example.org\n"
                + "web:\n  url: https://lists.example.org/sympa\n");
    UserInput noWeb = UserInput.builder().set(Settings.WEB, false).build();

    assertThat(ApplianceSpec.fromUserInput(file).web())
        .map(WebInterface::url)
        .contains("https://lists.example.org/sympa");
    assertThat(ApplianceSpec.fromUserInput(file.overriddenBy(noWeb)).web()).isEmpty();
    assertThat(
            ApplianceSpec.fromUserInput(
                    file.overriddenBy(
                        noWeb.toBuilder()
                            .set(Settings.WEB, true)
                            .set(Settings.WEB_URL, "http://www.example.org/lists")
                            .build()))
                .web())
        .map(WebInterface::url)
        .contains("http://www.example.org/lists");
  }

  @Test
  void aMissingFileIsOneLineNamingIt() {
    Path out = tmp.resolve("out");
    Run run = cli("render", "--spec", tmp.resolve("nope.yaml").toString(), "--out", out.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "builder: invalid --spec '"
                + tmp.resolve("nope.yaml")
                + "': cannot read the file: no such file"
                + System.lineSeparator());
    assertThat(out).doesNotExist();
  }

  /**
   * Each error: exit 2, one line naming file:line:column, the key path, the value and the rule;
   * nothing written.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      unknown top-level key   | colour: blue                                | \
        6:1: colour 'colour': unknown key; the keys of a spec are domain,
      unknown key in a list   | lists:\\n  - name: a\\n    colour: blue      | \
        8:5: lists[0].colour 'colour': unknown key; the keys of a list are name,
      list where string       | sympa_server: [sympa]                       | \
        6:15: sympa_server: expected a string, found a sequence
      string where list       | lists:\\n  - name: a\\n    owners: a@b.org   | \
        8:13: lists[0].owners 'a@b.org': expected a sequence of e-mail addresses, found a string
      number as list name     | lists:\\n  - name: 2024                      | \
        7:11: lists[0].name '2024': expected a string, found a number; quote it
      duplicate key           | lists:\\n  - name: a\\n    name: b           | \
        8:5: lists[0].name 'name': duplicate key; first at line 7
      duplicate top key       | domain: lists.example.org                   | \
        6:1: domain 'domain': duplicate key; first at line 1
      bad domain              | domain: lists..example.org                  | \
        1:9: domain 'lists..example.org': a host name (RFC 1035)
      bad owner               | lists:\\n  - name: a\\n    owners: [a@example.org, 'bob@@example.org'] | \
        8:29: lists[0].owners[1] 'bob@@example.org': an e-mail address local@domain
      subscriber name newline | \
        lists:\\n  - name: a\\n    subscribers:\\n      - address: c@example.net\\n        name: \"CarolBSLnBcc: x\" | \
        10:15: lists[0].subscribers[0].name 'Carol\\nBcc: x': expected text on one line
      bad list type           | lists:\\n  - name: a\\n    type: forum       | \
        8:11: lists[0].type 'forum': one of Sympa's list templates
      bad sympa_conf key      | sympa_conf:\\n  Max-Size: 1                  | \
        7:3: sympa_conf.Max-Size 'Max-Size': expected NAME=VALUE
      bad postconf value      | postconf:\\n  a: \"xBSLty\"                  | \
        7:6: postconf.a 'x\\ty': expected NAME=VALUE
      no owner                | lists:\\n  - name: a\\n    owners: []        | \
        8:13: lists[0].owners 'a': a list needs at least one owner
      alias                   | role: *x                                    | \
        6:7: YAML aliases (*name) and tags (!tag) are not allowed
      tag                     | role: !!str appliance                       | \
        6:7: YAML aliases (*name) and tags (!tag) are not allowed
      anchor                  | role: &r appliance                          | \
        6:7: YAML aliases (*name) and tags (!tag) are not allowed
      merge key               | lists:\\n  - <<: {name: a}                  | \
        7:5: YAML merge keys (<<) are not allowed
      key not a string        | postconf:\\n  ? [a]\\n  : b                   | \
        7:5: postconf: expected a key that is a string, found a sequence
      duplicate subscriber key | \
        lists:\\n  - name: a\\n    subscribers:\\n      - {address: c@example.net, address: d@example.net} | \
        9:34: lists[0].subscribers[0].address 'address': duplicate key; first at line 9
      not YAML                | lists: [a                                   | \
        7:1: not valid YAML: while parsing a flow sequence; expected
      second document         | ---\\ndomain: b.example.org                  | \
        6:1: a second YAML document; a spec file holds one
      same list twice         | lists:\\n  - name: a\\n  - name: A           | \
        8:11: lists[1].name 'A': each list may be declared only once
      listmaster in domain    | listmaster: x@lists.example.org             | \
        6:13: listmaster 'x@lists.example.org': with --sympa full the listmaster must be outside the list domain
      web as a string         | web: \"off\"                                | \
        6:6: web 'off': expected a mapping with the keys enabled, url, workers, found a string
      web enabled a string    | web:\\n  enabled: \"no\"                      | \
        7:12: web.enabled 'no': expected true or false, found a string
      unknown web key         | web:\\n  port: 80                           | \
        7:3: web.port 'port': unknown key; the keys of a web mapping are enabled, url, workers
      bad web url             | web:\\n  url: http://lists.example.org/      | \
        7:8: web.url 'http://lists.example.org/': expected http://HOST[:PORT]/PATH
      web url without web     | web:\\n  enabled: false\\n  url: http://lists.example.org/sympa | \
        8:8: web.url 'http://lists.example.org/sympa': the web interface is turned off (
      cookie in sympa_conf    | sympa_conf:\\n  cookie: abc                 | \
        7:3: sympa_conf.cookie 'cookie': a per-site secret
      unknown debian suite    | debian: sid                                 | \
        6:9: debian 'sid': one of bookworm, trixie
      unknown platform        | platforms: [linux/amd64, linux/s390x]       | \
        6:26: platforms[1] 'linux/s390x': one of linux/amd64, linux/arm64
      duplicate platform      | platforms: [linux/arm64, linux/arm64]       | \
        6:26: platforms[1] 'linux/arm64': each platform may be given only once
      no platform             | platforms: []                               | \
        6:12: platforms '': must not be empty; expected at least one platform, each one of
      platform a number       | platforms: [linux/amd64, 64]                | \
        6:26: platforms[1] '64': expected a string, found a number; quote it
      platform a mapping      | platforms:\\n  - {os: linux}                | \
        7:5: platforms[0]: expected a string, found a mapping
      platforms a string      | platforms: linux/amd64                      | \
        6:12: platforms 'linux/amd64': expected a sequence of strings, found a string
      """)
  void eachErrorIsOneLineWithItsPlace(String what, String tail, String expected)
      throws IOException {
    String yaml =
        "domain: lists.example.org\nlistmaster: admin@example.org\nsympa: full\nrelayhost: sink\n"
            + "hostname: mx.lists.example.org\n"
            + tail.replace("\\n", "\n").replace("BSL", "\\")
            + "\n";
    if (what.equals("bad domain")) {
      yaml = yaml.replace("domain: lists.example.org\n", "").replace(tail + "\n", "");
      yaml = tail + "\n" + yaml;
    }
    if (what.equals("listmaster in domain")) {
      yaml = yaml.replace("listmaster: admin@example.org\n", "");
      expected = expected.replace("6:13", "5:13");
    }
    Path file = Files.writeString(tmp.resolve("spec.yaml"), yaml);
    Path out = tmp.resolve("out");

    Run run = cli("render", "--spec", file.toString(), "--out", out.toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .startsWith("builder: invalid " + file + ":" + expected.replace("\\\\", "\\"));
    assertThat(out).doesNotExist();
  }

  @Test
  void tooManySubscribersAreRefused() {
    StringBuilder yaml =
        new StringBuilder(
            "domain: lists.example.org\nlistmaster: a@example.org\nlists:\n  - name: big\n"
                + "    subscribers:\n");
    for (int i = 0; i <= SpecFile.MAX_SUBSCRIBERS; i++) {
      yaml.append("      - u").append(i).append("@example.net\n");
    }
    List<String> lines = new ArrayList<>(yaml.toString().lines().toList());
    int line = 6 + SpecFile.MAX_SUBSCRIBERS;
    assertThat(lines.get(line - 1))
        .isEqualTo("      - u" + SpecFile.MAX_SUBSCRIBERS + "@example.net");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SpecFile.parse("big.yaml", yaml.toString()))
        .hasMessage(
            "invalid big.yaml:"
                + line
                + ":9: lists[0].subscribers[100000]: more than 100000 subscribers in all"
                + " lists together");
  }

  @Test
  void aFileAboveTheSizeLimitIsRefusedUnread() throws IOException {
    Path file = Files.write(tmp.resolve("huge.yaml"), new byte[SpecFile.MAX_FILE_BYTES + 1]);
    Run run = cli("render", "--spec", file.toString(), "--out", tmp.resolve("out").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "builder: invalid --spec '"
                + file
                + "': the file is larger than 8 MB, the most a"
                + " spec file may be"
                + System.lineSeparator());
  }
}
