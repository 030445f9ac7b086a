package dev.sympaappliance.builder.spec;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parameter set last over the generated configuration: {@code --postconf NAME=VALUE} for
 * Postfix's main.cf, {@code --sympa-conf NAME=VALUE} for sympa.conf (spec {@code postconf:}, {@code
 * sympa_conf:}). Each rule keeps a value on its one line of the file it goes to.
 */
public record ConfOverride(String name, String value) {
  private static final Pattern POSTCONF_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final int MAX_POSTCONF_VALUE_LENGTH = 1000;

  static final String POSTCONF_RULE =
      "NAME=VALUE: NAME a Postfix parameter name (lower-case letters, digits, '_'),"
          + " VALUE printable ASCII on one line, at most "
          + MAX_POSTCONF_VALUE_LENGTH
          + " characters";

  /**
   * A main.cf override {@code NAME=VALUE}: NAME a Postfix parameter name, VALUE printable ASCII on
   * one line (Postfix's $name and ${name?{a}:{b}} expansions are allowed).
   */
  public static ConfOverride postconf(String field, String raw) {
    String rule = POSTCONF_RULE;
    Text.requireCharacters(field, raw, rule, "", c -> c >= 0x20 && c < 0x7f);
    int eq = raw.indexOf('=');
    if (eq < 0) {
      throw new InvalidSpecException(field, raw, rule);
    }
    String key = raw.substring(0, eq).strip();
    String value = raw.substring(eq + 1).strip();
    if (!POSTCONF_KEY.matcher(key).matches() || value.length() > MAX_POSTCONF_VALUE_LENGTH) {
      throw new InvalidSpecException(field, raw, rule);
    }
    return new ConfOverride(key, value);
  }

  /**
   * A sympa.conf override {@code NAME=VALUE}: NAME a Sympa parameter name (dotted for the keys of a
   * paragraph, e.g. {@code dmarc_protection.mode}), VALUE printable text on one line.
   */
  public static ConfOverride sympaConf(String field, String raw) {
    int eq = raw == null ? -1 : raw.indexOf('=');
    if (eq < 0) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, SYMPA_CONF_RULE);
    }
    Text.requireTextCharacters(field, raw, SYMPA_CONF_RULE);
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
    return new ConfOverride(key, value);
  }

  private static final Pattern SYMPA_CONF_KEY =
      Pattern.compile("[a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)*");
  private static final int MAX_SYMPA_CONF_KEY_LENGTH = 64;
  private static final int MAX_SYMPA_CONF_VALUE_LENGTH = 1000;

  static final String SYMPA_CONF_RULE =
      "NAME=VALUE: NAME a sympa.conf parameter name (lower-case letters,"
          + " digits, '_', dot-separated, at most "
          + MAX_SYMPA_CONF_KEY_LENGTH
          + " characters), VALUE printable"
          + " text on one line without control characters, 1-"
          + MAX_SYMPA_CONF_VALUE_LENGTH
          + " characters";

  /** sympa.conf parameters that hold a per-site secret: never in a spec, so never in an image. */
  static final Set<String> SYMPA_SECRETS = Set.of("cookie", "db_passwd");

  /** The NAME of a sympa.conf override. */
  public static String sympaConfName(String field, String raw) {
    if (raw == null
        || raw.length() > MAX_SYMPA_CONF_KEY_LENGTH
        || !SYMPA_CONF_KEY.matcher(raw).matches()) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, "expected " + SYMPA_CONF_RULE);
    }
    if (SYMPA_SECRETS.contains(raw)) {
      throw new InvalidSpecException(
          field,
          raw,
          "a per-site secret, which must not be in the spec or the image:"
              + " the appliance makes it at the first start, in its volume");
    }
    return raw;
  }

  /** The VALUE of a sympa.conf override: Unicode allowed, one line, no surrounding blanks. */
  public static String sympaConfValue(String field, String raw) {
    Text.requireText(field, raw, SYMPA_CONF_RULE, MAX_SYMPA_CONF_VALUE_LENGTH);
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
      Text.requireCharacters(field, value, POSTCONF_RULE, "", c -> c >= 0x20 && c < 0x7f);
    }
    if (value.length() > MAX_POSTCONF_VALUE_LENGTH || !value.equals(value.strip())) {
      throw new InvalidSpecException(field, value, "expected " + POSTCONF_RULE);
    }
    return value;
  }
}
