package dev.sympaappliance.builder.mailman3;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Makes Mailman's free text fit the appliance's grammar: a subject or a member's name is one line
 * of printable text without blanks at either end ({@code Grammar.displayText}); a description is
 * lines separated by \n with no other control characters, at most {@link #DESCRIPTION_MAX}
 * characters. Characters Sympa could not keep (control characters, lone surrogates, unassigned code
 * points) go; the caller reports any change.
 */
final class TextFitting {
  private TextFitting() {}

  static final int DESCRIPTION_MAX = 4000;

  private static final String ELLIPSIS = "…";

  /** One line: every run of blanks, line breaks and control characters becomes one space. */
  static String oneLine(String raw, int max) {
    StringBuilder out = new StringBuilder();
    boolean blank = false;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      if (isBreakOrBlank(cp) || Character.getType(cp) == Character.CONTROL) {
        blank = true;
      } else if (kept(cp)) {
        if (blank && out.length() > 0) {
          out.append(' ');
        }
        blank = false;
        out.appendCodePoint(cp);
      }
    }
    return truncate(out.toString(), max);
  }

  /**
   * Lines separated by \n (CR LF, CR and Unicode's line and paragraph separators become \n, a tab a
   * space), blanks at the ends of lines and of the text removed.
   */
  static String lines(String raw, int max) {
    String unified = raw.replace("\r\n", "\n").replace('\r', '\n');
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < unified.length(); ) {
      int cp = unified.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (cp == '\n' || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
        while (out.length() > 0
            && out.charAt(out.length() - 1) != '\n'
            && isBreakOrBlank(out.codePointBefore(out.length()))) {
          out.setLength(out.length() - Character.charCount(out.codePointBefore(out.length())));
        }
        out.append('\n');
      } else if (cp == '\t') {
        out.append(' ');
      } else if (type != Character.CONTROL && kept(cp)) {
        out.appendCodePoint(cp);
      }
    }
    return truncate(out.toString(), max);
  }

  /** At most {@code max} code points, an ellipsis marking a cut; no blank at either end. */
  private static String truncate(String text, int max) {
    String trimmed = strip(text);
    if (trimmed.codePointCount(0, trimmed.length()) <= max) {
      return trimmed;
    }
    String cut = trimmed.substring(0, trimmed.offsetByCodePoints(0, max - 1));
    return strip(cut) + ELLIPSIS;
  }

  private static String strip(String text) {
    StringBuilder out = new StringBuilder(text);
    stripTrailingBlanks(out);
    int start = 0;
    while (start < out.length()) {
      int cp = out.codePointAt(start);
      if (!isBreakOrBlank(cp)) {
        break;
      }
      start += Character.charCount(cp);
    }
    return out.substring(start);
  }

  private static void stripTrailingBlanks(StringBuilder out) {
    while (out.length() > 0) {
      int cp = out.codePointBefore(out.length());
      if (!isBreakOrBlank(cp)) {
        return;
      }
      out.setLength(out.length() - Character.charCount(cp));
    }
  }

  /** Blanks of any script (the no-break space too) and line breaks. */
  private static boolean isBreakOrBlank(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  private static boolean kept(int cp) {
    int type = Character.getType(cp);
    return type != Character.SURROGATE && type != Character.UNASSIGNED;
  }

  /** A text as a JSON string: whole, on one line, escapes for what is not printable. */
  static String quoted(String text) {
    return TextNode.valueOf(text).toString();
  }

  /** One of Mailman's enumeration values as it is, anything else {@link #quoted}. */
  static String word(String value) {
    return value.matches("[a-z0-9_]{1,64}") ? value : quoted(value);
  }
}
