package dev.sympaappliance.builder.spec;

/** A lower-case address whose local part needs no quoting in any Postfix table. */
public record EmailAddress(String localPart, DomainName domain) {
  public EmailAddress {
    String[] parts = Grammar.emailAddress("address", localPart + "@" + domain.value());
    if (!parts[0].equals(localPart)) {
      throw new InvalidSpecException("address", localPart + "@" + domain.value(), "must be lower case");
    }
  }

  public static EmailAddress parse(String field, String raw) {
    String[] parts = Grammar.emailAddress(field, raw);
    return new EmailAddress(parts[0], new DomainName(parts[1]));
  }

  @Override
  public String toString() {
    return localPart + "@" + domain.value();
  }
}
