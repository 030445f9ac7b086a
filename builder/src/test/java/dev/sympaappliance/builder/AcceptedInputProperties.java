package dev.sympaappliance.builder;

import static dev.sympaappliance.builder.HostileInputs.assertRejected;
import static dev.sympaappliance.builder.HostileInputs.cli;
import static dev.sympaappliance.builder.HostileInputs.concat;
import static dev.sympaappliance.builder.HostileInputs.withScratch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.HostileInputs.Inputs;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.ListName;
import dev.sympaappliance.builder.spec.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever the builder accepts renders safely (item 8 of issue 4): a value never adds a line, never
 * reaches a regexp table unescaped, never changes or duplicates a key. Each accepted spec is
 * rendered through the CLI next to a spec of the same shape with placeholder values, and the two
 * are compared.
 */
class AcceptedInputProperties {
  private static final String MAIN_CF = "/etc/postfix/main.cf";
  private static final String TRANSPORT = "/etc/postfix/transport_regexp";
  private static final String VIRTUAL = "/etc/postfix/virtual.regexp";
  private static final String ALIASES = "/etc/sympa/sympa_aliases";
  private static final String SYMPA_CONF = "/etc/sympa/sympa/sympa.conf";

  /**
   * main.cf keys that carry a user value or that the routing needs, per role; the rest must match
   * the placeholder render.
   */
  private static final Set<String> CORE_KEYS =
      Set.of(
          "myhostname",
          "relay_domains",
          "transport_maps",
          "recipient_delimiter",
          "mynetworks",
          "smtpd_relay_restrictions");

  @Property(tries = 150)
  void acceptedSpecsRenderEveryRoleWithoutChangingItsShape(@ForAll("validInputs") Inputs in)
      throws Exception {
    renderAndCheck(in);
  }

  /**
   * Any value at all in one option: either refused cleanly (exit 2, one line naming it, nothing
   * written) or accepted and rendered safely. Nothing else (no exit 1, no exception).
   */
  @Property(tries = 200)
  void anyValueIsRefusedCleanlyOrRenderedSafely(@ForAll("anyCase") Tuple.Tuple2<String, String> c)
      throws Exception {
    String option = c.get1();
    String value = c.get2();
    Inputs in = withOption(option, value);
    withScratch(
        scratch -> {
          Path out = scratch.resolve("out");
          HostileInputs.Run run = cli(concat("render", in.args(), "--out=" + out));
          if (run.exit() == 2) {
            assertRejected(run, option, value);
            assertThat(out).doesNotExist();
          } else {
            assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isZero();
            renderAndCheck(in);
          }
        });
  }

  /** A valid spec of each role with {@code value} in {@code option}. */
  private static Inputs withOption(String option, String value) {
    String domain = "lists.example.org";
    return switch (option) {
      case "--domain" ->
          new Inputs(
              null,
              value,
              List.of("list1"),
              "mx.example.org",
              "owner@example.org",
              null,
              null,
              null);
      case "--hostname" ->
          new Inputs(null, domain, List.of("list1"), value, null, null, null, null);
      case "--list" -> new Inputs(null, domain, List.of(value), null, null, null, null, null);
      case "--listmaster" ->
          new Inputs(null, domain, List.of("list1"), null, value, null, null, null);
      case "--relayhost" ->
          new Inputs(null, domain, List.of("list1"), null, null, value, null, null);
      case "--sympa-server" ->
          new Inputs("relay", domain, List.of("list1"), null, null, null, value, null);
      case "--sympa-domain" ->
          new Inputs("relay", domain, List.of("list1"), null, null, null, "sympa", value);
      default -> throw new IllegalArgumentException(option);
    };
  }

  // ---------------------------------------------------------------- the checks

