package dev.sympaappliance.builder.spec;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A lower-case address whose local part needs no quoting in any Postfix table. Hand-written: RFC
 * 5322 (and Jakarta Mail's parser) allow quoted local parts and characters that Postfix's tables
 * and Sympa's files would have to quote.
 */
public record EmailAddress(String localPart, DomainName domain) {
  /** Dot-atom local part, restricted to characters that need no quoting in any Postfix table. */
  private static final Pattern LOCAL_PART = Pattern.compile("[a-z0-9_+-]+(?:\\.[a-z0-9_+-]+)*");

  private static final int MAX_LOCAL_PART_LENGTH = 64;
  private static final String RULE =
      "an e-mail address local@domain: the local part letters, digits, '.', '_',"
          + " '+', '-' (no leading, trailing or double dots, at most "
          + MAX_LOCAL_PART_LENGTH
          + " characters), the"
          + " domain a host name";

  public EmailAddress {
    if (localPart.length() > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.matcher(localPart).matches()) {
      throw new InvalidSpecException("address", localPart + "@" + domain.value(), RULE);
    }
  }

  public static EmailAddress parse(String field, String raw) {
    String value =
        Text.requirePrintableAscii(field, raw, "an e-mail address in ASCII")
            .toLowerCase(Locale.ROOT);
    int at = value.lastIndexOf('@');
    if (at <= 0) {
      throw new InvalidSpecException(field, raw, RULE);
    }
    String local = value.substring(0, at);
    if (local.length() > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.matcher(local).matches()) {
      throw new InvalidSpecException(field, raw, RULE);
    }
    DomainName domain;
    try {
      domain = DomainName.parse(field, value.substring(at + 1));
    } catch (InvalidSpecException e) {
      throw new InvalidSpecException(field, raw, RULE);
    }
    return new EmailAddress(local, domain);
  }

  @Override
  public String toString() {
    return localPart + "@" + domain.value();
  }
}
