package dev.sympaappliance.builder.spec;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of the values that stay plain strings (a list's type and subject, a DKIM selector, a
 * mounted file's path, DMARC modes, outbound TLS, the database's type and names, an image
 * reference). Values with a type of their own own their rule: {@link DomainName}, {@link ListName},
 * {@link EmailAddress}, {@link SmtpDestination}, {@link WebInterface}, {@link ConfOverride}; {@link
 * Text} holds the character rules they all start from. Each check runs before a value is used, so
 * nothing downstream validates again.
 */
public final class Grammar {
  private Grammar() {}

  /**
   * Sympa's list templates (create_list_templates) that Debian's sympa ships, the same seven in
   * bookworm's 6.2.70 and trixie's 6.2.76; a list's type is one of them.
   */
  public static final Set<String> LIST_TYPES =
      Set.of(
          "confidential",
          "discussion_list",
          "hotline",
          "html-news-letter",
          "news-letter",
          "private_working_group",
          "public_web_forum");

  public static String listType(String field, String raw) {
    if (raw == null || !LIST_TYPES.contains(raw)) {
      throw new InvalidSpecException(
          field,
          raw == null ? "" : raw,
          "one of Sympa's list templates: "
              + String.join(", ", LIST_TYPES.stream().sorted().toList()));
    }
    return raw;
  }

  static final String DKIM_SELECTOR_RULE =
      "a DNS label: lower-case letters, digits and inner hyphens,"
          + " 1-63 characters (the key is published at SELECTOR._domainkey.DOMAIN)";

  /** A DKIM selector: one DNS label (it names the TXT record SELECTOR._domainkey.DOMAIN). */
  public static String dkimSelector(String field, String raw) {
    if (raw == null || !DomainName.LABEL.matcher(raw).matches()) {
      throw new InvalidSpecException(
          field, raw == null ? "" : raw, "expected " + DKIM_SELECTOR_RULE);
    }
    return raw;
  }

  private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
  private static final int MAX_CONTAINER_PATH_LENGTH = 255;
  static final String CONTAINER_PATH_RULE =
      "an absolute path inside the container (where the file is mounted):"
          + " '/'-separated names of letters, digits, '.', '_' and '-' (not starting with '.' or '-'), at most "
          + MAX_CONTAINER_PATH_LENGTH
          + " characters";

  /**
   * A file inside the container (a mounted key, certificate or password file): absolute, plain
   * names only, so that it can stand unquoted in main.cf, sympa.conf and a shell script.
   */
  public static String containerPath(String field, String raw) {
    if (raw == null || raw.length() > MAX_CONTAINER_PATH_LENGTH || !raw.startsWith("/")) {
      throw new InvalidSpecException(
          field, raw == null ? "" : raw, "expected " + CONTAINER_PATH_RULE);
    }
    for (String segment : raw.substring(1).split("/", -1)) {
      if (!PATH_SEGMENT.matcher(segment).matches()) {
        throw new InvalidSpecException(field, raw, "expected " + CONTAINER_PATH_RULE);
      }
    }
    return raw;
  }

  /**
   * Sympa's dmarc_protection.mode values that need no further parameter (domain_regex needs a
   * regexp).
   */
  public static final List<String> DMARC_MODES =
      List.of("none", "all", "dkim_signature", "dmarc_reject", "dmarc_quarantine", "dmarc_any");

  static final String DMARC_RULE =
      "a comma-separated set of Sympa's DMARC protection modes: "
          + String.join(", ", DMARC_MODES)
          + " (none alone turns the protection off)";