  private static void renderAndCheck(Inputs in) throws Exception {
    ApplianceSpec spec = in.spec();
    withScratch(
        scratch -> {
          Path out = scratch.resolve("out");
          HostileInputs.Run run = cli(concat("render", in.args(), "--out=" + out));
          assertThat(run.exit()).as("exit code; stderr: %s", run.err()).isZero();
          assertThat(run.err()).isEmpty();
          Path canonicalOut = scratch.resolve("canonical");
          HostileInputs.Run canonicalRun =
              cli(concat("render", in.canonical().args(), "--out=" + canonicalOut));
          assertThat(canonicalRun.exit()).as(canonicalRun.err()).isZero();

          Map<String, String> files = HostileInputs.readTree(out);
          Map<String, String> canonical = HostileInputs.readTree(canonicalOut);
          assertThat(files.keySet()).isEqualTo(canonical.keySet()).isNotEmpty();
          assertThat(run.out().lines()).hasSize(files.size());
          for (Map.Entry<String, String> file : files.entrySet()) {
            String text = file.getValue();
            assertThat(lineCount(text))
                .as("lines of %s", file.getKey())
                .isEqualTo(lineCount(canonical.get(file.getKey())));
            assertThat(text)
                .as(file.getKey())
                .doesNotContain("\r", "\0", "\u2028", "\u2029", "\u0085");
            assertThat(
                    text.chars()
                        .allMatch(ch -> ch == '\n' || ch == '\t' || (ch >= 0x20 && ch < 0x7f)))
                .as("%s is printable ASCII", file.getKey())
                .isTrue();
            if (file.getKey().startsWith("/etc/postfix/") && file.getKey().endsWith("regexp")) {
              checkRegexpTableSyntax(file.getKey(), text, spec);
            }
          }
          if (spec.role() != Role.SINK) {
            checkMainCf(files.get(MAIN_CF), canonical.get(MAIN_CF), spec);
          }
          switch (spec.role()) {
            case APPLIANCE -> {
              checkApplianceTransport(files.get(TRANSPORT), in, spec);
              checkAliases(files.get(ALIASES), spec);
              checkSympaConf(files.get(SYMPA_CONF), canonical.get(SYMPA_CONF), spec);
            }
            case RELAY -> checkRelayTables(files.get(TRANSPORT), files.get(VIRTUAL), in, spec);
            case SINK -> {}
          }
        });
  }

  private static int lineCount(String text) {
    return text.split("\n", -1).length;
  }

  /**
   * `key = value` lines: keys unique, the same keys in the same order as the placeholder render,
   * user values where they belong.
   */
  private static void checkMainCf(String text, String canonicalText, ApplianceSpec spec) {
    Map<String, String> settings = mainCfSettings(text);
    Map<String, String> canonical = mainCfSettings(canonicalText);
    assertThat(List.copyOf(settings.keySet()))
        .as("main.cf keys")
        .isEqualTo(List.copyOf(canonical.keySet()));
    assertThat(settings).containsKeys(CORE_KEYS.toArray(String[]::new));
    assertThat(settings)
        .containsEntry("myhostname", spec.hostname().value())
        .containsEntry("relay_domains", spec.domain().value());
    if (spec.relayhost().isPresent()) {
      assertThat(settings).containsEntry("relayhost", spec.relayhost().get().postfixNexthop());
    } else {
      assertThat(settings).doesNotContainKey("relayhost");
    }
  }

  private static final Pattern SETTING = Pattern.compile("([a-z][a-z0-9_]*) = (.*)");

