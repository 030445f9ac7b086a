package dev.sympaappliance.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.cli.BuilderCli;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.ListName;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.Text;
import dev.sympaappliance.builder.spec.UserInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import picocli.CommandLine;

/**
 * Generators of valid and hostile builder input, the in-process CLI harness and the scratch
 * directories shared by {@link HostileInputProperties} and {@link AcceptedInputProperties}.
 */
final class HostileInputs {
  private HostileInputs() {}

  static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  static final String ALNUM = LOWER + LOWER.toUpperCase(Locale.ROOT) + "0123456789";

  /**
   * Pieces that no domain, host name or list name may contain anywhere: line breaks, NUL, blanks,
   * comment and path characters, regexp metacharacters, shell and FreeMarker interpolation, quotes,
   * separators of Postfix and Sympa syntaxes, and non-ASCII text (Unicode line and paragraph
   * separators, bidirectional marks, a BOM, letters of other scripts, an emoji as a surrogate
   * pair). '_', '+' and ':' are in it too; the generators that allow one of them remove it.
   */
  static final List<String> POISON =
      List.of(
          "\r",
          "\n",
          "\r\n",
          "\0",
          " ",
          "\t",
          "#",
          "/",
          "\\",
          ".*",
          "[",
          "]",
          "(",
          ")",
          "{",
          "}",
          "*",
          "+",
          "?",
          "^",
          "$",
          "${",
          "${1}",
          "$(id)",
          "|",
          "'",
          "\"",
          "`",
          ";",
          "@",
          ":",
          ",",
          "=",
          "!",
          "%",
          "&",
          "<",
          ">",
          "~",
          "_",
          "\u2028",
          "\u2029",
          "\u200e",
          "\u200f",
          "\u202e",
          "\u0085",
          "\u00a0",
          "\ufeff",
          "\u001b",
          "\u007f",
          "\u00e9",
          "\u00df",
          "\u65e5\u672c",
          "\u0430",
          "\ud83d\ude00",
          "\uff0e");

  /** What a path may not contain: control characters and Unicode line/paragraph separators. */
  static final List<String> PATH_POISON =
      List.of(
          "\0", "\n", "\r", "\r\n", "\t", "\u0085", "\u2028", "\u2029", "\u001b", "\u007f",
          "\u0001");

  static List<String> poisonWithout(String... allowed) {
    List<String> out = new ArrayList<>(POISON);
    out.removeAll(List.of(allowed));
    return out;
  }

  // ---------------------------------------------------------------- valid values (mixed case)

