package dev.sympaappliance.builder.spec;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every grammar a user value must match, in one place. The value types of this package call
 * these checks in their constructors, so no invalid value can exist past this point and nothing
 * downstream validates again.
 */
public final class Grammar {
  private Grammar() {}

  /** RFC 1035 label, as refined by RFC 1123: letters, digits, inner hyphens, 1-63 characters. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final int MAX_DOMAIN_LENGTH = 253;

  /** A list name is the local part of several addresses, each at most 64 characters. */
  private static final Pattern LIST_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*(?:\\.[a-z0-9_-]+)*");
  public static final int MAX_LIST_NAME_LENGTH = 50;

  /** Suffixes Sympa gives each list's own addresses; a list name must not end with one. */
  public static final Set<String> LIST_SUFFIXES =
      Set.of("-request", "-editor", "-owner", "-subscribe", "-unsubscribe");

  /** Addresses of the list domain that belong to Sympa itself. */
  public static final Set<String> RESERVED_LOCAL_PARTS =
      Set.of("sympa", "listmaster", "bounce", "abuse-feedback-report", "postmaster", "mailer-daemon");

  /** Dot-atom local part, restricted to characters that need no quoting in any Postfix table. */
  private static final Pattern LOCAL_PART = Pattern.compile("[a-z0-9_+-]+(?:\\.[a-z0-9_+-]+)*");
  private static final int MAX_LOCAL_PART_LENGTH = 64;

  static String domainName(String field, String raw) {
    String value = requirePrintableAscii(field, raw, "a host name in ASCII; write an internationalised domain in its punycode (xn--) form");
    value = value.toLowerCase(Locale.ROOT);
    String rule = "a host name (RFC 1035): at least two dot-separated labels of letters, digits and"
        + " inner hyphens, each 1-63 characters, at most " + MAX_DOMAIN_LENGTH + " characters in all,"
        + " the last label not numeric";
    if (value.length() > MAX_DOMAIN_LENGTH) {
      throw new InvalidSpecException(field, raw, rule);
    }
    String[] labels = value.split("\\.", -1);
    if (labels.length < 2) {
      throw new InvalidSpecException(field, raw, rule);
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw new InvalidSpecException(field, raw, rule);
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      throw new InvalidSpecException(field, raw, rule);
    }
    return value;
  }