  private static Map<String, String> mainCfSettings(String text) {
    Map<String, String> settings = new LinkedHashMap<>();
    String last = null;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0))) {
        assertThat(last).as("continuation line %s follows a setting", line).isNotNull();
        settings.put(last, settings.get(last) + " " + line.strip());
        continue;
      }
      Matcher m = SETTING.matcher(line);
      assertThat(m.matches()).as("main.cf line %s is `key = value`", line).isTrue();
      assertThat(settings)
          .as("main.cf key %s appears once", m.group(1))
          .doesNotContainKey(m.group(1));
      settings.put(m.group(1), m.group(2));
      last = m.group(1);
    }
    return settings;
  }

  private record Rule(String source, Pattern pattern, String result) {}

  private static final Pattern TABLE_LINE = Pattern.compile("/((?:[^\\\\/]|\\\\.)*)/\\s+(\\S+)");

  private static List<Rule> rules(String name, String text) {
    List<Rule> rules = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = TABLE_LINE.matcher(line);
      assertThat(m.matches()).as("%s line %s is /pattern/ result", name, line).isTrue();
      rules.add(
          new Rule(m.group(1), Pattern.compile(m.group(1), Pattern.CASE_INSENSITIVE), m.group(2)));
    }
    assertThat(rules).as(name).isNotEmpty();
    return rules;
  }

  /**
   * Every pattern names the domain only escaped; the only unescaped dots are the template's own
   * `.+`/`.*`; list names appear only escaped.
   */
  private static void checkRegexpTableSyntax(String name, String text, ApplianceSpec spec) {
    List<String> escapedDomains =
        List.of(escape(spec.domain().value()), escape(spec.sympaDomain().value()));
    for (Rule rule : rules(name, text)) {
      String p = rule.source();
      assertThat(p)
          .as("%s pattern %s", name, p)
          .doesNotContain(spec.domain().value(), spec.sympaDomain().value())
          .containsAnyOf(escapedDomains.toArray(String[]::new))
          .startsWith("^")
          .endsWith("$");
      for (int i = 0; i < p.length(); i++) {
        char ch = p.charAt(i);
        if (ch == '\\') {
          i++;
        } else if (ch == '.') {
          assertThat(i + 1 < p.length() && (p.charAt(i + 1) == '+' || p.charAt(i + 1) == '*'))
              .as("%s pattern %s: unescaped '.' at %d", name, p, i)
              .isTrue();
        }
      }
      for (ListName list : spec.listNames()) {
        if (list.value().contains(".")) {
          assertThat(p).as("%s pattern %s", name, p).doesNotContain(list.value());
        }
      }
    }
  }

  private static String escape(String literal) {
    return literal.replace(".", "\\.");
  }

  /** Postfix: first matching rule wins; $1 in the result is the first group. */
  private static Optional<String> route(List<Rule> rules, String address) {
    for (Rule rule : rules) {
      Matcher m = rule.pattern().matcher(address);
      if (m.find()) {
        String result = rule.result();
        if (m.groupCount() >= 1 && m.group(1) != null) {
          result = result.replace("${1}", m.group(1));
        }
        return Optional.of(result);
      }
    }
    return Optional.empty();
  }

  /**
   * Same length, one dot replaced by another character: a regexp with an unescaped dot would take
   * it.
   */
  private static List<String> dotVariants(String name) {
    List<String> variants = new ArrayList<>();
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '.') {
        for (char replacement : new char[] {'x', '-', '0'}) {
          variants.add(name.substring(0, i) + replacement + name.substring(i + 1));
        }
      }
    }
    return variants;
  }

  private static void checkApplianceTransport(String text, Inputs in, ApplianceSpec spec) {
    List<Rule> rules = rules("transport_regexp", text);
    String domain = spec.domain().value();
    String typed = in.domain(); // as the user typed it: Postfix matches case-insensitively
    List<String> locals = new ArrayList<>(spec.listNames().stream().map(ListName::value).toList());
    locals.add("sympa");
    for (String local : locals) {
      assertThat(route(rules, local + "@" + typed)).as(local).contains("sympa:");
      assertThat(route(rules, local + "@" + domain)).as(local).contains("sympa:");
      assertThat(route(rules, local + "-owner@" + domain)).as(local).contains("sympabounce:");
      for (String other : otherDomains(domain)) {
        assertThat(route(rules, local + "@" + other)).as("%s@%s", local, other).isEmpty();
        assertThat(route(rules, local + "-owner@" + other))
            .as("%s-owner@%s", local, other)
            .isEmpty();
      }
    }
    assertThat(route(rules, "bounce+x==y@" + domain)).contains("sympabounce:");
  }

  /** Dot variants, a subdomain, a longer name, and the domain as a suffix of another name. */
  private static List<String> otherDomains(String domain) {
    List<String> others = new ArrayList<>(dotVariants(domain));
    others.add("x." + domain);
    others.add(domain + "x");
    others.add("x" + domain);
    others.add(domain + ".evil.example");
    return others;
  }

  private static void checkRelayTables(
      String transport, String virtual, Inputs in, ApplianceSpec spec) {
    String domain = spec.domain().value();
    String sympaDomain = spec.sympaDomain().value();
    String nexthop = "relay:" + spec.sympaServer().orElseThrow().postfixNexthop();
    List<Rule> transportRules = rules("transport_regexp", transport);
    assertThat(route(transportRules, "x@" + sympaDomain)).contains(nexthop);
    assertThat(route(transportRules, "x@" + domain)).contains(nexthop);
    assertThat(route(transportRules, "x@" + in.domain())).contains(nexthop);
    for (String name : List.of(domain, sympaDomain)) {
      for (String other : otherDomains(name)) {
        if (!other.equals(domain) && !other.equals(sympaDomain)) {
          assertThat(route(transportRules, "x@" + other)).as("x@%s", other).isEmpty();
        }
      }
    }

    // virtual.regexp names no list (the relay asks the Sympa server which addresses exist): every
    // local part of the list domain, lists, their suffixes, bounce+ extensions and names that are
    // no list alike, keeps its local part and moves to the Sympa server's domain; no other domain.
    List<Rule> virtualRules = rules("virtual.regexp", virtual);
    Set<String> localParts = new HashSet<>(List.of("sympa", "bounce+a==b==c", "no-such-list"));
    for (ListName list : spec.listNames()) {
      localParts.add(list.value());
      localParts.add(list.value() + "-request");
      localParts.addAll(dotVariants(list.value()));
    }
    for (String local : localParts) {
      assertThat(route(virtualRules, local + "@" + domain))
          .as("%s@%s", local, domain)
          .contains(local + "@" + sympaDomain);
      assertThat(route(virtualRules, local + "@" + in.domain()))
          .as("%s@%s", local, in.domain())
          .contains(local + "@" + sympaDomain);
      for (String other : otherDomains(domain)) {
        assertThat(route(virtualRules, local + "@" + other)).as("%s@%s", local, other).isEmpty();
      }
    }
  }

  /**
   * Alias keys are exactly Sympa's and each list's; each value is a queue command for an address of
   * the domain.
   */
  private static void checkAliases(String text, ApplianceSpec spec) {
    List<String> expected =
        new ArrayList<>(
            List.of("sympa", "listmaster", "bounce+*", "bounce", "abuse-feedback-report"));
    for (ListName list : spec.listNames()) {
      for (String suffix : List.of("", "-request", "-editor", "-unsubscribe", "-owner")) {
        expected.add(list.value() + suffix);
      }
    }
    List<String> keys = new ArrayList<>();
    Pattern alias =
        Pattern.compile(
            "([^:\\s]+):\t\"\\| /usr/lib/sympa/bin/(?:queue|bouncequeue) ([a-z0-9._+-]+)@([^\"\\s]+)\"");
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = alias.matcher(line);
      assertThat(m.matches()).as("sympa_aliases line %s", line).isTrue();
      assertThat(m.group(3)).isEqualTo(spec.domain().value());
      keys.add(m.group(1));
    }
    assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static void checkSympaConf(String text, String canonicalText, ApplianceSpec spec) {
    assertThat(text)
        .contains(
            "\ndomain\t" + spec.domain().value() + "\n",
            "\nlistmaster\t" + spec.listmaster() + "\n");
    assertThat(sympaConfKeys(text)).isEqualTo(sympaConfKeys(canonicalText)).doesNotHaveDuplicates();
  }

  private static List<String> sympaConfKeys(String text) {
    return text.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("\t", 2)[0])
        .toList();
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<Inputs> validInputs() {
    return HostileInputs.validInputs();
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, String>> anyCase() {
    String noise = HostileInputs.ALNUM + ".-_:[]@+" + String.join("", HostileInputs.POISON);
    Arbitrary<String> random =
        Arbitraries.strings().withChars(noise.toCharArray()).ofMaxLength(300);
    Arbitrary<String> domains =
        Arbitraries.oneOf(HostileInputs.domain(), HostileInputs.invalidDomains(), random);
    return Arbitraries.of(
            "--domain",
            "--hostname",
            "--list",
            "--listmaster",
            "--relayhost",
            "--sympa-server",
            "--sympa-domain")
        .flatMap(
            option ->
                Combinators.combine(
                        Arbitraries.just(option),
                        switch (option) {
                          case "--list" ->
                              Arbitraries.oneOf(
                                  HostileInputs.listName(),
                                  HostileInputs.invalidListNames(),
                                  random);
                          case "--listmaster" ->
                              Arbitraries.oneOf(
                                  HostileInputs.emailAddress(),
                                  HostileInputs.invalidEmailAddresses(),
                                  random);
                          case "--relayhost", "--sympa-server" ->
                              Arbitraries.oneOf(
                                  HostileInputs.destination(),
                                  HostileInputs.invalidDestinations(),
                                  random);
                          default -> domains;
                        })
                    .as(Tuple::of));
  }
}
