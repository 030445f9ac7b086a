package dev.sympaappliance.builder.mailman3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.spec.Grammar;
import org.junit.jupiter.api.Test;

class TextFittingTest {
  @Test
  void oneLineJoinsLinesAndBlanksAndDropsControlCharacters() {
    assertThat(TextFitting.oneLine("  Team\r\n\tnews\u2028and\u00a0 \u0007views  ", 100))
        .isEqualTo("Team news and views");
    assertThat(TextFitting.oneLine("a\uD800b", 100)).as("a lone surrogate goes").isEqualTo("ab");
    assertThat(TextFitting.oneLine("", 100)).isEmpty();
  }

  @Test
  void oneLineCutsAtTheLimitInCodePointsWithAnEllipsis() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    String long1 = emoji.repeat(150);
    String cut = TextFitting.oneLine(long1, Grammar.MAX_TEXT_LENGTH);
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(Grammar.MAX_TEXT_LENGTH);
    assertThat(cut).isEqualTo(emoji.repeat(99) + "…");
    Grammar.displayText("subject", cut);
    assertThat(TextFitting.oneLine("x".repeat(100), 100)).isEqualTo("x".repeat(100));
    assertThat(TextFitting.oneLine("x".repeat(98) + " yz", 100)).isEqualTo("x".repeat(98) + "…");
  }

  @Test
  void linesKeepParagraphsAndDropTrailingBlanksAndControlCharacters() {
    assertThat(
            TextFitting.lines("\n  First  \r\nline\u0000 two\r\rThird\tcolumn \u2029end\n\n", 4000))
        .isEqualTo("First\nline two\n\nThird column\nend");
  }

  @Test
  void linesAreCutAtTheLimit() {
    assertThat(TextFitting.lines("ab\ncd", 4)).isEqualTo("ab…");
    assertThat(TextFitting.lines("abcdef", 4)).isEqualTo("abc…");
  }

  @Test
  void mailmansNamesStandAsTheyAreAndAnythingElseIsQuoted() {
    assertThat(TextFitting.word("bounce_you_are_disabled_warnings_interval"))
        .isEqualTo("bounce_you_are_disabled_warnings_interval");
    assertThat(TextFitting.word("include_rfc2369_headers")).isEqualTo("include_rfc2369_headers");
    assertThat(TextFitting.word("by_bounces\nforged: line"))
        .isEqualTo("\"by_bounces\\nforged: line\"");
  }
}
