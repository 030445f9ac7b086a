package dev.sympaappliance.builder;

import static dev.sympaappliance.builder.HostileInputs.assertRejected;
import static dev.sympaappliance.builder.HostileInputs.cli;
import static dev.sympaappliance.builder.HostileInputs.concat;
import static dev.sympaappliance.builder.HostileInputs.entries;
import static dev.sympaappliance.builder.HostileInputs.withScratch;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.IDN;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile values for every option of the builder (item 8 of issue 4): each invalid one is refused
 * with exit 2 and one line that names the option and the value, before anything is written: no
 * --out directory, no --tar file, no --cache-dir.
 *
 * <p>Every {@code image} run here carries a second, later error (an invalid --tag, --tar with
 * --output docker, or a --cache-dir below a regular file), so that a value wrongly accepted makes
 * the property fail at once instead of starting a real build.
 */
class HostileInputProperties {
  private static final String DOMAIN = "lists.example.org";
  private static final String GUARD_TAG = "--tag=guard tag";
  static final String PUNYCODE_HINT =
      "write an internationalised domain in its punycode (xn--) form";

  /** The value is refused by `render` (no --out) and by `image` (no --tar, no --cache-dir). */
  private static void assertRefusedEverywhere(String option, String value, List<String> specArgs)
      throws Exception {
    withScratch(
        scratch -> {
          Path out = scratch.resolve("out");
          assertRejected(cli(concat("render", specArgs, "--out=" + out)), option, value);
          assertThat(out).doesNotExist();

          Path tar = scratch.resolve("img.tar");
          Path cache = scratch.resolve("cache");
          assertRejected(
              cli(
                  concat(
                      "image",
                      specArgs,
                      GUARD_TAG,
                      "--output=tar",
                      "--tar=" + tar,
                      "--cache-dir=" + cache)),
              option,
              value);
          assertThat(entries(scratch)).as("nothing written").isEmpty();
        });
  }

  /**
   * Every piece of poison, in every spec option, at the start, after the first character, in the
   * middle and at the end of a valid value: all combinations (jqwik generates them exhaustively),
   * rendered once each.
   */
  @Property(tries = 2500, generation = GenerationMode.EXHAUSTIVE)
  void everyPoisonInEveryOptionIsRefused(
      @ForAll("poison") String poison,
      @ForAll("specOptions") String option,
      @ForAll("positions") String position)
      throws Exception {
    String valid =
        switch (option) {
          case "--domain" -> "Lists.example.org";
          case "--hostname" -> "mx-1.example.org";
          case "--list" -> "Team.dev_x-1";
          case "--listmaster" -> "list-master+x@lists.example.org";
          case "--relayhost" -> "smtp.example.org:587";
          case "--sympa-server" -> "[sympa.example.org]:25";
          case "--sympa-domain" -> "sympa.example.net";
          case "--web-url" -> "https://Lists.example.org:8443/sympa";
          default -> "relay";
        };
    boolean allowed =
        switch (option) {
          case "--list" -> poison.equals("_");
          case "--listmaster" -> poison.equals("_") || poison.equals("+");
          case "--relayhost", "--sympa-server" -> poison.equals(":");
          case "--web-url" -> poison.equals("_") && position.equals("end");
          default -> false;
        };
    Assume.that(!allowed);
    int at =
        switch (position) {
          case "start" -> 0;
          case "second" -> 1;
          case "middle" -> valid.length() / 2;
          default -> valid.length();
        };
    String value = valid.substring(0, at) + poison + valid.substring(at);
    List<String> specArgs =
        switch (option) {
          case "--domain" -> List.of("--sympa=tools", "--domain=" + value);
          case "--hostname" ->
              List.of("--sympa=tools", "--domain=" + DOMAIN, "--hostname=" + value);
          case "--list" -> List.of("--sympa=tools", "--domain=" + DOMAIN, "--list=" + value);
          case "--listmaster" ->
              List.of("--sympa=tools", "--domain=" + DOMAIN, "--listmaster=" + value);
          case "--relayhost" ->
              List.of("--sympa=tools", "--domain=" + DOMAIN, "--relayhost=" + value);
          case "--sympa-server" ->
              List.of("--role=relay", "--domain=" + DOMAIN, "--sympa-server=" + value);
          case "--sympa-domain" ->
              List.of(
                  "--role=relay",
                  "--domain=" + DOMAIN,
                  "--sympa-server=sympa",
                  "--sympa-domain=" + value);
          case "--web-url" ->
              List.of("--domain=" + DOMAIN, "--listmaster=admin@example.org", "--web-url=" + value);
          default -> List.of("--role=" + value, "--domain=" + DOMAIN, "--sympa-server=sympa");
        };
    withScratch(
        scratch -> {
          Path out = scratch.resolve("out");
          assertRejected(cli(concat("render", specArgs, "--out=" + out)), option, value);
          assertThat(entries(scratch)).as("nothing written").isEmpty();
        });
  }

