package dev.sympaappliance.builder.render;

/** Quoting of user values for Postfix table syntaxes. */
public final class PostfixQuoting {
  private PostfixQuoting() {}

  /** POSIX extended-regexp metacharacters, plus '/', the delimiter of a regexp: table pattern. */
  private static final String REGEXP_SPECIALS = "\\.[](){}*+?^$|/";

  /**
   * Quotes a literal for a pattern of a regexp: table (POSIX ERE), so that it matches only itself.
   * Values reaching here are already grammar-checked; this is the second wall, not the first.
   */
  public static String regexpLiteral(String value) {
    StringBuilder out = new StringBuilder(value.length() * 2);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("not quotable for a regexp table: " + value);
      }
      if (REGEXP_SPECIALS.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
