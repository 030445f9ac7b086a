package dev.sympaappliance.builder.spec;

/** A user-supplied value broke its grammar. The message is one line naming the value and the rule. */
public final class InvalidSpecException extends RuntimeException {
  private final String field;
  private final String value;

  public InvalidSpecException(String field, String value, String rule) {
    super("invalid " + field + " " + Grammar.quoteForMessage(value) + ": " + rule);
    this.field = field;
    this.value = value;
  }

  public String field() {
    return field;
  }

  public String value() {
    return value;
  }
}
