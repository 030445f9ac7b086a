package dev.sympaappliance.builder.spec;

import java.util.Locale;

/**
 * A server to connect to: host name or IPv4 address, and port; as a next-hop SMTP server it is
 * written as Postfix's [host]:port. Hand-written rather than Guava's {@code HostAndPort}, which
 * reads brackets as an IPv6 literal and accepts any host text.
 */
public record SmtpDestination(String host, int port) {
  public static final int SMTP_PORT = 25;
  private static final String RULE =
      "HOST[:PORT]: HOST a host name (letters, digits, inner hyphens, dot-separated"
          + " labels of 1-63 characters) or an IPv4 address, PORT a number from 1 to 65535";

  public SmtpDestination {
    if (!DomainName.isHost(host) || port < 1 || port > 65535) {
      throw new InvalidSpecException("destination", host + ":" + port, RULE);
    }
    if (!host.equals(host.toLowerCase(Locale.ROOT))) {
      throw new InvalidSpecException("destination", host, "must be lower case");
    }
  }

  /** {@code HOST[:PORT]} or {@code [HOST]:PORT}, port 25 by default. */
  public static SmtpDestination parse(String field, String raw) {
    return parse(field, raw, SMTP_PORT);
  }

  /**
   * {@code HOST[:PORT]} or {@code [HOST]:PORT}: HOST a host name of one or more RFC 1035 labels
   * (Docker service names have one) or an IPv4 address; PORT 1-65535, {@code defaultPort} if none.
   */
  public static SmtpDestination parse(String field, String raw, int defaultPort) {
    String value = Text.requirePrintableAscii(field, raw, RULE).toLowerCase(Locale.ROOT);
    String host = value;
    String port = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new InvalidSpecException(field, raw, RULE);
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new InvalidSpecException(field, raw, RULE);
        }
        port = rest.substring(1);
      }
    } else if (value.contains(":")) {
      host = value.substring(0, value.indexOf(':'));
      port = value.substring(value.indexOf(':') + 1);
    }
    if (!DomainName.isHost(host) || (port != null && !isPort(port))) {
      throw new InvalidSpecException(field, raw, RULE);
    }
    return new SmtpDestination(host, port == null ? defaultPort : Integer.parseInt(port));
  }

  /** 1-65535, written without leading zeros. */
  static boolean isPort(String port) {
    return port.matches("[1-9][0-9]{0,4}") && Integer.parseInt(port) <= 65535;
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
