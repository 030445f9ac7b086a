package dev.sympaappliance.builder.spec;

/**
 * WWSympa, Sympa's web interface, as the full flavour serves it: nginx on port 80 in front of
 * wwsympa.fcgi, at {@link #url()}, the public address (Sympa's {@code wwsympa_url}: the links in
 * its mail and pages). A TLS proxy in front may make the public address https while the
 * appliance speaks http; the host and path stay those of the public address.
 *
 * @param port the public port; 0 for the scheme's default
 * @param workers how many wwsympa.fcgi processes answer at once (multiwatch keeps them): each
 *     holds all of Sympa (about 120 MB) and serves one request at a time
 */
public record WebInterface(String scheme, String host, int port, String path, int workers) {
  public static final int DEFAULT_WORKERS = 2;
  public static final int MAX_WORKERS = 16;

  public WebInterface {
    Grammar.webWorkers("web workers", Integer.toString(workers));
    Object[] parsed = Grammar.webUrl("web url", scheme + "://" + (port == 0 ? host : host + ":" + port) + path);
    if (!parsed[1].equals(host) || !parsed[0].equals(scheme)) {
      throw new InvalidSpecException("web url", host, "must be lower case");
    }
  }

  /** Validates a user value; {@code field} names where it came from (e.g. "--web-url"). */
  public static WebInterface parse(String field, String raw) {
    Object[] parsed = Grammar.webUrl(field, raw);
    return new WebInterface((String) parsed[0], (String) parsed[1], (Integer) parsed[2], (String) parsed[3],
        DEFAULT_WORKERS);
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
