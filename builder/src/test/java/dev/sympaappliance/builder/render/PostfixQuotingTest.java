package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostfixQuotingTest {
  /** POSIX ERE metacharacters, plus '/', which delimits a pattern of a regexp: table. */
  private static final String METACHARACTERS = "\\.[](){}*+?^$|/";

  static Stream<Character> metacharacters() {
    return METACHARACTERS.chars().mapToObj(c -> (char) c);
  }

  /** Every printable ASCII character that is not a metacharacter. */
  static Stream<Character> ordinaryPrintableCharacters() {
    return IntStream.rangeClosed(0x21, 0x7e)
        .filter(c -> METACHARACTERS.indexOf(c) < 0)
        .mapToObj(c -> (char) c);
  }

  @ParameterizedTest(name = "''{0}''")
  @MethodSource("metacharacters")
  void escapesEveryMetacharacterWithABackslash(char c) {
    assertThat(PostfixQuoting.regexpLiteral("a" + c + "b")).isEqualTo("a\\" + c + "b");
  }

  @ParameterizedTest(name = "''{0}''")
  @MethodSource("ordinaryPrintableCharacters")
  void leavesOrdinaryPrintableCharactersAlone(char c) {
    assertThat(PostfixQuoting.regexpLiteral("a" + c + "b")).isEqualTo("a" + c + "b");
  }

  @Test
  void leavesLettersDigitsHyphenAndAtSignAlone() {
    String value = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-@";
    assertThat(PostfixQuoting.regexpLiteral(value)).isEqualTo(value);
  }

  @Test
  void escapesEveryDotOfADomain() {
    assertThat(PostfixQuoting.regexpLiteral("lists.example.org"))
        .isEqualTo("lists\\.example\\.org");
  }

  @Test
  void escapesABackslashAsTwoBackslashes() {
    assertThat(PostfixQuoting.regexpLiteral("a\\b")).isEqualTo("a\\\\b");
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(ints = {0x00, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x7f, 0x80, 0xa0, 0xe4, 0x2028, 0xfeff})
  void refusesControlCharactersSpaceAndNonAscii(int codePoint) {
    String value = "lists" + Character.toString(codePoint) + "example.org";
    assertThatIllegalArgumentException().isThrownBy(() -> PostfixQuoting.regexpLiteral(value));
  }

  static Stream<Arguments> literalsAndNearMisses() {
    Stream<Arguments> perMetacharacter =
        metacharacters()
            .map(
                c ->
                    Arguments.of(
                        "a" + c + "b",
                        List.of(
                            "axb",
                            "ab",
                            "a" + c + c + "b",
                            "a\\" + c + "b",
                            "a" + c + "bb",
                            "xa" + c + "b")));
    Stream<Arguments> realistic =
        Stream.of(
            Arguments.of(
                "lists.example.org",
                List.of("listsXexample.org", "lists.exampleXorg", "lists-example-org")),
            Arguments.of("a+b", List.of("aab", "aaab", "ab")),
            Arguments.of("a*", List.of("", "aa", "a")),
            Arguments.of("(a|b)", List.of("a", "b")),
            Arguments.of("[ab]", List.of("a", "b")),
            Arguments.of("a{2}", List.of("aa")),
            Arguments.of("^a$", List.of("a")),
            Arguments.of(".*", List.of("anything", "")));
    return Stream.concat(perMetacharacter, realistic);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("literalsAndNearMisses")
  void quotedValueAsARegexMatchesOnlyTheLiteral(String literal, List<String> nearMisses) {
    Pattern pattern = Pattern.compile(PostfixQuoting.regexpLiteral(literal));

    assertThat(pattern.matcher(literal).matches()).as("matches %s itself", literal).isTrue();
    for (String other : nearMisses) {
      if (!other.equals(literal)) {
        assertThat(pattern.matcher(other).matches())
            .as("%s must not match %s", pattern, other)
            .isFalse();
      }
    }
  }

  @Test
  void quotedValueDoesNotEndAPostfixRegexpPatternEarly() {
    // In "/pattern/ result" an unescaped '/' would close the pattern.
    String quoted = PostfixQuoting.regexpLiteral("a/b/c");
    assertThat(quoted.replace("\\/", "")).doesNotContain("/");
  }
}