  @Property(tries = 120)
  void invalidDomainIsRefused(@ForAll("invalidDomains") String value) throws Exception {
    assertRefusedEverywhere(
        "--domain", value, List.of("--sympa=tools", "--domain=" + value, "--list=list1"));
  }

  @Property(tries = 80)
  void invalidHostnameIsRefused(@ForAll("invalidDomains") String value) throws Exception {
    assertRefusedEverywhere(
        "--hostname", value, List.of("--sympa=tools", "--domain=" + DOMAIN, "--hostname=" + value));
  }

  @Property(tries = 80)
  void invalidSympaDomainIsRefused(@ForAll("invalidDomains") String value) throws Exception {
    assertRefusedEverywhere(
        "--sympa-domain",
        value,
        List.of(
            "--role=relay",
            "--domain=" + DOMAIN,
            "--sympa-server=sympa",
            "--sympa-domain=" + value));
  }

  @Property(tries = 120)
  void invalidListIsRefused(@ForAll("invalidListNames") String value) throws Exception {
    assertRefusedEverywhere(
        "--list",
        value,
        List.of("--sympa=tools", "--domain=" + DOMAIN, "--list=list1", "--list=" + value));
  }

  @Property(tries = 80)
  void invalidListmasterIsRefused(@ForAll("invalidEmailAddresses") String value) throws Exception {
    assertRefusedEverywhere(
        "--listmaster",
        value,
        List.of("--sympa=tools", "--domain=" + DOMAIN, "--listmaster=" + value));
  }

  @Property(tries = 80)
  void invalidRelayhostIsRefused(@ForAll("invalidDestinations") String value) throws Exception {
    assertRefusedEverywhere(
        "--relayhost",
        value,
        List.of("--sympa=tools", "--domain=" + DOMAIN, "--relayhost=" + value));
  }

  @Property(tries = 80)
  void invalidSympaServerIsRefused(@ForAll("invalidDestinations") String value) throws Exception {
    assertRefusedEverywhere(
        "--sympa-server",
        value,
        List.of("--role=relay", "--domain=" + DOMAIN, "--sympa-server=" + value));
  }

  @Property(tries = 60)
  void invalidRoleIsRefused(@ForAll("invalidRoles") String value) throws Exception {
    assertRefusedEverywhere("--role", value, List.of("--role=" + value, "--domain=" + DOMAIN));
  }

  @Property(tries = 60)
  void invalidTagIsRefused(@ForAll("invalidTags") String value) throws Exception {
    withScratch(
        scratch -> {
          Path tar = scratch.resolve("img.tar");
          Path cache = scratch.resolve("cache");
          // --tar with --output docker is the later error that keeps an accepted tag from building.
          assertRejected(
              cli(
                  List.of(
                      "image",
                      "--sympa=tools",
                      "--domain=" + DOMAIN,
                      "--tag=" + value,
                      "--output=docker",
                      "--tar=" + tar,
                      "--cache-dir=" + cache)),
              "--tag",
              value);
          assertThat(entries(scratch)).isEmpty();
        });
  }

