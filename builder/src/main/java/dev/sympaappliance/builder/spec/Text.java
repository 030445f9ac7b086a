package dev.sympaappliance.builder.spec;

/**
 * The character-level rules that every value's grammar starts from (printable ASCII, printable
 * Unicode text on one line), and how an error message quotes a value: on one line, whatever it
 * holds. Hand-written: these are our own rules (what may stand unquoted in Postfix tables,
 * sympa.conf and shell scripts), stricter than any library's.
 */
public final class Text {
  private Text() {}

  /** Paths may hold spaces and any Unicode text, but never control characters. */
  public static String requirePrintableOrSpace(String field, String raw, String rule) {
    return requireCharacters(
        field,
        raw,
        rule,
        " without control characters",
        c ->
            !Character.isISOControl(c)
                && Character.getType(c) != Character.LINE_SEPARATOR
                && Character.getType(c) != Character.PARAGRAPH_SEPARATOR);
  }

  static String requirePrintableAscii(String field, String raw, String rule) {
    return requireCharacters(field, raw, rule, "", c -> c > 0x20 && c < 0x7f);
  }

  /** Non-empty, and every character allowed; the error names the first one that is not. */
  static String requireCharacters(
      String field,
      String raw,
      String rule,
      String ruleSuffix,
      java.util.function.IntPredicate allowed) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidSpecException(field, "", "must not be empty; expected " + rule);
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (!allowed.test(c)) {
        throw new InvalidSpecException(
            field,
            raw,
            "expected " + rule + ruleSuffix + "; found " + describe(c) + " at position " + (i + 1));
      }
    }
    return raw;
  }

  private static String describe(char c) {
    return switch (c) {
      case ' ' -> "a space";
      case '\n' -> "a line feed";
      case '\r' -> "a carriage return";
      case '\t' -> "a tab";
      case 0 -> "a NUL character";
      default -> String.format("character U+%04X", (int) c);
    };
  }

  /** Quotes a value for an error message so that it stays on one line whatever it contains. */
  public static String quoteForMessage(String value) {
    StringBuilder out = new StringBuilder("'");
    String shown = value.length() > 80 ? value.substring(0, 77) + "..." : value;
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '\'' -> out.append("\\'");
        default -> {
          if (c < 0x20 || c >= 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('\'').toString();
  }

  /**
   * Non-empty printable Unicode on one line, at most {@code max} characters (code points): no
   * control characters, no line or paragraph separators, no lone surrogates or unassigned code
   * points, no blank at either end.
   */
  static void requireText(String field, String raw, String rule, int max) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidSpecException(field, "", "must not be empty; expected " + rule);
    }
    int length = requireTextCharacters(field, raw, rule);
    if (length > max || isBlank(raw.codePointAt(0)) || isBlank(raw.codePointBefore(raw.length()))) {
      throw new InvalidSpecException(field, raw, "expected " + rule);
    }
  }

  /** Blanks of any script, the no-break space included (String.strip() leaves U+00A0 alone). */
  private static boolean isBlank(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  /** Every character printable Unicode (see requireText); returns the number of code points. */
  static int requireTextCharacters(String field, String raw, String rule) {
    int position = 0;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      position++;
      int type = Character.getType(cp);
      if (type == Character.CONTROL
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.SURROGATE
          || type == Character.UNASSIGNED) {
        throw new InvalidSpecException(
            field,
            raw,
            "expected " + rule + "; found " + describe(raw.charAt(i)) + " at position " + position);
      }
      i += Character.charCount(cp);
    }
    return position;
  }
}
