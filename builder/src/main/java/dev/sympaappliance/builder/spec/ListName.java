package dev.sympaappliance.builder.spec;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name of a mailing list: the local part of the list's address and of its suffixed addresses.
 */
public record ListName(String value) {
  /** A list name is the local part of several addresses, each at most 64 characters. */
  private static final Pattern LIST_NAME =
      Pattern.compile("[a-z0-9][a-z0-9_-]*(?:\\.[a-z0-9_-]+)*");

  public static final int MAX_LENGTH = 50;

  /** Suffixes Sympa gives each list's own addresses; a list name must not end with one. */
  public static final Set<String> SUFFIXES =
      Set.of("-request", "-editor", "-owner", "-subscribe", "-unsubscribe");

  /** Addresses of the list domain that belong to Sympa itself. */
  public static final Set<String> RESERVED =
      Set.of(
          "sympa", "listmaster", "bounce", "abuse-feedback-report", "postmaster", "mailer-daemon");

  public ListName {
    if (!value.equals(check("list", value))) {
      throw new InvalidSpecException("list", value, "must be lower case");
    }
  }

  public static ListName parse(String field, String raw) {
    return new ListName(check(field, raw));
  }

  private static String check(String field, String raw) {
    String value =
        Text.requirePrintableAscii(field, raw, "a list name in ASCII").toLowerCase(Locale.ROOT);
    if (value.length() > MAX_LENGTH || !LIST_NAME.matcher(value).matches()) {
      throw new InvalidSpecException(
          field,
          raw,
          "a list name: letters, digits, '-', '_' and inner"
              + " single dots, starting with a letter or digit, at most "
              + MAX_LENGTH
              + " characters");
    }
    if (RESERVED.contains(value)) {
      throw new InvalidSpecException(
          field,
          raw,
          "this name belongs to Sympa itself; reserved: "
              + String.join(", ", RESERVED.stream().sorted().toList()));
    }
    for (String suffix : SUFFIXES) {
      if (value.endsWith(suffix)) {
        throw new InvalidSpecException(
            field,
            raw,
            "a list name must not end with one of Sympa's"
                + " address suffixes ("
                + String.join(", ", SUFFIXES.stream().sorted().toList())
                + ")");
      }
    }
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
