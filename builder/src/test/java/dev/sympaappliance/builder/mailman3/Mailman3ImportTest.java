package dev.sympaappliance.builder.mailman3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.cli.BuilderCli;
import dev.sympaappliance.builder.mailman3.FakeMailmanCore.Member;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.MailingList;
import dev.sympaappliance.builder.spec.SpecFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/** `builder import mailman3` against a fake Mailman core (see {@link FakeMailmanCore}). */
class Mailman3ImportTest {
  private static final String HOST = "lists.example.org";

  @TempDir Path tmp;

  private FakeMailmanCore mailman;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws IOException {
    mailman = new FakeMailmanCore();
  }

  @AfterEach
  void stop() {
    mailman.close();
  }

  private int run(String... args) {
    CommandLine cli = BuilderCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** import mailman3 with the fake's URL and password, into {@code dir}, and {@code more}. */
  private int importInto(Path dir, String... more) throws IOException {
    Path password = tmp.resolve("rest-password");
    Files.writeString(password, FakeMailmanCore.PASSWORD + "\n");
    List<String> args =
        new ArrayList<>(
            List.of(
                "import",
                "mailman3",
                "--url",
                mailman.url(),
                "--password-file",
                password.toString(),
                "--out",
                dir.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** The spec without its first line, the comment that names the URL and the date. */
  private static String specBody(Path dir) throws IOException {
    String spec = read(dir.resolve("lists.yaml"));
    return spec.substring(spec.indexOf('\n') + 1);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  /** The spec as {@code builder image --spec DIR/lists.yaml} reads it, members files and all. */
  private static ApplianceSpec asApplianceReadsIt(Path dir) {
    return ApplianceSpec.fromUserInput(SpecFile.read(dir.resolve("lists.yaml").toString()));
  }

  private void teamAndAnnounce() {
    mailman.domain(HOST);
    mailman
        .list("team", HOST)
        .set("description", "Team discussion")
        .set("info", "Where the team talks.\nSecond line.")
        .owner("alice@example.org")
        .moderator("bob@example.org")
        .member(Member.of("alice@example.org", "Alice Example"))
        .member(new Member("bob@example.org", "", "mime_digests", "enabled", null))
        .member(
            new Member(
                "carol@example.net", "Carol, \"CJ\" Example", "plaintext_digests", "enabled", null))
        .member(new Member("dave@example.net", "Doe, Dave", "summary_digests", "enabled", null))
        .member(new Member("erin@example.net", "Erin", "regular", "by_bounces", null))
        .member(new Member("frank@example.net", "Frank", "regular", "enabled", "hold"));
    mailman
        .list("announce", HOST)
        .set("default_member_action", "hold")
        .set("default_nonmember_action", "discard")
        .owner("alice@example.org")
        .member(Member.of("alice@example.org", "Alice Example"));
  }

  @Test
  void writesTheSpecTheMembersFilesAndTheReport() throws IOException {
    teamAndAnnounce();
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir)).as(err.toString()).isZero();

    assertThat(read(dir.resolve("lists.yaml")))
        .startsWith("# Imported from Mailman 3 at " + mailman.url() + " on ")
        .contains("; review before building. See mailman3-report.txt.\n");
    assertThat(specBody(dir))
        .isEqualTo(
            """
            domain: "lists.example.org"
            lists:
              - name: "announce"
                subject: "Announce"
                type: "news-letter"
                owners: ["alice@example.org"]
                members_file: "members/announce.csv"
              - name: "team"
                subject: "Team discussion"
                description: |-
                  Where the team talks.
                  Second line.
                type: "discussion_list"
                owners: ["alice@example.org"]
                editors: ["bob@example.org"]
                members_file: "members/team.csv"
            """);
    assertThat(read(dir.resolve("members/team.csv")))
        .isEqualTo(
            """
            # ADDRESS,NAME,MODE — imported from Mailman 3 list team.lists.example.org
            alice@example.org,Alice Example,mail
            bob@example.org,,digest
            carol@example.net,"Carol, ""CJ"" Example",digestplain
            dave@example.net,"Doe, Dave",summary
            erin@example.net,Erin,nomail
            frank@example.net,Frank,mail
            """);
    assertThat(out.toString())
        .contains(
            "imported 2 lists with 7 members from Mailman's mail host lists.example.org",
            "spec:   " + dir.resolve("lists.yaml"),
            "report: " + dir.resolve("mailman3-report.txt"));

    ApplianceSpec spec = asApplianceReadsIt(dir);
    assertThat(spec.domain().value()).isEqualTo(HOST);
    assertThat(spec.listmaster().toString()).isEqualTo("postmaster@example.org");
    assertThat(spec.lists())
        .extracting(MailingList::type)
        .containsExactly("news-letter", "discussion_list");
  }

  @Test
  void theReportSaysWhyEachTypeAndWhatIsNotCarried() throws IOException {
    teamAndAnnounce();
    mailman
        .list("board", HOST)
        .set("description", "The board")
        .set("display_name", "Board of directors")
        .set("subscription_policy", "moderate")
        .set("archive_policy", "never")
        .set("reply_goes_to_list", "point_to_list")
        .set("max_message_size", 0)
        .set("acceptable_aliases", List.of("board@old.example.org"))
        .set("subject_prefix", "")
        .set("moderator_password", "$6$rounds=656000$secret")
        .owner("alice@example.org");
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir)).as(err.toString()).isZero();

    String report = read(dir.resolve("mailman3-report.txt"));
    assertThat(report)
        .contains(
            "listmaster: left out; the builder's default for lists.example.org is"
                + " postmaster@example.org",
            "lists: 3 imported, 0 skipped; 7 members",
            "  1. news-letter: members' posts are not distributed as sent",
            "  3. private_working_group: ",
            "== list board (board.lists.example.org)\ntype: private_working_group (rule 3)\n"
                + "  Mailman: default_member_action defer, default_nonmember_action hold,"
                + " subscription_policy moderate, archive_policy never, advertised true\n",
            "archives: Mailman not kept (archive_policy never), Sympa's private_working_group:"
                + " for members only",
            "visibility: Mailman listed for everyone (advertised true), Sympa's"
                + " private_working_group: hidden from non-members",
            "  reply_goes_to_list: \"point_to_list\"\n",
            "  display_name: \"Board of directors\"\n",
            "  max_message_size: 0\n",
            "  acceptable_aliases: [\"board@old.example.org\"]\n",
            "  subject_prefix: \"\"\n",
            "  moderator_password: set (not shown)\n",
            "== list team (team.lists.example.org)\ntype: discussion_list (rule 4)\n",
            "  where discussion_list does otherwise: nowhere\n",
            "member erin@example.net: delivery disabled (delivery_status by_bounces,"
                + " delivery_mode regular): nomail",
            "member frank@example.net: moderation_action hold not carried over",
            "owners: 1, editors (Mailman's moderators): 1, members: 6 (members/team.csv)",
            "type: news-letter (rule 1)",
            "  where news-letter does otherwise:\n    non-members' posts: Mailman refused"
                + " (default_nonmember_action discard), Sympa's news-letter: held for the moderators\n",
            "Not read, for any list: bans, header matches");
    String teamSection = report.substring(report.indexOf("== list team"));
    assertThat(teamSection)
        .contains(
            "changed from Mailman's default: none\n",
            "at Mailman 3.3's default:\n  accept_these_nonmembers, acceptable_aliases,",
            " subject_prefix,",
            "Mailman's state, no settings (not carried):\n  bounces_address, created_at,");
    assertThat(report).doesNotContain("secret");
  }

  @Test
  void everyRequestCarriesTheBasicCredentials() throws IOException {
    teamAndAnnounce();
    assertThat(importInto(tmp.resolve("import"))).isZero();
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("restadmin:restpass".getBytes(StandardCharsets.UTF_8));
    assertThat(mailman.authorizations()).hasSizeGreaterThan(10).containsOnly(expected);
  }

  @Test
  void refusedCredentialsExitTwoAndWriteNothing() throws IOException {
    teamAndAnnounce();
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir, "--user", "someone")).isEqualTo(2);

