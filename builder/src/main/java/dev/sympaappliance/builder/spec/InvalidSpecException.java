package dev.sympaappliance.builder.spec;

/**
 * A user-supplied value broke its grammar. The message is one line naming the value and the rule.
 */
public final class InvalidSpecException extends RuntimeException {
  private final String field;
  private final String value;
  private final String rule;

  public InvalidSpecException(String field, String value, String rule) {
    super("invalid " + field + " " + Text.quoteForMessage(value) + ": " + rule);
    this.field = field;
    this.value = value;
    this.rule = rule;
  }

  /** An input broken as a whole (a spec file that is not YAML), not one value of it. */
  public InvalidSpecException(String field, String rule) {
    super("invalid " + field + ": " + rule);
    this.field = field;
    this.value = "";
    this.rule = rule;
  }

  /** The same error, named after another field (a location in a spec file, say). */
  public InvalidSpecException renamed(String newField) {
    return new InvalidSpecException(newField, value, rule);
  }

  public String rule() {
    return rule;
  }

  public String field() {
    return field;
  }

  public String value() {
    return value;
  }
}
