package dev.sympaappliance.builder.spec;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A lower-case RFC 1035 host name with at least two labels. It also holds the one host-name rule
 * that every value naming a host shares ({@link #isHost}: one label is enough there, for Docker
 * service names). Hand-written: Guava's {@code InternetDomainName} also takes underscores and
 * Unicode, which Postfix tables and shell scripts here must not see.
 */
public record DomainName(String value) {
  /** RFC 1035 label, as refined by RFC 1123: letters, digits, inner hyphens, 1-63 characters. */
  static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  private static final int MAX_LENGTH = 253;
  private static final Pattern IPV4 =
      Pattern.compile(
          "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final String RULE =
      "a host name (RFC 1035): at least two dot-separated labels of letters, digits"
          + " and inner hyphens, each 1-63 characters, at most "
          + MAX_LENGTH
          + " characters in all, the last label"
          + " not numeric";

  public DomainName {
    if (!value.equals(check("domain", value))) {
      throw new InvalidSpecException("domain", value, "must be lower case");
    }
  }

  /** Validates a user value; {@code field} names the option in the error (e.g. "--domain"). */
  public static DomainName parse(String field, String raw) {
    return new DomainName(check(field, raw));
  }

  private static String check(String field, String raw) {
    String value =
        Text.requirePrintableAscii(
                field,
                raw,
                "a host name in ASCII; write an internationalised domain in its punycode (xn--) form")
            .toLowerCase(Locale.ROOT);
    if (!isHostName(value) || value.indexOf('.') < 0) {
      throw new InvalidSpecException(field, raw, RULE);
    }
    return value;
  }

  /** A host name of one or more labels (the last not numeric), or an IPv4 address. */
  static boolean isHost(String host) {
    return IPV4.matcher(host).matches() || isHostName(host);
  }

  /**
   * One or more RFC 1035 labels, at most 253 characters, the last label not numeric (not an
   * address).
   */
  private static boolean isHostName(String host) {
    if (host.isEmpty() || host.length() > MAX_LENGTH) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }

  @Override
  public String toString() {
    return value;
  }
}
