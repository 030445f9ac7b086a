package dev.sympaappliance.builder.spec;

import static dev.sympaappliance.builder.spec.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GrammarTest {
  private static final String LABEL_63 = "a".repeat(63);
  private static final String LABEL_64 = "a".repeat(64);

  /** 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters, the longest allowed domain. */
  private static final String DOMAIN_253 =
      LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "b".repeat(61);

  /** 254 characters, all labels valid. */
  private static final String DOMAIN_254 =
      LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "b".repeat(62);

  /** A value of printable ASCII without quote or backslash, up to 80 characters, is shown as is. */
  private static Arguments literally(String raw) {
    return Arguments.of(raw, "'" + raw + "'");
  }

  @Nested
  class Domains {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "lists.example.org,   lists.example.org",
      "Lists.Example.ORG,   lists.example.org",
      "a.io,                a.io",
      "0.example.org,       0.example.org",
      "my-lists.example.org, my-lists.example.org",
      "xn--exmple-cua.org,  xn--exmple-cua.org",
      "lists.xn--p1ai,      lists.xn--p1ai",
      "a.b2,                a.b2",
    })
    void acceptsAndLowerCasesHostNames(String raw, String expected) {
      assertThat(DomainName.parse("--domain", raw).value()).isEqualTo(expected);
    }

    @Test
    void acceptsA63CharacterLabel() {
      assertThat(DomainName.parse("--domain", LABEL_63 + ".org").value())
          .isEqualTo(LABEL_63 + ".org");
    }

    @Test
    void acceptsA253CharacterName() {
      assertThat(DOMAIN_253).hasSize(253);
      assertThat(DomainName.parse("--domain", DOMAIN_253).value()).isEqualTo(DOMAIN_253);
    }

    static Stream<Arguments> invalidDomains() {
      return Stream.of(
          literally(""),
          literally(" "),
          literally("lists example.org"),
          Arguments.of("lists.example.org\n", "'lists.example.org\\n'"),
          Arguments.of("a\r\nb.org", "'a\\r\\nb.org'"),
          Arguments.of("a\tb.org", "'a\\tb.org'"),
          Arguments.of("a\u0000b.org", "'a\\u0000b.org'"),
          Arguments.of("a\u007fb.org", "'a\\u007fb.org'"),
          Arguments.of("lists.ex\u00e4mple.org", "'lists.ex\\u00e4mple.org'"),
          Arguments.of("a'b.org", "'a\\'b.org'"),
          Arguments.of("a\\b.org", "'a\\\\b.org'"),
          literally("single"),
          literally("-a.org"),
          literally("a-.org"),
          literally("a..org"),
          literally(".a.org"),
          literally("a.org."),
          literally(LABEL_64 + ".org"),
          Arguments.of(DOMAIN_254, "'" + DOMAIN_254.substring(0, 77) + "...'"),
          literally("a.123"),
          literally("1.2.3.4"),
          literally("a/b.org"),
          literally("a#b.org"),
          literally("$x.org"),
          literally("a_b.org"),
          literally("a:b.org"),
          literally("a@b.org"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidDomains")
    void rejectsWithOneLineNamingTheValue(String raw, String quoted) {
      assertRejected(() -> DomainName.parse("--domain", raw), "--domain", raw, quoted);
    }

    @Test
    void rejectsNull() {
      assertRejected(() -> DomainName.parse("--domain", null), "--domain", "", "''");
    }

    @Test
    void namesTheHostnameOptionWhenTheHostnameIsBad() {
      assertRejected(
          () ->
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.DOMAIN, "lists.example.org")
                      .set(Settings.HOSTNAME, "mx_1.example.org")
                      .set(Settings.FLAVOUR, "tools")
                      .build()),
          "--hostname",
          "mx_1.example.org",
          "'mx_1.example.org'");
    }

    @Test
    void valueTypeRefusesUpperCase() {
      assertRejected(
          () -> new DomainName("Lists.example.org"),
          "domain",
          "Lists.example.org",
          "'Lists.example.org'");
    }
  }

  @Nested
  class ListNames {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "list1,     list1",
      "team.dev,  team.dev",
      "a_b-c,     a_b-c",
      "LIST1,     list1",
      "0day,      0day",
      "a.b.c,     a.b.c",
      "owner,     owner",
      "list-owner.archive, list-owner.archive",
      "sympa2,    sympa2",
    })
    void acceptsAndLowerCasesListNames(String raw, String expected) {
      assertThat(ListName.parse("--list", raw).value()).isEqualTo(expected);
    }

    @Test
    void acceptsA50CharacterName() {
      String name = "l".repeat(50);
      assertThat(ListName.parse("--list", name).value()).isEqualTo(name);
    }

    static Stream<Arguments> invalidListNames() {
      return Stream.of(
          literally(""),
          literally("sympa"),
          literally("listmaster"),
          literally("bounce"),
          literally("abuse-feedback-report"),
          literally("postmaster"),
          literally("mailer-daemon"),
          literally("SYMPA"),
          literally("list-request"),
          literally("list-owner"),
          literally("list-editor"),
          literally("list-subscribe"),
          literally("list-unsubscribe"),
          literally("List-Owner"),
          literally(".list"),
          literally("-list"),
          literally("_list"),
          literally("a..b"),
          literally("a."),
          literally("l".repeat(51)),
          literally("a b"),
          literally("a+b"),
          literally("a@b"),
          Arguments.of("a\nb", "'a\\nb'"),
          literally("a/b"),
          literally("a#b"),
          literally("a$b"),
          Arguments.of("\u00e4", "'\\u00e4'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidListNames")
    void rejectsWithOneLineNamingTheValue(String raw, String quoted) {
      assertRejected(() -> ListName.parse("--list", raw), "--list", raw, quoted);
    }

    @Test
    void reservedNameErrorListsTheReservedNames() {
      InvalidSpecException e =
          assertRejected(() -> ListName.parse("--list", "bounce"), "--list", "bounce", "'bounce'");
      assertThat(e.getMessage())
          .contains("abuse-feedback-report, bounce, listmaster, mailer-daemon, postmaster, sympa");
    }

    @Test
    void suffixErrorNamesTheSuffixes() {
      InvalidSpecException e =
          assertRejected(
              () -> ListName.parse("--list", "x-editor"), "--list", "x-editor", "'x-editor'");
      assertThat(e.getMessage()).contains("-editor, -owner, -request, -subscribe, -unsubscribe");
    }

    @Test
    void specRejectsTheSameListTwice() {
      assertRejected(
          () ->
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.DOMAIN, "lists.example.org")
                      .lists(List.of("list1", "team", "list1"))
                      .set(Settings.FLAVOUR, "tools")
                      .build()),
          "--list",
          "list1",
          "'list1'");
    }

    @Test
    void specRejectsTheSameListTwiceInDifferentCase() {
      assertRejected(
          () ->
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.DOMAIN, "lists.example.org")
                      .lists(List.of("list1", "LIST1"))
                      .set(Settings.FLAVOUR, "tools")
                      .build()),
          "--list",
          "list1",
          "'list1'");
    }

    @Test
    void specNamesTheListOptionWhenAListIsBad() {
      assertRejected(
          () ->
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.DOMAIN, "lists.example.org")
                      .lists(List.of("ok", "bad list"))
                      .set(Settings.FLAVOUR, "tools")
                      .build()),
          "--list",
          "bad list",
          "'bad list'");
    }

    @Test
    void valueTypeRefusesUpperCase() {
      assertRejected(() -> new ListName("List1"), "list", "List1", "'List1'");
    }
  }

  @Nested
  class ListmasterAddresses {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "Admin@Example.net,                     admin@example.net",
      "listmaster@lists.example.org,          listmaster@lists.example.org",
      "first.last+sympa@mail.example.org,     first.last+sympa@mail.example.org",
      "a_b-c@x.org,                           a_b-c@x.org",
    })
    void acceptsAndLowerCasesAddresses(String raw, String expected) {
      EmailAddress address = EmailAddress.parse("--listmaster", raw);
      assertThat(address.toString()).isEqualTo(expected);
      assertThat(address.localPart() + "@" + address.domain().value()).isEqualTo(expected);
    }

    @Test
    void acceptsA64CharacterLocalPart() {
      String address = "l".repeat(64) + "@x.org";
      assertThat(EmailAddress.parse("--listmaster", address).toString()).isEqualTo(address);
    }

    static Stream<Arguments> invalidAddresses() {
      return Stream.of(
          literally(""),
          literally("a b@x.org"),
          literally("@x.org"),
          literally("a@"),
          literally("a"),
          literally("a..b@x.org"),
          literally(".a@x.org"),
          literally("a.@x.org"),
          Arguments.of("a\n@x.org", "'a\\n@x.org'"),
          literally("a@b@c.org"),
          literally("a@x"),
          literally("a@-x.org"),
          literally("a@x.org."),
          literally("a\"b@x.org"),
          Arguments.of("a'b@x.org", "'a\\'b@x.org'"),
          literally("a,b@x.org"),
          literally("l".repeat(65) + "@x.org"),
          Arguments.of("\u00e4@x.org", "'\\u00e4@x.org'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidAddresses")
    void rejectsWithOneLineNamingTheValue(String raw, String quoted) {
      assertRejected(() -> EmailAddress.parse("--listmaster", raw), "--listmaster", raw, quoted);
    }

    @Test
    void specNamesTheListmasterOptionWhenTheAddressIsBad() {
      assertRejected(
          () ->
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.DOMAIN, "lists.example.org")
                      .set(Settings.LISTMASTER, "a@")
                      .set(Settings.FLAVOUR, "tools")
                      .build()),
          "--listmaster",
          "a@",
          "'a@'");
    }
  }

  @Nested
  class Spec {
    @Test
    void hostnameDefaultsToMxDotDomain() {
      ApplianceSpec spec =
          ApplianceSpec.fromUserInput(
              UserInput.builder()
                  .set(Settings.DOMAIN, "Lists.Example.org")
                  .set(Settings.FLAVOUR, "tools")
                  .build());
      assertThat(spec.hostname().value()).isEqualTo("mx.lists.example.org");
    }

    @Test
    void listmasterDefaultsToListmasterAtDomain() {
      ApplianceSpec spec =
          ApplianceSpec.fromUserInput(
              UserInput.builder()
                  .set(Settings.DOMAIN, "Lists.Example.org")
                  .set(Settings.FLAVOUR, "tools")
                  .build());
      assertThat(spec.listmaster().toString()).isEqualTo("listmaster@lists.example.org");
    }

    @Test
    void keepsExplicitHostnameAndListmasterLowerCased() {
      ApplianceSpec spec =
          ApplianceSpec.fromUserInput(
              UserInput.builder()
                  .set(Settings.DOMAIN, "lists.example.org")
                  .set(Settings.HOSTNAME, "MX1.Example.NET")
                  .set(Settings.LISTMASTER, "Admin@Example.net")
                  .set(Settings.FLAVOUR, "tools")
                  .build());
      assertThat(spec.hostname().value()).isEqualTo("mx1.example.net");
      assertThat(spec.listmaster().toString()).isEqualTo("admin@example.net");
    }

    @Test
    void keepsListsInTheGivenOrderLowerCased() {
      ApplianceSpec spec =
          ApplianceSpec.fromUserInput(
              UserInput.builder()
                  .set(Settings.DOMAIN, "lists.example.org")
                  .lists(List.of("Zeta", "alpha", "team.dev"))
                  .set(Settings.FLAVOUR, "tools")
                  .build());
      assertThat(spec.listNames())
          .extracting(ListName::value)
          .containsExactly("zeta", "alpha", "team.dev");
    }

    @Test
    void acceptsNoLists() {
      assertThat(
              ApplianceSpec.fromUserInput(
                      UserInput.builder()
                          .set(Settings.DOMAIN, "lists.example.org")
                          .set(Settings.FLAVOUR, "tools")
                          .build())
                  .listNames())
          .isEmpty();
    }

    @Test
    void validatesTheDomainBeforeAnythingElse() {
      assertRejected(
          () ->
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.DOMAIN, "bad domain")
                      .lists(List.of("bad list"))
                      .set(Settings.HOSTNAME, "bad host")
                      .set(Settings.LISTMASTER, "bad address")
                      .set(Settings.FLAVOUR, "tools")
                      .build()),
          "--domain",
          "bad domain",
          "'bad domain'");
    }
  }

  @Nested
  class WebUrls {
    @ParameterizedTest
    @CsvSource({
      "http://lists.example.org/sympa, http, lists.example.org, 0, /sympa",
      "HTTPS://Lists.Example.org:8443/lists/sympa, https, lists.example.org, 8443, /lists/sympa",
      "http://localhost:8080/sympa, http, localhost, 8080, /sympa",
      "http://127.0.0.1/wws, http, 127.0.0.1, 0, /wws"
    })
    void acceptsAnHttpOrHttpsAddressWithAPath(
        String raw, String scheme, String host, int port, String path) {
      WebInterface web = WebInterface.parse("--web-url", raw);
      assertThat(web)
          .isEqualTo(new WebInterface(scheme, host, port, path, WebInterface.DEFAULT_WORKERS));
      assertThat(web.url()).isEqualTo(scheme + "://" + host + (port == 0 ? "" : ":" + port) + path);
    }

    /**
     * Whatever reaches nginx.conf, sympa.conf or the health check's shell line must be inert there.
     */
    @ParameterizedTest
    @ValueSource(
        strings = {
          "lists.example.org/sympa",
          "ftp://lists.example.org/sympa",
          "http://lists.example.org",
          "http://lists.example.org/",
          "http://lists.example.org/sympa/",
          "http://lists.example.org/Sympa",
          "http://lists.example.org/sympa?x=1",
          "http://lists.example.org/sympa#top",
          "http://user@lists.example.org/sympa",
          "http://lists.example.org:0/sympa",
          "http://lists.example.org:65536/sympa",
          "http://lists..example.org/sympa",
          "http://lists.example.org/sym pa",
          "http://lists.example.org/sympa;rm",
          "http://lists.example.org/sympa'",
          "http://lists.example.org/sympa\nwwsympa_url http://evil.example/",
          "http://lists.example.org/a/../b",
          "http://[::1]/sympa",
          "http://lists.example.org//sympa",
          ""
        })
    void refusesAnythingElse(String raw) {
      InvalidSpecException e =
          catchThrowableOfType(
              InvalidSpecException.class,
              () -> WebInterface.parse("--web-url", raw.replace("\\n", "\n")));
      assertThat(e).as(raw).isNotNull();
      assertThat(e.getMessage()).doesNotContain("\n").startsWith("invalid --web-url ");
    }
  }

  @Nested
  class ImageReferences {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "sympa-appliance:latest",
          "sympa-appliance",
          "registry.example.org:5000/team/sympa:1.0_rc-2",
          "localhost/sympa-appliance:test"
        })
    void acceptsImageReferences(String raw) {
      assertThat(Grammar.imageReference("--tag", raw)).isEqualTo(raw);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "UPPER/Case:tag",
          "Sympa-Appliance",
          "sympa appliance",
          "sympa:",
          "sympa:bad/tag",
          ":tag"
        })
    void rejectsOthersNamingTheTagOption(String raw) {
      assertRejected(() -> Grammar.imageReference("--tag", raw), "--tag", raw, "'" + raw + "'");
    }
  }
}
