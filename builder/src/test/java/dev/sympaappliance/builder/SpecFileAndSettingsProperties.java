package dev.sympaappliance.builder;

import static dev.sympaappliance.builder.HostileInputs.assertRejected;
import static dev.sympaappliance.builder.HostileInputs.cli;
import static dev.sympaappliance.builder.HostileInputs.entries;
import static dev.sympaappliance.builder.HostileInputs.withScratch;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Hostile values through the options that write settings verbatim (--postconf into main.cf,
 * --sympa-conf into sympa.conf) and through the YAML spec file: each is refused with exit 2 and one
 * line that names it (for the file: file:line:column, key path) and its value, nothing written.
 * Accepted --postconf values land as exactly one line at the end of main.cf.
 */
class SpecFileAndSettingsProperties {
  private static final String DOMAIN = "lists.example.org";

  /**
   * Characters no setting value may hold: control characters, line breaks, and (main.cf) non-ASCII.
   */
  private static final List<String> SETTING_POISON =
      List.of(
          "\r", "\n", "\r\n", "\0", "\t", "\u0085", "\u2028", "\u2029", "\u001b", "\u007f",
          "\u0001");

  private static final List<String> ASCII_ONLY_POISON =
      List.of("\u00e9", "\u65e5", "\ud83d\ude00", "\u00a0", "\ufeff");

  // ---------------------------------------------------------------- --postconf

  @Property(tries = 150)
  void hostilePostconfIsRefused(@ForAll("hostilePostconf") String raw) throws Exception {
    withScratch(
        scratch -> {
          Path out = scratch.resolve("out");
          assertRejected(
              cli(
                  List.of(
                      "render",
                      "--sympa=tools",
                      "--domain=" + DOMAIN,
                      "--postconf=" + raw,
                      "--out=" + out)),
              "--postconf",
              raw);
          assertThat(entries(scratch)).isEmpty();
        });
  }

  @Property(tries = 150)
  void acceptedPostconfIsExactlyOneLineAtTheEndOfMainCf(
      @ForAll("postconfNames") String name, @ForAll("postconfValues") String value)
      throws Exception {
    withScratch(
        scratch -> {
          Path out = scratch.resolve("out");
          HostileInputs.Run run =
              cli(
                  List.of(
                      "render",
                      "--sympa=tools",
                      "--domain=" + DOMAIN,
                      "--list=list1",
                      "--postconf=" + name + "=" + value,
                      "--out=" + out));
          assertThat(run.exit()).as(run.err()).isZero();
          String mainCf =
              Files.readString(out.resolve("etc/postfix/main.cf"), StandardCharsets.US_ASCII);
          String line = name + " = " + value;
          assertThat(mainCf).endsWith("\n" + line + "\n");
          assertThat(mainCf.lines().filter(line::equals)).hasSize(1);
        });
  }

  // ---------------------------------------------------------------- --sympa-conf

  @Property(tries = 150)
  void hostileSympaConfIsRefused(@ForAll("hostileSympaConf") String raw) throws Exception {
    withScratch(
        scratch -> {
          Path out = scratch.resolve("out");
          assertRejected(
              cli(
                  List.of(
                      "render",
                      "--listmaster=admin@example.org",
                      "--domain=" + DOMAIN,
                      "--sympa-conf=" + raw,
                      "--out=" + out)),
              "--sympa-conf",
              raw);
          assertThat(entries(scratch)).isEmpty();
        });
  }

  // ---------------------------------------------------------------- the spec file

  /**
   * A spec file with {@code value} (quoted as a YAML double-quoted scalar, every non-printable
   * character escaped) at {@code key}: the error names the file, the line and column of the value,
   * its key path and the value.
   */
  @Property(tries = 300)
  void hostileValuesInTheSpecFileAreRefusedWithTheirPlace(
      @ForAll("hostileFileValues") Tuple.Tuple2<String, String> c) throws Exception {
    String key = c.get1();
    String value = c.get2();
    String quoted = yamlQuoted(value);
    String[] lines = {
      "domain: " + (key.equals("domain") ? quoted : DOMAIN),
      "listmaster: admin@example.org",
      "sympa_conf:",
      "  max_size: " + (key.equals("sympa_conf") ? quoted : "\"1\""),
      "lists:",
      "  - name: " + (key.equals("name") ? quoted : "team"),
      "    subject: " + (key.equals("subject") ? quoted : "Team"),
      "    owners: [" + (key.equals("owner") ? quoted : "alice@example.org") + "]",
      "    subscribers:",
      "      - address: carol@example.net",
      "        name: " + (key.equals("subscriber") ? quoted : "Carol"),
    };
    int line =
        switch (key) {
          case "domain" -> 1;
          case "sympa_conf" -> 4;
          case "name" -> 6;
          case "subject" -> 7;
          case "owner" -> 8;
          default -> 11;
        };
    int column = lines[line - 1].indexOf(quoted) + 1;
    String path =
        switch (key) {
          case "domain" -> "domain";
          case "sympa_conf" -> "sympa_conf.max_size";
          case "name" -> "lists[0].name";
          case "subject" -> "lists[0].subject";
          case "owner" -> "lists[0].owners[0]";
          default -> "lists[0].subscribers[0].name";
        };
    withScratch(
        scratch -> {
          Path file =
              Files.writeString(scratch.resolve("spec.yaml"), String.join("\n", lines) + "\n");
          Path out = scratch.resolve("out");
          assertRejected(
              cli(List.of("render", "--spec=" + file, "--out=" + out)),
              file + ":" + line + ":" + column + ": " + path,
              value);
          assertThat(entries(scratch)).containsExactly("spec.yaml");
        });
  }

