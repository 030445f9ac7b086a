package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Flavours, lists and sympa.conf overrides: the rules of the extended spec. */
class ApplianceSpecTest {
  private static final String DOMAIN = "lists.example.org";

  private static UserInput appliance(String flavour, String listmaster, List<String> sympaConf) {
    return UserInput.builder()
        .set(Settings.DOMAIN, DOMAIN)
        .lists(List.of("team"))
        .set(Settings.LISTMASTER, listmaster)
        .set(Settings.FLAVOUR, flavour)
        .sympaConf(sympaConf)
        .build();
  }

  @Test
  void anApplianceIsFullByDefault() {
    ApplianceSpec spec =
        ApplianceSpec.fromUserInput(appliance(null, "admin@example.org", List.of()));
    assertThat(spec.flavour()).isEqualTo(Flavour.FULL);
    assertThat(ApplianceSpec.fromUserInput(DOMAIN, List.of(), null, "admin@example.org").flavour())
        .isEqualTo(Flavour.FULL);
  }

  @Test
  void fullWithoutAListmasterTakesPostmasterOfTheParentDomain() {
    ApplianceSpec spec = ApplianceSpec.fromUserInput(appliance(null, null, List.of()));
    assertThat(spec.listmaster()).hasToString("postmaster@example.org");
    assertThat(spec.lists().get(0).owners())
        .extracting(Object::toString)
        .containsExactly("postmaster@example.org");
    assertThat(
            ApplianceSpec.fromUserInput("lists.example.co.uk", List.of(), null, null).listmaster())
        .hasToString("postmaster@example.co.uk");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"example.org", "lists.internal", "lists.example.internal", "example.co.uk"})
  void fullStillNeedsAListmasterWhereTheParentIsNoDomainUnderAPublicSuffix(String domain) {
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(domain, List.of(), null, null))
        .hasMessage(
            "invalid --listmaster '': required with --sympa full when the list domain has no parent"
                + " domain under a public suffix, whose postmaster@ is the default ("
                + domain
                + " has none): Sympa mails the listmaster, and listmaster@"
                + domain
                + " is inside the list domain, where its notices loop");
  }

  @Test
  void fullRefusesAListmasterInsideTheListDomain() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    appliance("full", "Admin@Lists.Example.org", List.of())))
        .hasMessageStartingWith(
            "invalid --listmaster 'Admin@Lists.Example.org': with --sympa full the listmaster"
                + " must be outside the list domain: ")
        .hasMessageEndingWith(
            "admin@lists.example.org is inside the list domain, where its notices loop");
  }

  @Test
  void toolsKeepsTheDefaultListmaster() {
    ApplianceSpec spec = ApplianceSpec.fromUserInput(appliance("tools", null, List.of()));
    assertThat(spec.flavour()).isEqualTo(Flavour.TOOLS);
    assertThat(spec.listmaster().toString()).isEqualTo("listmaster@lists.example.org");
  }

  @Test
  void relayAndSinkAreToolsAndRefuseTheSympaOption() {
    ApplianceSpec sink =
        ApplianceSpec.fromUserInput(
            UserInput.builder()
                .set(Settings.ROLE, "sink")
                .set(Settings.DOMAIN, "example.net")
                .build());
    assertThat(sink.flavour()).isEqualTo(Flavour.TOOLS);
    ApplianceSpec relay =
        ApplianceSpec.fromUserInput(
            UserInput.builder()
                .set(Settings.ROLE, "relay")
                .set(Settings.DOMAIN, DOMAIN)
                .set(Settings.SYMPA_SERVER, "sympa")
                .build());
    assertThat(relay.flavour()).isEqualTo(Flavour.TOOLS);
    for (String flavour : List.of("tools", "full")) {
      assertThatThrownBy(
              () ->
                  ApplianceSpec.fromUserInput(
                      UserInput.builder()
                          .set(Settings.ROLE, "sink")
                          .set(Settings.DOMAIN, "example.net")
                          .set(Settings.FLAVOUR, flavour)
                          .build()))
          .hasMessage("invalid --sympa '" + flavour + "': only applies to --role appliance");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Full", "FULL", "tool", "full ", "sympa"})
  void flavourIsFullOrTools(String raw) {
    assertThatThrownBy(
            () -> ApplianceSpec.fromUserInput(appliance(raw, "admin@example.org", List.of())))
        .hasMessageStartingWith("invalid --sympa ")
        .hasMessageEndingWith(": one of tools, full");
  }

  @Test
  void theFullFlavourServesTheWebInterfaceAtHttpDomainSympaUnlessTurnedOff() {
    UserInput full = appliance(null, "admin@example.org", List.of());
    assertThat(ApplianceSpec.fromUserInput(full).web())
        .contains(new WebInterface("http", DOMAIN, 0, "/sympa", WebInterface.DEFAULT_WORKERS));
    assertThat(ApplianceSpec.fromUserInput(full.toBuilder().set(Settings.WEB, true).build()).web())
        .map(WebInterface::url)
        .contains("http://lists.example.org/sympa");
    assertThat(ApplianceSpec.fromUserInput(full.toBuilder().set(Settings.WEB, false).build()).web())
        .isEmpty();
    assertThat(
            ApplianceSpec.fromUserInput(
                    full.toBuilder().set(Settings.WEB_URL, "https://www.example.org/lists").build())
                .web())
        .map(WebInterface::url)
        .contains("https://www.example.org/lists");
    assertThat(ApplianceSpec.fromUserInput(appliance("tools", null, List.of())).web()).isEmpty();
  }

  @Test
  void theWebInterfaceOptionsNeedAServedWebInterface() {
    UserInput tools = appliance("tools", null, List.of());
    assertThatThrownBy(
            () -> ApplianceSpec.fromUserInput(tools.toBuilder().set(Settings.WEB, true).build()))
        .hasMessage(
            "invalid --web 'true': only applies to --role appliance --sympa full (the tools flavour has no"
                + " web interface)");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    tools.toBuilder()
                        .set(Settings.WEB_URL, "http://lists.example.org/sympa")
                        .build()))
        .hasMessageStartingWith(
            "invalid --web-url 'http://lists.example.org/sympa': only applies to --role appliance");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    UserInput.builder()
                        .set(Settings.ROLE, "relay")
                        .set(Settings.DOMAIN, DOMAIN)
                        .set(Settings.SYMPA_SERVER, "sympa")
                        .set(Settings.WEB, true)
                        .build()))
        .hasMessageStartingWith("invalid --web 'true': only applies");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    appliance(null, "admin@example.org", List.of()).toBuilder()
                        .set(Settings.WEB, false)
                        .set(Settings.WEB_URL, "http://lists.example.org/sympa")
                        .build()))
        .hasMessage(
            "invalid --web-url 'http://lists.example.org/sympa': the web interface is turned off (--no-web);"
                + " give an address only to a web interface that is served");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    appliance(null, "admin@example.org", List.of()).toBuilder()
                        .set(Settings.WEB_URL, "http://lists.example.org/sympa\ncookie x")
                        .build()))
        .hasMessageStartingWith(
            "invalid --web-url 'http://lists.example.org/sympa\\ncookie x': expected http://HOST[:PORT]/PATH")
        .hasMessageEndingWith("found a line feed at position 31");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cookie=0123456789abcdef", "db_passwd=secret"})
  void aSecretIsNeverASympaConfOverride(String raw) {
    assertThatThrownBy(
            () -> ApplianceSpec.fromUserInput(appliance(null, "admin@example.org", List.of(raw))))
        .hasMessageContaining("a per-site secret, which must not be in the spec or the image")
        .hasMessageNotContaining("0123456789abcdef")
        .hasMessageNotContaining("=secret");
  }

  @Test
  void aListGivenByNameHasTheDefaults() {
    ApplianceSpec spec =
        ApplianceSpec.fromUserInput(appliance("full", "admin@example.org", List.of()));
    EmailAddress master = EmailAddress.parse("x", "admin@example.org");
    assertThat(spec.lists())
        .containsExactly(
            new MailingList(
                new ListName("team"),
                "team",
                "discussion_list",
                Optional.empty(),
                List.of(master),
                List.of(),
                List.of()));
    assertThat(spec.listNames()).containsExactly(new ListName("team"));
  }

  @Test
  void aListNeedsAnOwnerAKnownTypeAndAOneLineSubject() {
    ListName name = new ListName("team");
    List<EmailAddress> owners = List.of(EmailAddress.parse("x", "a@example.org"));
    assertThatThrownBy(
            () ->
                new MailingList(
                    name,
                    "Team",
                    "discussion_list",
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of()))
        .hasMessage("invalid owners 'team': a list needs at least one owner");
    assertThatThrownBy(
            () ->
                new MailingList(
                    name, "Team", "discussion", Optional.empty(), owners, List.of(), List.of()))
        .hasMessageStartingWith(
            "invalid type 'discussion': one of Sympa's list templates: confidential,");
    assertThatThrownBy(
            () ->
                new MailingList(
                    name,
                    "Team\nBcc: x",
                    "discussion_list",
                    Optional.empty(),
                    owners,
                    List.of(),
                    List.of()))
        .hasMessageStartingWith("invalid subject 'Team\\nBcc: x': expected text on one line");
    assertThatThrownBy(() -> new Subscriber(owners.get(0), Optional.of(" Carol"), Optional.empty()))
        .hasMessageStartingWith("invalid subscriber name ' Carol': expected text on one line");
    assertThat(
            new MailingList(
                    name,
                    "Équipe <dev> & 日本",
                    "news-letter",
                    Optional.empty(),
                    owners,
                    List.of(),
                    List.of())
                .subject())
        .isEqualTo("Équipe <dev> & 日本");
  }

  @Test
  void sympaConfOverridesAreKeptInOrder() {
    ApplianceSpec spec =
        ApplianceSpec.fromUserInput(
            appliance(
                "full",
                "admin@example.org",
                List.of(
                    "max_size=10485760",
                    "dmarc_protection.mode = dmarc_reject",
                    "gecos=Listes – Exemple")));
    assertThat(spec.sympaOverrides())
        .containsExactly(
            Map.entry("max_size", "10485760"),
            Map.entry("dmarc_protection.mode", "dmarc_reject"),
            Map.entry("gecos", "Listes – Exemple"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "max_size",
        "=1",
        "Max_size=1",
        "max-size=1",
        "1max=1",
        "max_size=",
        "max_size=a\nb",
        "a..b=1",
        "a.=1",
        "_a=1",
        "max_size=a\u2028b",
        "max_size=\u0000"
      })
  void sympaConfOverridesAreChecked(String raw) {
    assertThatThrownBy(
            () -> ApplianceSpec.fromUserInput(appliance("full", "admin@example.org", List.of(raw))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("invalid --sympa-conf " + Text.quoteForMessage(raw) + ": ")
        .hasMessageContaining("NAME=VALUE: NAME a sympa.conf parameter name");
  }

  @Test
  void sympaConfNameAndValueHaveLimits() {
    String key = "a".repeat(64);
    assertThat(
            ApplianceSpec.fromUserInput(
                    appliance("full", "admin@example.org", List.of(key + "=" + "é".repeat(1000))))
                .sympaOverrides())
        .containsKey(key);
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    appliance("full", "admin@example.org", List.of(key + "a=1"))))
        .hasMessageStartingWith("invalid --sympa-conf ");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    appliance("full", "admin@example.org", List.of("a=" + "x".repeat(1001)))))
        .hasMessageStartingWith("invalid --sympa-conf ");
  }

  @Test
  void eachSympaConfNameOnce() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    appliance("full", "admin@example.org", List.of("a=1", "a = 2"))))
        .hasMessage("invalid --sympa-conf 'a = 2': each parameter may be given only once");
  }

  @Test
  void sympaConfOnlyForAnAppliance() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    UserInput.builder()
                        .set(Settings.ROLE, "relay")
                        .set(Settings.DOMAIN, DOMAIN)
                        .set(Settings.SYMPA_SERVER, "sympa")
                        .sympaConf(List.of("max_size=1"))
                        .build()))
        .hasMessage("invalid --sympa-conf 'max_size=1': only applies to --role appliance");
  }

  /** The value given, not the parameter name alone (it used to say "invalid --postconf 'a'"). */
  @Test
  void postconfOnASinkNamesTheValueGiven() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    UserInput.builder()
                        .set(Settings.ROLE, "sink")
                        .set(Settings.DOMAIN, "example.net")
                        .postconf(List.of("a = b"))
                        .build()))
        .hasMessage("invalid --postconf 'a = b': a sink runs no Postfix");
  }
}