  private static final Pattern IPV4 = Pattern.compile(
      "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  /**
   * A next-hop SMTP server, {@code HOST[:PORT]} or {@code [HOST]:PORT}: HOST is a host name of one
   * or more RFC 1035 labels (Docker service names have one) or an IPv4 address; PORT is 1-65535.
   * Returns {host, port}.
   */
  static Object[] smtpDestination(String field, String raw, int defaultPort) {
    String rule = "HOST[:PORT]: HOST a host name (letters, digits, inner hyphens, dot-separated labels"
        + " of 1-63 characters) or an IPv4 address, PORT a number from 1 to 65535";
    String value = requirePrintableAscii(field, raw, rule).toLowerCase(Locale.ROOT);
    String host = value;
    String port = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new InvalidSpecException(field, raw, rule);
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new InvalidSpecException(field, raw, rule);
        }
        port = rest.substring(1);
      }
    } else if (value.contains(":")) {
      host = value.substring(0, value.indexOf(':'));
      port = value.substring(value.indexOf(':') + 1);
    }
    if (!isHost(host)) {
      throw new InvalidSpecException(field, raw, rule);
    }
    int portNumber = defaultPort;
    if (port != null) {
      if (!isPort(port)) {
        throw new InvalidSpecException(field, raw, rule);
      }
      portNumber = Integer.parseInt(port);
    }
    return new Object[] {host, portNumber};
  }

  /** A host name of one or more RFC 1035 labels (the last not numeric), or an IPv4 address. */
  private static boolean isHost(String host) {
    if (IPV4.matcher(host).matches()) {
      return true;
    }
    if (host.isEmpty() || host.length() > MAX_DOMAIN_LENGTH) {
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

  private static boolean isPort(String port) {
    return port.matches("[1-9][0-9]{0,4}") && Integer.parseInt(port) <= 65535;
  }

  /** A segment of a web path: what nginx's location, Sympa's wwsympa_url and a shell take as is. */
  private static final Pattern WEB_PATH = Pattern.compile("(?:/[a-z0-9][a-z0-9._-]{0,62}){1,8}");
  static final String WEB_URL_RULE = "http://HOST[:PORT]/PATH or https://HOST[:PORT]/PATH: HOST a host name (dot-separated"
      + " labels of letters, digits and inner hyphens) or an IPv4 address, PORT 1-65535, PATH one to eight"
      + " segments of lower-case letters, digits, '.', '_', '-' (e.g. https://lists.example.org/sympa),"
      + " no trailing '/', query or fragment";

  /**
   * The public address of the web interface: {@code http(s)://HOST[:PORT]/PATH}. Returns
   * {scheme, host, port (0: the scheme's default), path}.
   */
  static Object[] webUrl(String field, String raw) {
    String value = requirePrintableAscii(field, raw, WEB_URL_RULE);
    String lower = value.toLowerCase(Locale.ROOT);
    String scheme = lower.startsWith("https://") ? "https" : lower.startsWith("http://") ? "http" : null;
    if (scheme == null) {
      throw new InvalidSpecException(field, raw, "expected " + WEB_URL_RULE);
    }
    String rest = lower.substring(scheme.length() + 3);
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new InvalidSpecException(field, raw, "expected " + WEB_URL_RULE);
    }
    String authority = rest.substring(0, slash);
    // The path is case-sensitive: only the scheme and host are folded.
    String path = value.substring(scheme.length() + 3 + slash);
    String host = authority;
    int port = 0;
    int colon = authority.indexOf(':');
    if (colon >= 0) {
      host = authority.substring(0, colon);
      if (!isPort(authority.substring(colon + 1))) {
        throw new InvalidSpecException(field, raw, "expected " + WEB_URL_RULE);
      }
      port = Integer.parseInt(authority.substring(colon + 1));
    }
    if (!isHost(host) || !WEB_PATH.matcher(path).matches()) {
      throw new InvalidSpecException(field, raw, "expected " + WEB_URL_RULE);
    }
    return new Object[] {scheme, host, port, path};
  }

  private static final Pattern POSTCONF_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final int MAX_POSTCONF_VALUE_LENGTH = 1000;

  /**
   * A main.cf override {@code NAME=VALUE}: NAME a Postfix parameter name, VALUE printable ASCII
   * on one line (Postfix's $name and ${name?{a}:{b}} expansions are allowed). Returns {name, value}.
   */
  static final String POSTCONF_RULE = "NAME=VALUE: NAME a Postfix parameter name (lower-case letters, digits, '_'),"
      + " VALUE printable ASCII on one line, at most " + MAX_POSTCONF_VALUE_LENGTH + " characters";

  static String[] postconfOverride(String field, String raw) {
    String rule = POSTCONF_RULE;
    requireCharacters(field, raw, rule, "", c -> c >= 0x20 && c < 0x7f);
    int eq = raw.indexOf('=');
    if (eq < 0) {
      throw new InvalidSpecException(field, raw, rule);
    }
    String key = raw.substring(0, eq).strip();
    String value = raw.substring(eq + 1).strip();
    if (!POSTCONF_KEY.matcher(key).matches() || value.length() > MAX_POSTCONF_VALUE_LENGTH) {
      throw new InvalidSpecException(field, raw, rule);
    }
    return new String[] {key, value};
  }

  /**
   * A sympa.conf override {@code NAME=VALUE}: NAME a Sympa parameter name (dotted for the keys of
   * a paragraph, e.g. {@code dmarc_protection.mode}), VALUE printable text on one line. Returns
   * {name, value}.
   */
  static String[] sympaConfOverride(String field, String raw) {
    int eq = raw == null ? -1 : raw.indexOf('=');
    if (eq < 0) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, SYMPA_CONF_RULE);
    }
    requireTextCharacters(field, raw, SYMPA_CONF_RULE);
    String key = raw.substring(0, eq).strip();
    String value = raw.substring(eq + 1).strip();
    try {
      sympaConfName(field, key);
      sympaConfValue(field, value);
    } catch (InvalidSpecException e) {
      if (SYMPA_SECRETS.contains(key)) {
        throw e;
      }
      throw new InvalidSpecException(field, raw, "expected " + SYMPA_CONF_RULE);
    }
    return new String[] {key, value};
  }

  private static final Pattern SYMPA_CONF_KEY = Pattern.compile("[a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)*");
  private static final int MAX_SYMPA_CONF_KEY_LENGTH = 64;
  private static final int MAX_SYMPA_CONF_VALUE_LENGTH = 1000;
  static final String SYMPA_CONF_RULE = "NAME=VALUE: NAME a sympa.conf parameter name (lower-case letters,"
      + " digits, '_', dot-separated, at most " + MAX_SYMPA_CONF_KEY_LENGTH + " characters), VALUE printable"
      + " text on one line without control characters, 1-" + MAX_SYMPA_CONF_VALUE_LENGTH + " characters";

  /** sympa.conf parameters that hold a per-site secret: never in a spec, so never in an image. */
  static final Set<String> SYMPA_SECRETS = Set.of("cookie", "db_passwd");

  /** The NAME of a sympa.conf override. */
  public static String sympaConfName(String field, String raw) {
    if (raw == null || raw.length() > MAX_SYMPA_CONF_KEY_LENGTH || !SYMPA_CONF_KEY.matcher(raw).matches()) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "expected " + SYMPA_CONF_RULE);
    }
    if (SYMPA_SECRETS.contains(raw)) {
      throw new InvalidSpecException(field, raw, "a per-site secret, which must not be in the spec or the image:"
          + " the appliance makes it at the first start, in its volume");
    }
    return raw;
  }

  /** The VALUE of a sympa.conf override: Unicode allowed, one line, no surrounding blanks. */
  public static String sympaConfValue(String field, String raw) {
    requireText(field, raw, SYMPA_CONF_RULE, MAX_SYMPA_CONF_VALUE_LENGTH);
    return raw;
  }

  /** The NAME of a main.cf override. */
  public static String postconfName(String field, String raw) {
    if (raw == null || !POSTCONF_KEY.matcher(raw).matches()) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "expected " + POSTCONF_RULE);
    }
    return raw;
  }

  /** The VALUE of a main.cf override (may be empty: Postfix's way to unset a parameter). */
  public static String postconfValue(String field, String raw) {
    String value = raw == null ? "" : raw;
    if (!value.isEmpty()) {
      requireCharacters(field, value, POSTCONF_RULE, "", c -> c >= 0x20 && c < 0x7f);
    }
    if (value.length() > MAX_POSTCONF_VALUE_LENGTH || !value.equals(value.strip())) {
      throw new InvalidSpecException(field, value, "expected " + POSTCONF_RULE);
    }
    return value;
  }

  /**
   * Sympa's list templates (create_list_templates) that Debian's sympa ships, the same seven in
   * bookworm's 6.2.70 and trixie's 6.2.76; a list's type is one of them.
   */
  public static final Set<String> LIST_TYPES = Set.of("confidential", "discussion_list", "hotline",
      "html-news-letter", "news-letter", "private_working_group", "public_web_forum");

  public static String listType(String field, String raw) {
    if (raw == null || !LIST_TYPES.contains(raw)) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "one of Sympa's list templates: "
          + String.join(", ", LIST_TYPES.stream().sorted().toList()));
    }
    return raw;
  }

  static final String DKIM_SELECTOR_RULE = "a DNS label: lower-case letters, digits and inner hyphens,"
      + " 1-63 characters (the key is published at SELECTOR._domainkey.DOMAIN)";

  /** A DKIM selector: one DNS label (it names the TXT record SELECTOR._domainkey.DOMAIN). */
  public static String dkimSelector(String field, String raw) {
    if (raw == null || !LABEL.matcher(raw).matches()) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "expected " + DKIM_SELECTOR_RULE);
    }
    return raw;
  }

  private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
  private static final int MAX_CONTAINER_PATH_LENGTH = 255;
  static final String CONTAINER_PATH_RULE = "an absolute path inside the container (where the file is mounted):"
      + " '/'-separated names of letters, digits, '.', '_' and '-' (not starting with '.' or '-'), at most "
      + MAX_CONTAINER_PATH_LENGTH + " characters";

  /**
   * A file inside the container (a mounted key, certificate or password file): absolute, plain
   * names only, so that it can stand unquoted in main.cf, sympa.conf and a shell script.
   */
  public static String containerPath(String field, String raw) {
    if (raw == null || raw.length() > MAX_CONTAINER_PATH_LENGTH || !raw.startsWith("/")) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "expected " + CONTAINER_PATH_RULE);
    }
    for (String segment : raw.substring(1).split("/", -1)) {
      if (!PATH_SEGMENT.matcher(segment).matches()) {
        throw new InvalidSpecException(field, raw, "expected " + CONTAINER_PATH_RULE);
      }
    }
    return raw;
  }

  /** Sympa's dmarc_protection.mode values that need no further parameter (domain_regex needs a regexp). */
  public static final List<String> DMARC_MODES =
      List.of("none", "all", "dkim_signature", "dmarc_reject", "dmarc_quarantine", "dmarc_any");
  static final String DMARC_RULE = "a comma-separated set of Sympa's DMARC protection modes: "
      + String.join(", ", DMARC_MODES) + " (none alone turns the protection off)";

  /** Sympa's dmarc_protection.mode: modes from {@link #DMARC_MODES}, each once, "none" only alone. */
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
  /** How many WWSympa processes: a whole number from 1 to {@link WebInterface#MAX_WORKERS}. */
  static int webWorkers(String field, String raw) {
    if (raw == null || !raw.matches("[1-9][0-9]?") || Integer.parseInt(raw) > WebInterface.MAX_WORKERS) {
      throw new InvalidSpecException(field, raw, "expected a number of WWSympa processes from 1 to "
          + WebInterface.MAX_WORKERS);
    }
    return Integer.parseInt(raw);
  }

  public static final List<String> SMTP_TLS_LEVELS = List.of("may", "encrypt");

  public static String smtpTlsLevel(String field, String raw) {
    if (raw == null || !SMTP_TLS_LEVELS.contains(raw)) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "expected may (TLS when the next hop offers"
          + " it, the default) or encrypt (refuse to send without TLS)");
    }
    return raw;
  }

  /** Sympa's database: the embedded SQLite or an external PostgreSQL. */
  public static String databaseType(String field, String raw) {
    if (raw == null || !(raw.equals("sqlite") || raw.equals("postgresql"))) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "expected sqlite (a file in the volume, the"
          + " default) or postgresql (an external server)");
    }
    return raw;
  }

  private static final Pattern SQL_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** A PostgreSQL database or role name that needs no quoting anywhere: sympa.conf, psql, a URL. */
  public static String sqlIdentifier(String field, String raw) {
    if (raw == null || !SQL_IDENTIFIER.matcher(raw).matches()) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "expected a name of 1-63 characters: lower-case"
          + " letters, digits and _, not starting with a digit");
    }
    return raw;
  }

  static final String OWNER_REQUIRED = "a list needs at least one owner";

  public static final int MAX_TEXT_LENGTH = 100;
  private static final String TEXT_RULE = "text on one line, 1-" + MAX_TEXT_LENGTH + " characters, without"
      + " control characters, line breaks or leading and trailing blanks";

  /** A list's subject or a subscriber's name: any printable Unicode text on one line. */
  public static String displayText(String field, String raw) {
    requireText(field, raw, TEXT_RULE, MAX_TEXT_LENGTH);
    return raw;
  }

  /**
   * Non-empty printable Unicode on one line, at most {@code max} characters (code points): no
   * control characters, no line or paragraph separators, no lone surrogates or unassigned code
   * points, no blank at either end.
   */
  private static void requireText(String field, String raw, String rule, int max) {
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
  private static int requireTextCharacters(String field, String raw, String rule) {
    int position = 0;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      position++;
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.SURROGATE || type == Character.UNASSIGNED) {
        throw new InvalidSpecException(field, raw, "expected " + rule + "; found " + describe(raw.charAt(i))
            + " at position " + position);
      }
      i += Character.charCount(cp);
    }
    return position;
  }

  static String listName(String field, String raw) {
    String value = requirePrintableAscii(field, raw, "a list name in ASCII");
    value = value.toLowerCase(Locale.ROOT);
    if (value.length() > MAX_LIST_NAME_LENGTH || !LIST_NAME.matcher(value).matches()) {
      throw new InvalidSpecException(field, raw, "a list name: letters, digits, '-', '_' and inner"
          + " single dots, starting with a letter or digit, at most " + MAX_LIST_NAME_LENGTH + " characters");
    }
    if (RESERVED_LOCAL_PARTS.contains(value)) {
      throw new InvalidSpecException(field, raw, "this name belongs to Sympa itself; reserved: "
          + String.join(", ", RESERVED_LOCAL_PARTS.stream().sorted().toList()));
    }
    for (String suffix : LIST_SUFFIXES) {
      if (value.endsWith(suffix)) {
        throw new InvalidSpecException(field, raw, "a list name must not end with one of Sympa's"
            + " address suffixes (" + String.join(", ", LIST_SUFFIXES.stream().sorted().toList()) + ")");
      }
    }
    return value;
  }

  static String[] emailAddress(String field, String raw) {
    String value = requirePrintableAscii(field, raw, "an e-mail address in ASCII");
    value = value.toLowerCase(Locale.ROOT);
    int at = value.lastIndexOf('@');
    String rule = "an e-mail address local@domain: the local part letters, digits, '.', '_', '+', '-'"
        + " (no leading, trailing or double dots, at most " + MAX_LOCAL_PART_LENGTH
        + " characters), the domain a host name";
    if (at <= 0) {
      throw new InvalidSpecException(field, raw, rule);
    }
    String local = value.substring(0, at);
    if (local.length() > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.matcher(local).matches()) {
      throw new InvalidSpecException(field, raw, rule);
    }
    String domain;
    try {
      domain = domainName(field, value.substring(at + 1));
    } catch (InvalidSpecException e) {
      throw new InvalidSpecException(field, raw, rule);
    }
    return new String[] {local, domain};
  }

  /** A file the builder writes: printable characters only, and not an existing directory. */
  public static java.nio.file.Path outputFile(String field, String raw) {
    String value = requirePrintableOrSpace(field, raw, "a file path");
    java.nio.file.Path path;
    try {
      path = java.nio.file.Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new InvalidSpecException(field, raw, "a file path");
    }
    if (java.nio.file.Files.isDirectory(path)) {
      throw new InvalidSpecException(field, raw, "a file path, not an existing directory");
    }
    return path;
  }

  /** A directory the builder writes into: printable characters only, and not an existing file. */
  public static java.nio.file.Path outputDirectory(String field, String raw) {
    String value = requirePrintableOrSpace(field, raw, "a directory path");
    java.nio.file.Path path;
    try {
      path = java.nio.file.Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new InvalidSpecException(field, raw, "a directory path");
    }
    if (java.nio.file.Files.exists(path) && !java.nio.file.Files.isDirectory(path)) {
      throw new InvalidSpecException(field, raw, "a directory path, not an existing file");
    }
    return path;
  }

  public static String imageReference(String field, String raw) {
    String value = requirePrintableAscii(field, raw, "an image reference such as sympa-appliance:latest");
    try {
      ImageReference.parse(value);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidSpecException(field, raw, "an image reference [registry/]name[:tag]: lower-case"
          + " name components, a tag of letters, digits, '_', '.', '-' (at most 128 characters)");
    }
    return value;
  }

  /** Paths may hold spaces and any Unicode text, but never control characters. */
  private static String requirePrintableOrSpace(String field, String raw, String rule) {
    return requireCharacters(field, raw, rule, " without control characters",
        c -> !Character.isISOControl(c) && Character.getType(c) != Character.LINE_SEPARATOR
            && Character.getType(c) != Character.PARAGRAPH_SEPARATOR);
  }

  private static String requirePrintableAscii(String field, String raw, String rule) {
    return requireCharacters(field, raw, rule, "", c -> c > 0x20 && c < 0x7f);
  }

  /** Non-empty, and every character allowed; the error names the first one that is not. */
  private static String requireCharacters(String field, String raw, String rule, String ruleSuffix,
      java.util.function.IntPredicate allowed) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidSpecException(field, "", "must not be empty; expected " + rule);
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (!allowed.test(c)) {
        throw new InvalidSpecException(field, raw, "expected " + rule + ruleSuffix
            + "; found " + describe(c) + " at position " + (i + 1));
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
  static String quoteForMessage(String value) {
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
}
