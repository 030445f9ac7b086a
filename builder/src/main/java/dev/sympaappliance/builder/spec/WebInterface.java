package dev.sympaappliance.builder.spec;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * WWSympa, Sympa's web interface, as the full flavour serves it: nginx on port 80 in front of
 * wwsympa.fcgi, at {@link #url()}, the public address (Sympa's {@code wwsympa_url}: the links in
 * its mail and pages). A TLS proxy in front may make the public address https while the appliance
 * speaks http; the host and path stay those of the public address.
 *
 * @param port the public port; 0 for the scheme's default
 * @param workers how many wwsympa.fcgi processes answer at once (multiwatch keeps them): each holds
 *     all of Sympa (about 120 MB) and serves one request at a time
 */
public record WebInterface(String scheme, String host, int port, String path, int workers) {
  public static final int DEFAULT_WORKERS = 2;
  public static final int MAX_WORKERS = 16;

  /** A segment of a web path: what nginx's location, Sympa's wwsympa_url and a shell take as is. */
  private static final Pattern WEB_PATH = Pattern.compile("(?:/[a-z0-9][a-z0-9._-]{0,62}){1,8}");

  static final String URL_RULE =
      "http://HOST[:PORT]/PATH or https://HOST[:PORT]/PATH: HOST a host name"
          + " (dot-separated labels of letters, digits and inner hyphens) or an IPv4 address, PORT 1-65535, PATH one"
          + " to eight segments of lower-case letters, digits, '.', '_', '-' (e.g. https://lists.example.org/sympa),"
          + " no trailing '/', query or fragment";
  private static final String WORKERS_RULE =
      "expected a number of WWSympa processes from 1 to " + MAX_WORKERS;

  public WebInterface {
    if (!(scheme.equals("http") || scheme.equals("https"))
        || !DomainName.isHost(host)
        || (port != 0 && !SmtpDestination.isPort(Integer.toString(port)))
        || !WEB_PATH.matcher(path).matches()) {
      throw new InvalidSpecException(
          "web url", scheme + "://" + host + ":" + port + path, "expected " + URL_RULE);
    }
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new InvalidSpecException("web workers", Integer.toString(workers), WORKERS_RULE);
    }
  }

  /**
   * Validates a user value, the public address {@code http(s)://HOST[:PORT]/PATH}; {@code field}
   * names where it came from (e.g. "--web-url"). Only the scheme and host are folded to lower case.
   */
  public static WebInterface parse(String field, String raw) {
    String value = Text.requirePrintableAscii(field, raw, URL_RULE);
    String lower = value.toLowerCase(Locale.ROOT);
    String scheme =
        lower.startsWith("https://") ? "https" : lower.startsWith("http://") ? "http" : null;
    if (scheme == null) {
      throw new InvalidSpecException(field, raw, "expected " + URL_RULE);
    }
    String rest = lower.substring(scheme.length() + 3);
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new InvalidSpecException(field, raw, "expected " + URL_RULE);
    }
    String authority = rest.substring(0, slash);
    // The path is case-sensitive: only the scheme and host are folded.
    String path = value.substring(scheme.length() + 3 + slash);
    String host = authority;
    int port = 0;
    int colon = authority.indexOf(':');
    if (colon >= 0) {
      host = authority.substring(0, colon);
      if (!SmtpDestination.isPort(authority.substring(colon + 1))) {
        throw new InvalidSpecException(field, raw, "expected " + URL_RULE);
      }
      port = Integer.parseInt(authority.substring(colon + 1));
    }
    if (!DomainName.isHost(host) || !WEB_PATH.matcher(path).matches()) {
      throw new InvalidSpecException(field, raw, "expected " + URL_RULE);
    }
    return new WebInterface(scheme, host, port, path, DEFAULT_WORKERS);
  }

  /**
   * How many WWSympa processes, as a user gives it: a whole number from 1 to {@link #MAX_WORKERS}.
   */
  static int parseWorkers(String field, String raw) {
    if (raw == null || !raw.matches("[1-9][0-9]?") || Integer.parseInt(raw) > MAX_WORKERS) {
      throw new InvalidSpecException(field, raw == null ? "" : raw, WORKERS_RULE);
    }
    return Integer.parseInt(raw);
  }

  /** The default address: http://DOMAIN/sympa. */
  public static WebInterface defaultFor(DomainName domain) {
    return new WebInterface("http", domain.value(), 0, "/sympa", DEFAULT_WORKERS);
  }

  /** The same interface with {@code count} WWSympa processes. */
  public WebInterface withWorkers(int count) {
    return new WebInterface(scheme, host, port, path, count);
  }

  /** The URL as Sympa's wwsympa_url takes it. */
  public String url() {
    return scheme + "://" + authority() + path;
  }

  /** HOST, or HOST:PORT when the port is not the scheme's default: what a browser sends as Host. */
  public String authority() {
    return port == 0 ? host : host + ":" + port;
  }

  /** The public port, the scheme's default (80, 443) when none is given. */
  public int effectivePort() {
    return port != 0 ? port : scheme.equals("https") ? 443 : 80;
  }

  @Override
  public String toString() {
    return url();
  }
}