  @Property(tries = 40)
  void invalidTarPathIsRefused(@ForAll("pathPoison") String poison, @ForAll("pathShape") int shape)
      throws Exception {
    withScratch(
        scratch -> {
          Path guard = Files.writeString(scratch.resolve("guard-file"), "keep");
          Files.createDirectory(scratch.resolve("existing-dir"));
          String value =
              switch (shape) {
                case 0 -> "";
                case 1 -> scratch.resolve("existing-dir").toString();
                default -> scratch.resolve("img") + poison + ".tar";
              };
          // The guard file as --cache-dir is a later error: an accepted --tar cannot start a build.
          assertRejected(
              cli(
                  List.of(
                      "image",
                      "--sympa=tools",
                      "--domain=" + DOMAIN,
                      "--output=tar",
                      "--tar=" + value,
                      "--cache-dir=" + guard)),
              "--tar",
              value);
          assertThat(entries(scratch)).containsExactly("existing-dir", "guard-file");
          assertThat(entries(scratch.resolve("existing-dir"))).isEmpty();
        });
  }

  @Property(tries = 40)
  void invalidCacheDirIsRefused(@ForAll("pathPoison") String poison, @ForAll("pathShape") int shape)
      throws Exception {
    withScratch(
        scratch -> {
          Path guard = Files.writeString(scratch.resolve("guard-file"), "keep");
          Path tar = scratch.resolve("img.tar");
          String value =
              switch (shape) {
                case 0 -> "";
                case 1 -> guard.toString(); // an existing regular file
                // Below a regular file: an accepted value fails at mkdir (exit 1) instead of
                // building.
                default -> guard.resolve("cache") + poison + "dir";
              };
          assertRejected(
              cli(
                  List.of(
                      "image",
                      "--sympa=tools",
                      "--domain=" + DOMAIN,
                      "--output=tar",
                      "--tar=" + tar,
                      "--cache-dir=" + value)),
              "--cache-dir",
              value);
          assertThat(entries(scratch)).containsExactly("guard-file");
          assertThat(guard).content().isEqualTo("keep");
        });
  }

  @Property(tries = 40)
  void invalidOutDirIsRefused(@ForAll("pathPoison") String poison, @ForAll("pathShape") int shape)
      throws Exception {
    withScratch(
        scratch -> {
          Path existingFile = Files.writeString(scratch.resolve("existing-file"), "keep");
          String value =
              switch (shape) {
                case 0 -> "";
                case 1 -> existingFile.toString();
                default -> scratch.resolve("out") + poison + "dir";
              };
          assertRejected(
              cli(
                  List.of(
                      "render",
                      "--sympa=tools",
                      "--domain=" + DOMAIN,
                      "--list=list1",
                      "--out=" + value)),
              "--out",
              value);
          assertThat(entries(scratch)).containsExactly("existing-file");
          assertThat(existingFile).content().isEqualTo("keep");
        });
  }

  /** Internationalised names are refused, with a hint to write them in punycode. */
  @Property(tries = 80)
  void internationalisedDomainIsRefusedWithThePunycodeHint(
      @ForAll("unicodeDomains") String value, @ForAll("domainOptions") String option)
      throws Exception {
    List<String> specArgs =
        switch (option) {
          case "--domain" -> List.of("--sympa=tools", "--domain=" + value);
          case "--hostname" ->
              List.of("--sympa=tools", "--domain=" + DOMAIN, "--hostname=" + value);
          default ->
              List.of(
                  "--role=relay",
                  "--domain=" + DOMAIN,
                  "--sympa-server=sympa",
                  "--sympa-domain=" + value);
        };
    assertRefusedEverywhere(option, value, specArgs);
    assertThat(cli(concat("render", specArgs, "--out=/nonexistent/never")).err())
        .contains(PUNYCODE_HINT);
  }