  /**
   * Sympa's dmarc_protection.mode: modes from {@link #DMARC_MODES}, each once, "none" only alone.
   */
  public static List<String> dmarcModes(String field, String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidSpecException(field, "", "must not be empty; expected " + DMARC_RULE);
    }
    List<String> modes = new java.util.ArrayList<>();
    for (String mode : raw.split(",", -1)) {
      String m = mode.strip();
      if (!DMARC_MODES.contains(m) || modes.contains(m)) {
        throw new InvalidSpecException(field, raw, "expected " + DMARC_RULE);
      }
      modes.add(m);
    }
    if (modes.contains("none") && modes.size() > 1) {
      throw new InvalidSpecException(field, raw, "expected " + DMARC_RULE);
    }
    return List.copyOf(modes);
  }

  /** Postfix's smtp_tls_security_level values the appliance offers for outbound mail. */
  public static final List<String> SMTP_TLS_LEVELS = List.of("may", "encrypt");

  public static String smtpTlsLevel(String field, String raw) {
    if (raw == null || !SMTP_TLS_LEVELS.contains(raw)) {
      throw new InvalidSpecException(
          field,
          raw == null ? "" : raw,
          "expected may (TLS when the next hop offers"
              + " it, the default) or encrypt (refuse to send without TLS)");
    }
    return raw;
  }

  /** Sympa's database: the embedded SQLite or an external PostgreSQL. */
  public static String databaseType(String field, String raw) {
    if (raw == null || !(raw.equals("sqlite") || raw.equals("postgresql"))) {
      throw new InvalidSpecException(
          field,
          raw == null ? "" : raw,
          "expected sqlite (a file in the volume, the"
              + " default) or postgresql (an external server)");
    }
    return raw;
  }

  private static final Pattern SQL_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** A PostgreSQL database or role name that needs no quoting anywhere: sympa.conf, psql, a URL. */
  public static String sqlIdentifier(String field, String raw) {
    if (raw == null || !SQL_IDENTIFIER.matcher(raw).matches()) {
      throw new InvalidSpecException(
          field,
          raw == null ? "" : raw,
          "expected a name of 1-63 characters: lower-case"
              + " letters, digits and _, not starting with a digit");
    }
    return raw;
  }

  static final String OWNER_REQUIRED = "a list needs at least one owner";

  public static final int MAX_TEXT_LENGTH = 100;
  private static final String TEXT_RULE =
      "text on one line, 1-"
          + MAX_TEXT_LENGTH
          + " characters, without"
          + " control characters, line breaks or leading and trailing blanks";

  /**
   * The reception modes Sympa offers a member (its {@code available_user_options.reception}
   * default, in Sympa::Config::Schema of 6.2.70 and 6.2.76).
   */
  public static final List<String> RECEPTION_MODES =
      List.of(
          "mail",
          "notice",
          "digest",
          "digestplain",
          "summary",
          "nomail",
          "txt",
          "urlize",
          "not_me");

  public static String receptionMode(String field, String raw) {
    if (raw == null || !RECEPTION_MODES.contains(raw)) {
      throw new InvalidSpecException(
          field,
          raw == null ? "" : raw,
          "expected a Sympa reception mode: " + String.join(", ", RECEPTION_MODES));
    }
    return raw;
  }

  public static final int MAX_DESCRIPTION_LENGTH = 4000;

  /**
   * A list's description (Sympa's list information page): printable Unicode text, lines separated
   * by line feeds, without the line feeds that end it (YAML's {@code |} adds one).
   */
  public static String description(String field, String raw) {
    String text = raw == null ? null : raw.replaceFirst("\\n+\\z", "");
    Text.requireCharacters(
        field,
        text,
        "text of 1-" + MAX_DESCRIPTION_LENGTH + " characters",
        " without control characters other than line feeds",
        c -> c == '\n' || !Character.isISOControl(c));
    if (text.length() > MAX_DESCRIPTION_LENGTH) {
      throw new InvalidSpecException(
          field, raw, "longer than " + MAX_DESCRIPTION_LENGTH + " characters");
    }
    return text;
  }

  /** A list's subject or a subscriber's name: any printable Unicode text on one line. */
  public static String displayText(String field, String raw) {
    Text.requireText(field, raw, TEXT_RULE, MAX_TEXT_LENGTH);
    return raw;
  }

  public static String imageReference(String field, String raw) {
    String value =
        Text.requirePrintableAscii(field, raw, "an image reference such as sympa-appliance:latest");
    try {
      ImageReference.parse(value);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidSpecException(
          field,
          raw,
          "an image reference [registry/]name[:tag]: lower-case"
              + " name components, a tag of letters, digits, '_', '.', '-' (at most 128 characters)");
    }
    return value;
  }
}