  /**
   * YAML double-quoted scalar: printable ASCII as is (but '"' and '\'), everything else escaped by
   * code point.
   */
  static String yamlQuoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    value
        .codePoints()
        .forEach(
            cp -> {
              if (cp == '"' || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
              } else if (cp >= 0x20 && cp < 0x7f) {
                out.appendCodePoint(cp);
              } else if (cp <= 0xffff) {
                out.append(String.format("\\u%04x", cp));
              } else {
                out.append(String.format("\\U%08x", cp));
              }
            });
    return out.append('"').toString();
  }

  // ---------------------------------------------------------------- generators

  private static Arbitrary<String> printableAscii(int min, int max) {
    return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(min).ofMaxLength(max);
  }

  @Provide
  Arbitrary<String> postconfNames() {
    return Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').ofLength(1),
            Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789_")
                .ofMaxLength(63))
        .as(String::concat);
  }

  /**
   * Printable ASCII, $name and ${a?{b}:{c}} included, no blank at either end (the CLI strips
   * those).
   */
  @Provide
  Arbitrary<String> postconfValues() {
    Arbitrary<String> expansions =
        Arbitraries.of("$myhostname", "${stress?{1}:{20}}", "a = b", "#not a comment", "\\");
    return Arbitraries.oneOf(printableAscii(0, 1000), expansions).map(String::strip);
  }

  @Provide
  Arbitrary<String> hostilePostconf() {
    Arbitrary<String> poisonedValue =
        Combinators.combine(
                postconfNames(),
                HostileInputs.poisoned(
                    printableAscii(0, 40), concat(SETTING_POISON, ASCII_ONLY_POISON)))
            .as((n, v) -> n + "=" + v);
    Arbitrary<String> poisonedName =
        Combinators.combine(
                HostileInputs.poisoned(
                    postconfNames(), List.of("A", "-", ".", "\u00e9", "\n", "$", "[")),
                printableAscii(0, 20))
            .as((n, v) -> n + "=" + v);
    Arbitrary<String> structural =
        Arbitraries.of(
            "",
            "=",
            "=1",
            "a",
            "1a=1",
            "_a=1",
            "A=1",
            "a-b=1",
            "a".repeat(65) + "=1",
            "a=" + "x".repeat(1001));
    return Arbitraries.oneOf(poisonedValue, poisonedName, structural);
  }

  private Arbitrary<String> sympaConfNames() {
    return Combinators.combine(postconfNames(), Arbitraries.of("", ".mode", ".a_1"))
        .as(String::concat)
        .filter(n -> n.length() <= 64);
  }

  @Provide
  Arbitrary<String> hostileSympaConf() {
    Arbitrary<String> poisonedValue =
        Combinators.combine(
                sympaConfNames(),
                HostileInputs.poisoned(
                    printableAscii(1, 40).map(String::strip).filter(v -> !v.isEmpty()),
                    SETTING_POISON))
            .as((n, v) -> n + "=" + v);
    Arbitrary<String> poisonedName =
        Combinators.combine(
                HostileInputs.poisoned(
                    sympaConfNames(), List.of("A", "-", "..", "\u00e9", "\n", "$", "x y")),
                printableAscii(1, 20))
            .as((n, v) -> n + "=" + v);
    Arbitrary<String> structural =
        Arbitraries.of(
            "",
            "=",
            "=1",
            "a",
            "a=",
            "a= ",
            "1a=1",
            "a.=1",
            ".a=1",
            "a".repeat(65) + "=1",
            "a=" + "x".repeat(1001));
    return Arbitraries.oneOf(poisonedValue, poisonedName, structural);
  }

  /** Subjects, subscriber names and sympa.conf values: what one-line text may not be. */
  private static Arbitrary<String> hostileText(int max) {
    Arbitrary<String> valid =
        Arbitraries.of("Team discussion", "\u00c9quipe <dev> & co", "\u65e5\u672c\u8a9e", "x");
    Arbitrary<String> poisoned = HostileInputs.poisoned(valid, SETTING_POISON);
    Arbitrary<String> blanks =
        Combinators.combine(
                valid, Arbitraries.of(" ", "\u00a0", "\u3000"), Arbitraries.of(true, false))
            .as((v, b, first) -> first ? b + v : v + b);
    Arbitrary<String> tooLong =
        Arbitraries.integers().between(max + 1, max + 50).map("\u00e9"::repeat);
    return Arbitraries.oneOf(poisoned, blanks, tooLong, Arbitraries.just(""));
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, String>> hostileFileValues() {
    return Arbitraries.of("domain", "name", "owner", "subject", "subscriber", "sympa_conf")
        .flatMap(
            key ->
                Combinators.combine(
                        Arbitraries.just(key),
                        switch (key) {
                          case "domain" -> HostileInputs.invalidDomains();
                          case "name" -> HostileInputs.invalidListNames();
                          case "owner" -> HostileInputs.invalidEmailAddresses();
                          case "sympa_conf" -> hostileText(1000);
                          default -> hostileText(100);
                        })
                    .as(Tuple::of));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