  /** Their punycode form is accepted as it is, lower-cased, and ends up in the configuration. */
  @Property(tries = 40)
  void punycodeDomainIsAccepted(@ForAll("punycodeDomains") String value) throws Exception {
    withScratch(
        scratch -> {
          Path out = scratch.resolve("out");
          HostileInputs.Run run =
              cli(
                  List.of(
                      "render",
                      "--sympa=tools",
                      "--domain=" + value,
                      "--list=list1",
                      "--out=" + out));
          assertThat(run.exit()).as(run.err()).isZero();
          String lower = value.toLowerCase(Locale.ROOT);
          assertThat(out.resolve("etc/postfix/main.cf"))
              .content()
              .contains("\nrelay_domains = " + lower + "\n");
          assertThat(out.resolve("etc/postfix/transport_regexp"))
              .content()
              .contains("@" + lower.replace(".", "\\.") + "$/");
        });
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<String> poison() {
    return Arbitraries.of(HostileInputs.POISON);
  }

  @Provide
  Arbitrary<String> specOptions() {
    return Arbitraries.of(
        "--domain",
        "--hostname",
        "--list",
        "--listmaster",
        "--relayhost",
        "--sympa-server",
        "--sympa-domain",
        "--role",
        "--web-url");
  }

  @Provide
  Arbitrary<String> positions() {
    return Arbitraries.of("start", "second", "middle", "end");
  }

  @Provide
  Arbitrary<String> invalidDomains() {
    return HostileInputs.invalidDomains();
  }

  @Provide
  Arbitrary<String> invalidListNames() {
    return HostileInputs.invalidListNames();
  }

  @Provide
  Arbitrary<String> invalidEmailAddresses() {
    return HostileInputs.invalidEmailAddresses();
  }

  @Provide
  Arbitrary<String> invalidDestinations() {
    return HostileInputs.invalidDestinations();
  }

  @Provide
  Arbitrary<String> invalidRoles() {
    return HostileInputs.invalidRoles();
  }

  @Provide
  Arbitrary<String> invalidTags() {
    return HostileInputs.invalidTags();
  }

  @Provide
  Arbitrary<String> pathPoison() {
    return Arbitraries.of(HostileInputs.PATH_POISON);
  }

  @Provide
  Arbitrary<Integer> pathShape() {
    return Arbitraries.frequency(
        net.jqwik.api.Tuple.of(1, 0), net.jqwik.api.Tuple.of(1, 1), net.jqwik.api.Tuple.of(4, 2));
  }

  @Provide
  Arbitrary<String> domainOptions() {
    return Arbitraries.of("--domain", "--hostname", "--sympa-domain");
  }

  /** Letters of other scripts and accented Latin, as a user would type an IDN. */
  private static Arbitrary<String> unicodeLabel() {
    Arbitrary<String> known =
        Arbitraries.of(
            "b\u00fccher",
            "m\u00fcnchen",
            "\u65e5\u672c",
            "\u043f\u0440\u0438\u043c\u0435\u0440",
            "stra\u00dfe",
            "caf\u00e9",
            "\u0645\u062b\u0627\u0644",
            "\u4f8b\u3048",
            "\u00e9t\u00e9",
            "\u0430pple");
    Arbitrary<String> latin =
        Arbitraries.strings()
            .withChars(HostileInputs.LOWER)
            .withCharRange('\u00e0', '\u00f6')
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(s -> s.chars().anyMatch(c -> c > 0x7f));
    Arbitrary<String> cjk =
        Arbitraries.strings().withCharRange('\u4e00', '\u4fff').ofMinLength(1).ofMaxLength(6);
    Arbitrary<String> cyrillic =
        Arbitraries.strings().withCharRange('\u0430', '\u044f').ofMinLength(1).ofMaxLength(12);
    return Arbitraries.oneOf(known, latin, cjk, cyrillic);
  }

  @Provide
  Arbitrary<String> unicodeDomains() {
    return Combinators.combine(
            unicodeLabel(), HostileInputs.domain(200), Arbitraries.of(true, false))
        .as((idn, tail, first) -> first ? idn + "." + tail : tail + "." + idn);
  }

  @Provide
  Arbitrary<String> punycodeDomains() {
    return Combinators.combine(
            unicodeLabel(), HostileInputs.domain(150), Arbitraries.of(true, false))
        .as(
            (idn, tail, upper) -> {
              String ace;
              try {
                ace = IDN.toASCII(idn, IDN.ALLOW_UNASSIGNED);
              } catch (IllegalArgumentException e) {
                return "";
              }
              String name = ace + "." + tail;
              return upper ? name.toUpperCase(Locale.ROOT) : name;
            })
        .filter(d -> d.toLowerCase(Locale.ROOT).startsWith("xn--") && d.indexOf('.') <= 63);
  }
}
