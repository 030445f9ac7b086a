package dev.sympaappliance.builder.spec;

/** A next-hop SMTP server: host name or IPv4 address, and port. Written as Postfix's [host]:port. */
public record SmtpDestination(String host, int port) {
  public static final int SMTP_PORT = 25;

  public SmtpDestination {
    Object[] parsed = Grammar.smtpDestination("destination", "[" + host + "]:" + port, SMTP_PORT);
    if (!parsed[0].equals(host)) {
      throw new InvalidSpecException("destination", host, "must be lower case");
    }
  }

  public static SmtpDestination parse(String field, String raw) {
    Object[] parsed = Grammar.smtpDestination(field, raw, SMTP_PORT);
    return new SmtpDestination((String) parsed[0], (Integer) parsed[1]);
  }

  /** Postfix next-hop syntax; the brackets turn off MX lookups. */
  public String postfixNexthop() {
    return "[" + host + "]:" + port;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
