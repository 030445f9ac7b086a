package dev.sympaappliance.builder.spec;

/** A lower-case RFC 1035 host name with at least two labels. */
public record DomainName(String value) {
  public DomainName {
    if (!value.equals(Grammar.domainName("domain", value))) {
      throw new InvalidSpecException("domain", value, "must be lower case");
    }
  }

  /** Validates a user value; {@code field} names the option in the error (e.g. "--domain"). */
  public static DomainName parse(String field, String raw) {
    return new DomainName(Grammar.domainName(field, raw));
  }

  @Override
  public String toString() {
    return value;
  }
}