  /** An RFC 1035 label of 1-63 letters, digits and inner hyphens, sometimes an xn-- label. */
  static Arbitrary<String> label() {
    Arbitrary<String> one = Arbitraries.strings().withChars(ALNUM).ofLength(1);
    Arbitrary<String> plain =
        Combinators.combine(
                one,
                Arbitraries.strings().withChars(ALNUM + "-").ofMaxLength(61),
                one,
                Arbitraries.of(true, false))
            .as((first, middle, last, single) -> single ? first : first + middle + last);
    Arbitrary<String> punycode =
        Arbitraries.strings()
            .withChars(LOWER + "0123456789")
            .ofMinLength(1)
            .ofMaxLength(30)
            .map(rest -> "xn--" + rest);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(1, punycode));
  }

  static boolean lastLabelNumeric(String name) {
    String last = name.substring(name.lastIndexOf('.') + 1);
    return !last.isEmpty() && last.chars().allMatch(Character::isDigit);
  }

  /** A host name of two or more labels, at most {@code maxLength} characters. */
  static Arbitrary<String> domain(int maxLength) {
    return label()
        .list()
        .ofMinSize(2)
        .ofMaxSize(4)
        .map(labels -> String.join(".", labels))
        .filter(d -> d.length() <= maxLength && !lastLabelNumeric(d));
  }

  /** A domain whose default host name (mx.DOMAIN, relay.DOMAIN) is still a valid host name. */
  static Arbitrary<String> domain() {
    return domain(253 - "relay.".length());
  }

  static boolean allowedListName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.length() <= ListName.MAX_LENGTH
        && !ListName.RESERVED.contains(lower)
        && ListName.SUFFIXES.stream().noneMatch(lower::endsWith);
  }

  /** [a-z0-9][a-z0-9_-]* with inner single dots, mixed case, not reserved, no Sympa suffix. */
  static Arbitrary<String> listName() {
    Arbitrary<String> first =
        Combinators.combine(
                Arbitraries.strings().withChars(ALNUM).ofLength(1),
                Arbitraries.strings().withChars(ALNUM + "_-").ofMaxLength(20))
            .as(String::concat);
    Arbitrary<String> more =
        Arbitraries.strings().withChars(ALNUM + "_-").ofMinLength(1).ofMaxLength(10);
    return Combinators.combine(first, more.list().ofMaxSize(3))
        .as(
            (f, rest) ->
                Stream.concat(Stream.of(f), rest.stream()).collect(Collectors.joining(".")))
        .filter(HostileInputs::allowedListName);
  }

  static Arbitrary<String> emailAddress() {
    Arbitrary<String> atom =
        Arbitraries.strings().withChars(ALNUM + "_+-").ofMinLength(1).ofMaxLength(20);
    Arbitrary<String> local =
        atom.list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(parts -> String.join(".", parts))
            .filter(l -> l.length() <= 64);
    return Combinators.combine(local, domain()).as((l, d) -> l + "@" + d);
  }

  /** HOST, HOST:PORT, [HOST] or [HOST]:PORT; HOST one or more labels or an IPv4 address. */
  static Arbitrary<String> destination() {
    Arbitrary<String> ipv4 =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(4)
            .map(octets -> octets.stream().map(String::valueOf).collect(Collectors.joining(".")));
    Arbitrary<String> name =
        label()
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(labels -> String.join(".", labels))
            .filter(h -> h.length() <= 253 && !lastLabelNumeric(h));
    return Combinators.combine(
            Arbitraries.oneOf(ipv4, name),
            Arbitraries.integers().between(1, 65535),
            Arbitraries.integers().between(0, 3))
        .as(
            (host, port, form) ->
                switch (form) {
                  case 0 -> host;
                  case 1 -> host + ":" + port;
                  case 2 -> "[" + host + "]";
                  default -> "[" + host + "]:" + port;
                });
  }

  /** Raw CLI values of a spec; null means the option is not given. */
  record Inputs(
      String role,
      String domain,
      List<String> lists,
      String hostname,
      String listmaster,
      String relayhost,
      String sympaServer,
      String sympaDomain) {

    /**
     * Today's image, Sympa's spool tools only: the flavour of an appliance, none for the other
     * roles.
     */
    String flavour() {
      return role == null || role.equals("appliance") ? "tools" : null;
    }

    List<String> args() {
      List<String> args = new ArrayList<>();
      add(args, "--role", role);
      add(args, "--sympa", flavour());
      add(args, "--domain", domain);
      lists.forEach(list -> add(args, "--list", list));
      add(args, "--hostname", hostname);
      add(args, "--listmaster", listmaster);
      add(args, "--relayhost", relayhost);
      add(args, "--sympa-server", sympaServer);
      add(args, "--sympa-domain", sympaDomain);
      return args;
    }

    ApplianceSpec spec() {
      return ApplianceSpec.fromUserInput(
          UserInput.builder()
              .set(Settings.ROLE, role)
              .set(Settings.DOMAIN, domain)
              .lists(lists)
              .set(Settings.HOSTNAME, hostname)
              .set(Settings.LISTMASTER, listmaster)
              .set(Settings.RELAYHOST, relayhost)
              .set(Settings.SYMPA_SERVER, sympaServer)
              .set(Settings.SYMPA_DOMAIN, sympaDomain)
              .set(Settings.FLAVOUR, flavour())
              .build());
    }

    /**
     * The same shape (role, number of lists, which options are given, sympa domain equal or not)
     * with placeholder values.
     */
    Inputs canonical() {
      ApplianceSpec spec = spec();
      List<String> placeholderLists = new ArrayList<>();
      for (int i = 0; i < lists.size(); i++) {
        placeholderLists.add("list" + i);
      }
      String canonicalSympaDomain =
          sympaDomain == null
              ? null
              : spec.sympaDomain().equals(spec.domain())
                  ? "lists.example.org"
                  : "sympa-lists.example.net";
      return new Inputs(
          role,
          "lists.example.org",
          placeholderLists,
          hostname == null ? null : "mx.example.org",
          listmaster == null ? null : "owner@example.org",
          relayhost == null ? null : "smtp.example.org",
          sympaServer == null ? null : "sympa.example.org",
          canonicalSympaDomain);
    }

    private static void add(List<String> args, String option, String value) {
      if (value != null) {
        args.add(
            option + "=" + value); // the = form: a value starting with '-' or '@' stays a value
      }
    }
  }

  /** Valid specs of every role, every option present or not, mixed-case values. */
  static Arbitrary<Inputs> validInputs() {
    Arbitrary<List<String>> lists =
        listName().list().ofMaxSize(4).uniqueElements(l -> l.toLowerCase(Locale.ROOT));
    Arbitrary<String> hostname = domain(253).injectNull(0.5);
    Arbitrary<String> listmaster = emailAddress().injectNull(0.5);
    Arbitrary<String> relayhost = destination().injectNull(0.5);
    return Arbitraries.of("appliance", "relay", "sink", "default")
        .flatMap(
            role ->
                switch (role) {
                  case "relay" ->
                      Combinators.combine(
                              domain(),
                              lists,
                              hostname,
                              listmaster,
                              relayhost,
                              destination(),
                              Arbitraries.integers().between(0, 2),
                              domain())
                          .as(
                              (d, l, h, m, r, server, sympaMode, other) ->
                                  new Inputs(
                                      "relay",
                                      d,
                                      l,
                                      h,
                                      m,
                                      r,
                                      server,
                                      switch (sympaMode) {
                                        case 0 -> null;
                                        case 1 -> flipCase(d);
                                        default -> other;
                                      }));
                  case "sink" ->
                      Combinators.combine(domain(), lists, hostname, listmaster)
                          .as((d, l, h, m) -> new Inputs("sink", d, l, h, m, null, null, null));
                  default ->
                      Combinators.combine(domain(), lists, hostname, listmaster, relayhost)
                          .as(
                              (d, l, h, m, r) ->
                                  new Inputs(
                                      role.equals("default") ? null : role,
                                      d,
                                      l,
                                      h,
                                      m,
                                      r,
                                      null,
                                      null));
                });
  }

  static String flipCase(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- hostile values

  /** {@code base} with one piece of {@code poison} put in at any position (start and end too). */
  static Arbitrary<String> poisoned(Arbitrary<String> base, List<String> poison) {
    return Combinators.combine(
            base, Arbitraries.of(poison), Arbitraries.integers().between(0, 10_000))
        .as(
            (b, p, at) -> {
              int i = at % (b.length() + 1);
              return b.substring(0, i) + p + b.substring(i);
            });
  }

  static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  /** Domains (and host names) that break RFC 1035 or are not ASCII. */
  static Arbitrary<String> invalidDomains() {
    Arbitrary<String> structural =
        Arbitraries.of(
            "",
            ".",
            "..",
            "lists",
            "LISTS",
            "a..org",
            ".lists.example.org",
            "lists.example.org.",
            "-lists.example.org",
            "lists-.example.org",
            "lists.-example.org",
            "lists.example.org-",
            "lists.example.123",
            "1.2.3.4",
            "lists..example.org",
            "lists.example.org..",
            "xn--.org",
            "lists.example.org:25",
            "[lists.example.org]",
            "list1@lists.example.org",
            "*.example.org");
    Arbitrary<String> longLabel =
        Combinators.combine(Arbitraries.integers().between(64, 300), domain(100))
            .as((n, d) -> repeat('a', n) + "." + d);
    Arbitrary<String> tooLong =
        Arbitraries.integers()
            .between(254, 400)
            .map(n -> (repeat('a', 62) + ".").repeat(n / 63 + 1).substring(0, n - 4) + ".org");
    Arbitrary<String> edges =
        Combinators.combine(
                domain(200), Arbitraries.of(".", "-"), Arbitraries.integers().between(0, 3))
            .as(
                (d, c, where) ->
                    switch (where) {
                      case 0 -> c + d;
                      case 1 -> d + c;
                      case 2 -> d.replaceFirst("\\.", "." + c);
                      default -> d.replaceFirst("\\.", c + ".");
                    });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, poisoned(domain(), POISON)),
        net.jqwik.api.Tuple.of(2, structural),
        net.jqwik.api.Tuple.of(1, longLabel),
        net.jqwik.api.Tuple.of(1, tooLong),
        net.jqwik.api.Tuple.of(2, edges));
  }

  static Arbitrary<String> invalidListNames() {
    Arbitrary<String> structural =
        Arbitraries.of(
            "",
            ".",
            "..",
            "_list",
            "-list",
            ".list",
            "list.",
            "li..st",
            "list1-owner",
            "LIST1-Request",
            "list-editor",
            "list-subscribe",
            "list-unsubscribe",
            "sympa",
            "Listmaster",
            "BOUNCE",
            "postmaster",
            "mailer-daemon",
            "abuse-feedback-report",
            "list1@lists.example.org",
            repeat('l', 51),
            repeat('x', 300));
    Arbitrary<String> tooLong = Arbitraries.integers().between(51, 300).map(n -> repeat('a', n));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, poisoned(listName(), poisonWithout("_"))),
        net.jqwik.api.Tuple.of(2, structural),
        net.jqwik.api.Tuple.of(1, tooLong));
  }

  static Arbitrary<String> invalidEmailAddresses() {
    Arbitrary<String> structural =
        Arbitraries.of(
            "",
            "@",
            "owner",
            "owner@",
            "@example.org",
            "owner@example",
            ".owner@example.org",
            "owner.@example.org",
            "ow..ner@example.org",
            "owner@example..org",
            "\"owner\"@example.org",
            "owner@[127.0.0.1]",
            repeat('o', 65) + "@example.org",
            "owner@" + repeat('e', 64) + ".org");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, poisoned(emailAddress(), poisonWithout("+", "_"))),
        net.jqwik.api.Tuple.of(2, structural));
  }

  static Arbitrary<String> invalidDestinations() {
    Arbitrary<String> structural =
        Arbitraries.of(
            "",
            ":",
            ":25",
            "smtp.example.org:",
            "smtp.example.org:0",
            "smtp.example.org:65536",
            "smtp.example.org:025",
            "smtp.example.org:99999",
            "smtp.example.org::25",
            "smtp.example.org:25:25",
            "[]:25",
            "[smtp.example.org",
            "[smtp.example.org]25",
            "smtp.example.org:+25",
            "smtp.example.org:-1",
            "-smtp",
            "smtp-",
            "smtp..example.org",
            "256.1.1.1",
            "1.2.3.4.5",
            "1.2.3",
            "[::1]:25",
            "smtp.example.org:2 5",
            repeat('a', 64) + ":25",
            "user@smtp.example.org");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, poisoned(destination(), poisonWithout(":"))),
        net.jqwik.api.Tuple.of(2, structural));
  }

  static Arbitrary<String> invalidRoles() {
    Arbitrary<String> structural =
        Arbitraries.of(
            "",
            "APPLIANCE",
            "Relay",
            " sink",
            "sink ",
            "relay\n",
            "appliance;relay",
            "sink\0",
            "front",
            "mx");
    Arbitrary<String> random =
        Arbitraries.strings().withChars(ALNUM + String.join("", POISON)).ofMaxLength(40);
    return Arbitraries.oneOf(
            structural, poisoned(Arbitraries.of("appliance", "relay", "sink"), POISON), random)
        .filter(r -> !List.of("appliance", "relay", "sink").contains(r));
  }

  static Arbitrary<String> invalidTags() {
    Arbitrary<String> tag =
        Combinators.combine(
                label().map(s -> s.toLowerCase(Locale.ROOT)),
                Arbitraries.strings().withChars(ALNUM).ofMinLength(1).ofMaxLength(20))
            .as((name, t) -> name + ":" + t);
    Arbitrary<String> structural =
        Arbitraries.of(
            "",
            "UPPER/Case:tag",
            "Sympa-Appliance",
            "name:",
            ":tag",
            "name:" + repeat('t', 129),
            "-name",
            "name@sha256:nothex",
            "name:tag:tag");
    return Arbitraries.oneOf(structural, poisoned(tag, poisonWithout(":", "@", "/", "_", ".*")));
  }

  // ---------------------------------------------------------------- the CLI, in process

  record Run(int exit, String out, String err) {}

  static Run cli(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BuilderCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args.toArray(String[]::new));
    cli.getOut().flush();
    cli.getErr().flush();
    return new Run(exit, out.toString(), err.toString());
  }

  static List<String> concat(List<String> a, String... b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }

  static List<String> concat(String first, List<String> rest, String... more) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    all.addAll(List.of(more));
    return all;
  }

  /**
   * Exit 2, nothing on stdout, and on stderr exactly one line of printable ASCII: "builder: invalid
   * OPTION 'VALUE': rule".
   */
  static void assertRejected(Run run, String option, String value) {
    String what = option + " " + Text.quoteForMessage(value);
    assertThat(run.exit()).as("exit code for %s; stderr: %s", what, run.err()).isEqualTo(2);
    assertThat(run.out()).as("stdout for %s", what).isEmpty();
    String err = run.err();
    assertThat(err).as("stderr for %s", what).endsWith("\n");
    String line = err.substring(0, err.length() - 1);
    assertThat(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f))
        .as("stderr for %s is one line of printable ASCII: %s", what, Text.quoteForMessage(err))
        .isTrue();
    assertThat(line).startsWith("builder: invalid " + what + ": ");
    assertThat(line.length())
        .as("the rule after the value")
        .isGreaterThan(("builder: invalid " + what + ": ").length());
  }

  // ---------------------------------------------------------------- scratch directories and
  // rendered files

  interface ScratchBody {
    void run(Path scratch) throws Exception;
  }

  static void withScratch(ScratchBody body) throws Exception {
    Path dir = Files.createTempDirectory("hostile-input-");
    try {
      body.run(dir);
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }

  static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * Every regular file below {@code root}, by its path in the image ("/etc/postfix/main.cf"), as
   * text.
   */
  static Map<String, String> readTree(Path root) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put("/" + root.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
