package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.UserInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Evaluates the rendered transport_regexp the way Postfix does (first match wins, patterns
 * case-insensitive by default) to show where each address of the list domain goes.
 */
class TransportRegexpRoutingTest {
  private record Rule(Pattern pattern, String result) {}

  private static final List<Rule> RULES =
      parse(
          new ConfigRenderer()
              .render(
                  ApplianceSpec.fromUserInput(
                      UserInput.builder()
                          .set(Settings.DOMAIN, "lists.example.org")
                          .lists(List.of("list1", "team.dev"))
                          .set(Settings.FLAVOUR, "tools")
                          .build()))
              .file("/etc/postfix/transport_regexp")
              .orElseThrow()
              .text());

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "list1@lists.example.org,                     sympa:",
    "team.dev@lists.example.org,                  sympa:",
    "list1-request@lists.example.org,             sympa:",
    "list1-editor@lists.example.org,              sympa:",
    "list1-subscribe@lists.example.org,           sympa:",
    "list1-unsubscribe@lists.example.org,         sympa:",
    "sympa@lists.example.org,                     sympa:",
    "listmaster@lists.example.org,                sympa:",
    "list1-owner@lists.example.org,               sympabounce:",
    "team.dev-owner@lists.example.org,            sympabounce:",
    "LIST1-Owner@Lists.Example.ORG,               sympabounce:",
    "bounce+list1==a==example.net@lists.example.org, sympabounce:",
    "bounce@lists.example.org,                    sympabounce:",
    "abuse-feedback-report@lists.example.org,     sympabounce:",
  })
  void routesListDomainAddressesToTheRightSympaSpool(String recipient, String transport) {
    assertThat(route(recipient)).contains(transport);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "list1@listsXexampleYorg",
        "list1@lists-example.org",
        "list1@mx.lists.example.org",
        "list1@evil-lists.example.org",
        "list1@lists.example.org.evil.net",
        "list1@lists.example.orgx",
        "list1@example.org",
        "list1-owner@listsXexample.org",
        "bounce+x@lists.example.org.evil.net",
      })
  void leavesEveryOtherDomainAlone(String recipient) {
    assertThat(route(recipient)).isEmpty();
  }

  private static Optional<String> route(String recipient) {
    return RULES.stream()
        .filter(rule -> rule.pattern().matcher(recipient).find())
        .map(Rule::result)
        .findFirst();
  }

  /** Parses "/pattern/<whitespace>result" lines; comments and blank lines are skipped. */
  private static List<Rule> parse(String table) {
    Pattern line = Pattern.compile("/((?:[^\\\\/]|\\\\.)*)/\\s+(\\S+)");
    List<Rule> rules = new ArrayList<>();
    for (String text : table.split("\n")) {
      if (text.isBlank() || text.startsWith("#")) {
        continue;
      }
      Matcher m = line.matcher(text);
      assertThat(m.matches()).as("regexp table line %s", text).isTrue();
      rules.add(new Rule(Pattern.compile(m.group(1), Pattern.CASE_INSENSITIVE), m.group(2)));
    }
    assertThat(rules).isNotEmpty();
    return rules;
  }
}