    assertThat(err.toString())
        .contains("refused the credentials of someone (HTTP 401)")
        .hasLineCount(1);
    assertThat(dir).doesNotExist();
  }

  @Test
  void pagesThroughALargeRoster() throws IOException {
    mailman.domain(HOST);
    var list = mailman.list("big", HOST).owner("alice@example.org");
    int count = MailmanRestClient.PAGE_SIZE + 1;
    for (int i = 0; i < count; i++) {
      list.member(Member.of(String.format("m%05d@example.net", i), ""));
    }
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir)).as(err.toString()).isZero();

    List<String> lines = read(dir.resolve("members/big.csv")).lines().toList();
    assertThat(lines).hasSize(count + 1);
    assertThat(lines.get(1)).isEqualTo("m00000@example.net,,mail");
    assertThat(lines.get(count)).isEqualTo(String.format("m%05d@example.net,,mail", count - 1));
    assertThat(mailman.requests())
        .contains(
            "/3.1/lists/big.lists.example.org/roster/member?count=500&page=1",
            "/3.1/lists/big.lists.example.org/roster/member?count=500&page=2")
        .doesNotContain("/3.1/lists/big.lists.example.org/roster/member?count=500&page=3");
  }

  @Test
  void severalMailHostsWithListsNeedMailHost() throws IOException {
    teamAndAnnounce();
    mailman.domain("news.example.net").domain("empty.example.com");
    mailman.list("weekly", "news.example.net").owner("ed@example.net");
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir)).isEqualTo(2);

    assertThat(err.toString())
        .isEqualTo(
            "builder: invalid --mail-host: required: Mailman core at "
                + mailman.url()
                + " has lists in several mail hosts: lists.example.org (2 lists),"
                + " news.example.net (1 list)\n");
    assertThat(dir).doesNotExist();

    assertThat(importInto(dir, "--mail-host", "news.example.net")).as(err.toString()).isZero();
    assertThat(yaml(read(dir.resolve("lists.yaml"))))
        .containsEntry("domain", "news.example.net")
        .containsEntry(
            "lists",
            List.of(
                Map.of(
                    "name",
                    "weekly",
                    "subject",
                    "Weekly",
                    "type",
                    "discussion_list",
                    "owners",
                    List.of("ed@example.net"))));
  }

  @Test
  void anUnknownMailHostIsRefusedNamingTheDomains() throws IOException {
    teamAndAnnounce();
    assertThat(importInto(tmp.resolve("import"), "--mail-host", "other.example.org")).isEqualTo(2);
    assertThat(err.toString())
        .contains("invalid --mail-host 'other.example.org': not a domain of Mailman core at")
        .contains("its domains: lists.example.org");
  }

  @Test
  void aDirectoryThatIsNotEmptyIsLeftAloneUnlessForced() throws IOException {
    teamAndAnnounce();
    Path dir = Files.createDirectories(tmp.resolve("import"));
    Files.writeString(dir.resolve("lists.yaml"), "mine\n");
    Files.writeString(dir.resolve("notes.txt"), "also mine\n");

    assertThat(importInto(dir)).isEqualTo(2);
    assertThat(err.toString()).contains("invalid --out", "the directory is not empty; --force");
    assertThat(read(dir.resolve("lists.yaml"))).isEqualTo("mine\n");
    assertThat(mailman.requests()).as("nothing asked of Mailman").isEmpty();

    assertThat(importInto(dir, "--force")).as(err.toString()).isZero();
    assertThat(read(dir.resolve("lists.yaml"))).contains("name: \"team\"");
    assertThat(read(dir.resolve("notes.txt"))).isEqualTo("also mine\n");
  }

  @Test
  void aHostileSubjectDescriptionAndNameRoundTrip() throws IOException {
    String subject = "Say \"hi\": it's #1 \\ {x} [y] & *z* | > % @ `tick`\nsecond: line  ";
    String info = "  indented\n---\n# not a comment\n\tkey: value\u0007\r\n\n\nlast  \n";
    mailman.domain(HOST);
    mailman
        .list("hostile", HOST)
        .set("description", subject)
        .set("info", info)
        .owner("alice@example.org")
        .member(Member.of("carol@example.net", "Doe, \"Jo\" #1\nnext"));
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir)).as(err.toString()).isZero();

    String fittedSubject = "Say \"hi\": it's #1 \\ {x} [y] & *z* | > % @ `tick` second: line";
    String fittedInfo = "indented\n---\n# not a comment\n key: value\n\n\nlast";
    @SuppressWarnings("unchecked")
    Map<String, Object> list =
        ((List<Map<String, Object>>) yaml(read(dir.resolve("lists.yaml"))).get("lists")).get(0);
    assertThat(list)
        .containsEntry("subject", fittedSubject)
        .containsEntry("description", fittedInfo);
    assertThat(asApplianceReadsIt(dir).lists().get(0).subject()).isEqualTo(fittedSubject);
    assertThat(read(dir.resolve("members/hostile.csv")))
        .endsWith("\ncarol@example.net,\"Doe, \"\"Jo\"\" #1 next\",mail\n");
    assertThat(read(dir.resolve("mailman3-report.txt")))
        .contains(
            "subject: changed to fit (one line, no control characters, at most 100 characters);"
                + " Mailman's description was \"Say \\\"hi\\\": it's #1 \\\\ {x} [y] & *z* | > % @"
                + " `tick`\\nsecond: line  \"",
            "description: Mailman's info changed to fit",
            "member carol@example.net: name changed to fit");
  }

  @Test
  void valuesThatLookLikeNumbersBooleansOrNullStayStrings() throws IOException {
    mailman.domain(HOST);
    mailman.list("2024", HOST).set("description", "yes").owner("alice@example.org");
    mailman.list("null", HOST).set("description", "1e3").owner("alice@example.org");
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir)).as(err.toString()).isZero();

    assertThat(asApplianceReadsIt(dir).lists())
        .extracting(list -> list.name().value() + ": " + list.subject())
        .containsExactly("2024: yes", "null: 1e3");
  }

  @Test
  void aListWhoseNameTheApplianceRefusesIsSkippedAndReported() throws IOException {
    teamAndAnnounce();
    mailman.list("sympa", HOST).owner("alice@example.org").member(Member.of("x@example.net", ""));
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir)).as(err.toString()).isZero();

    assertThat(out.toString()).contains("imported 2 lists", "; 1 skipped (see the report)");
    assertThat(specBody(dir)).doesNotContain("sympa");
    assertThat(dir.resolve("members/sympa.csv")).doesNotExist();
    assertThat(read(dir.resolve("mailman3-report.txt")))
        .contains(
            "lists: 2 imported, 1 skipped",
            "== list sympa.lists.example.org: SKIPPED, with its 1 members\n"
                + "  invalid list_name 'sympa': this name belongs to Sympa itself");
  }

  @Test
  void aDomainWithoutADefaultListmasterGetsMailmansSiteOwner() throws IOException {
    mailman.domain("example.org").siteOwner("admin@example.net");
    mailman.list("team", "example.org").owner("alice@example.org");
    Path dir = tmp.resolve("import");

    assertThat(importInto(dir)).as(err.toString()).isZero();

    assertThat(specBody(dir))
        .startsWith("domain: \"example.org\"\nlistmaster: \"admin@example.net\"\n");
    assertThat(asApplianceReadsIt(dir).listmaster().toString()).isEqualTo("admin@example.net");
    assertThat(read(dir.resolve("mailman3-report.txt")))
        .contains(
            "listmaster: admin@example.net, Mailman's site_owner; the builder has no default");
  }

  @Test
  void importWithoutSourceAndMailman3HelpAreUsage() {
    assertThat(run("import")).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: builder import", "mailman3");
    assertThat(run("import", "mailman3", "--help")).isZero();
    assertThat(out.toString())
        .contains("--url", "--user", "--password-file", "--mail-host", "--out", "--force")
        .doesNotContain("--domain");
  }

  @Test
  void aUrlWithCredentialsIsRefused() throws IOException {
    assertThat(
            run(
                "import",
                "mailman3",
                "--url",
                "http://restadmin:restpass@127.0.0.1:8001/3.1",
                "--password-file",
                tmp.resolve("none").toString(),
                "--out",
                tmp.resolve("import").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("invalid --url", "without user, password");
  }

  @Test
  void aMissingOrEmptyPasswordFileIsBadInput() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty"), "\nrestpass\n");
    for (Path file : List.of(tmp.resolve("missing"), empty)) {
      assertThat(
              run(
                  "import",
                  "mailman3",
                  "--url",
                  mailman.url(),
                  "--password-file",
                  file.toString(),
                  "--out",
                  tmp.resolve("import").toString()))
          .isEqualTo(2);
    }
    assertThat(err.toString())
        .contains(
            "invalid --password-file", "no such file", "its first line, the password, is empty");
    assertThat(mailman.requests()).isEmpty();
  }
}
