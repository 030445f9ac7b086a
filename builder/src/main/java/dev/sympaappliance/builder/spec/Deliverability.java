package dev.sympaappliance.builder.spec;

import static dev.sympaappliance.builder.spec.Settings.DKIM;
import static dev.sympaappliance.builder.spec.Settings.DKIM_KEY_FILE;
import static dev.sympaappliance.builder.spec.Settings.DKIM_SELECTOR;
import static dev.sympaappliance.builder.spec.Settings.DMARC_PROTECTION;
import static dev.sympaappliance.builder.spec.Settings.ONE_CLICK_UNSUBSCRIBE;
import static dev.sympaappliance.builder.spec.Settings.RELAYHOST_PASSWORD_FILE;
import static dev.sympaappliance.builder.spec.Settings.SMTP_TLS;
import static dev.sympaappliance.builder.spec.Settings.TLS_CERT_FILE;
import static dev.sympaappliance.builder.spec.Settings.TLS_KEY_FILE;

import java.util.List;
import java.util.Optional;

/**
 * What makes an image's mail reach inboxes safely: STARTTLS in Postfix, inbound on port 25 and
 * outbound to the next hop (every role with Postfix), and for the full flavour Sympa's DKIM
 * signature on what it sends, its DMARC protection (From rewriting) for posts from strict domains
 * and SMTP AUTH at the relay host. No key, certificate or password is ever part of it: a key or
 * certificate is named by the path it is mounted at, or generated at the first start into the
 * volume.
 *
 * @param dkim Sympa's DKIM signing; empty when turned off, and for images without Sympa's daemons
 * @param dmarcModes Sympa's {@code dmarc_protection.mode}; empty for images without Sympa's daemons
 * @param tlsFiles the mounted certificate and key for STARTTLS; empty: a self-signed pair made at
 *     the first start
 * @param smtpTls Postfix's {@code smtp_tls_security_level} for outbound mail: may or encrypt
 *     (always encrypt with SMTP AUTH)
 * @param relayhostPasswordFile a mounted file {@code USERNAME:PASSWORD} for SMTP AUTH at the relay
 *     host; empty: no AUTH
 * @param oneClickUnsubscribe RFC 8058: every copy is made for one member (Sympa's VERP, {@code
 *     verp_rate 100%}) and carries {@code List-Unsubscribe} with that member's HTTPS URL and {@code
 *     List-Unsubscribe-Post}, under the DKIM signature
 */
public record Deliverability(
    Optional<Dkim> dkim,
    List<String> dmarcModes,
    Optional<TlsFiles> tlsFiles,
    String smtpTls,
    Optional<String> relayhostPasswordFile,
    String generatedTlsDirectory,
    boolean oneClickUnsubscribe) {

  public static final String DEFAULT_SELECTOR = "sympa";

  /**
   * Rewrite From only for senders whose domain asks receivers to reject or quarantine what fails
   * DMARC.
   */
  public static final List<String> DEFAULT_DMARC_MODES =
      List.of(Settings.DMARC_PROTECTION.byDefault().orElseThrow().split(","));

  /**
   * Where the entrypoint generates a DKIM key when none is mounted: the volume, readable by sympa
   * only.
   */
  public static final String GENERATED_KEY_DIRECTORY = "/var/lib/sympa/dkim";

  /**
   * Where the full flavour's entrypoint generates a self-signed certificate when none is mounted
   * (root only).
   */
  public static final String GENERATED_TLS_DIRECTORY = "/var/lib/sympa/appliance-secrets/tls";

  /**
   * The same for the tools flavour and the relay: their one volume in common is Postfix's queue.
   */
  public static final String GENERATED_TLS_DIRECTORY_POSTFIX = "/var/spool/postfix/appliance-tls";

  /**
   * Which settings an image takes: all of them, only Postfix's TLS, or none (the sink runs no
   * Postfix).
   */
  enum Scope {
    FULL,
    POSTFIX,
    NONE
  }

  /**
   * Postfix's SASL password table, made at each start from the mounted password file: root only, in
   * /run (the container's own, remade at each start), not in the volume.
   */
  public static final String RELAYHOST_PASSWORD_TABLE = "/run/sympa-appliance/relayhost_passwd";

  public Deliverability {
    dmarcModes = List.copyOf(dmarcModes);
  }

  /** Without one-click unsubscribe. */
  public Deliverability(
      Optional<Dkim> dkim,
      List<String> dmarcModes,
      Optional<TlsFiles> tlsFiles,
      String smtpTls,
      Optional<String> relayhostPasswordFile,
      String generatedTlsDirectory) {
    this(dkim, dmarcModes, tlsFiles, smtpTls, relayhostPasswordFile, generatedTlsDirectory, false);
  }

  /**
   * @param keyFile a mounted private key (PEM); empty: generated at the first start into {@link
   *     #GENERATED_KEY_DIRECTORY}
   */
  public record Dkim(String selector, Optional<String> keyFile) {
    /** The key Sympa signs with, as sympa.conf names it. */
    public String keyPath() {
      return keyPathIn(GENERATED_KEY_DIRECTORY);
    }

    /** The mounted key, else the one the entrypoint makes in {@code generatedDirectory}. */
    public String keyPathIn(String generatedDirectory) {
      return keyFile.orElse(generatedDirectory + "/" + selector + ".key");
    }
  }

  public record TlsFiles(String certFile, String keyFile) {}

  /**
   * The defaults of the full flavour: signed with a generated key, strict domains protected, TLS
   * may.
   */
  public static Deliverability defaults() {
    return new Deliverability(
        Optional.of(new Dkim(DEFAULT_SELECTOR, Optional.empty())),
        DEFAULT_DMARC_MODES,
        Optional.empty(),
        Settings.SMTP_TLS.byDefault().orElseThrow(),
        Optional.empty(),
        GENERATED_TLS_DIRECTORY);
  }

  /** The defaults of an image with Postfix but without Sympa's daemons: STARTTLS only. */
  public static Deliverability postfixDefaults() {
    return new Deliverability(
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Settings.SMTP_TLS.byDefault().orElseThrow(),
        Optional.empty(),
        GENERATED_TLS_DIRECTORY_POSTFIX);
  }

  /** The certificate Postfix presents. */
  public String tlsCertPath() {
    return tlsFiles.map(TlsFiles::certFile).orElse(generatedTlsDirectory + "/cert.pem");
  }

  /** The key of that certificate. */
  public String tlsKeyPath() {
    return tlsFiles.map(TlsFiles::keyFile).orElse(generatedTlsDirectory + "/key.pem");
  }

  /**
   * Validates {@code in} for an image of {@code scope} (the settings an image does not take were
   * refused before, by their {@link Settings} declaration). {@code web} is the full flavour's web
   * interface, if any: one-click unsubscribe needs it at an HTTPS address.
   */
  static Optional<Deliverability> fromInput(
      UserInput in, Scope scope, boolean hasRelayhost, Optional<WebInterface> web) {
    if (scope == Scope.NONE) {
      return Optional.empty();
    }
    if (scope == Scope.POSTFIX) {
      return Optional.of(
          new Deliverability(
              Optional.empty(),
              List.of(),
              tlsFiles(in),
              smtpTls(in),
              Optional.empty(),
              GENERATED_TLS_DIRECTORY_POSTFIX));
    }
    Optional<Dkim> dkim;
    if (Boolean.FALSE.equals(in.get(DKIM))) {
      Optional<Setting<?>> named = in.firstGiven(List.of(DKIM_SELECTOR, DKIM_KEY_FILE));
      if (named.isPresent()) {
        throw new InvalidSpecException(
            in.field(named.get()),
            in.raw(named.get()),
            "DKIM signing is turned off ("
                + in.field(DKIM.key(), "--no-dkim")
                + "); give a selector or key only to signing that is on");
      }
      dkim = Optional.empty();
    } else {
      String selector =
          in.has(DKIM_SELECTOR)
              ? Grammar.dkimSelector(in.field(DKIM_SELECTOR), in.get(DKIM_SELECTOR))
              : DEFAULT_SELECTOR;
      Optional<String> keyFile =
          in.has(DKIM_KEY_FILE)
              ? Optional.of(Grammar.containerPath(in.field(DKIM_KEY_FILE), in.get(DKIM_KEY_FILE)))
              : Optional.empty();
      dkim = Optional.of(new Dkim(selector, keyFile));
    }
    List<String> modes =
        in.has(DMARC_PROTECTION)
            ? Grammar.dmarcModes(in.field(DMARC_PROTECTION), in.get(DMARC_PROTECTION))
            : DEFAULT_DMARC_MODES;
    Optional<TlsFiles> tls = tlsFiles(in);
    String smtpTls = smtpTls(in);
    Optional<String> passwordFile = Optional.empty();
    if (in.has(RELAYHOST_PASSWORD_FILE)) {
      String field = in.field(RELAYHOST_PASSWORD_FILE);
      passwordFile = Optional.of(Grammar.containerPath(field, in.get(RELAYHOST_PASSWORD_FILE)));
      if (!hasRelayhost) {
        throw new InvalidSpecException(
            field,
            in.get(RELAYHOST_PASSWORD_FILE),
            "SMTP AUTH is for a relay host, and" + " there is none (--relayhost, spec relayhost)");
      }
      if (in.has(SMTP_TLS) && !smtpTls.equals("encrypt")) {
        throw new InvalidSpecException(
            in.field(SMTP_TLS),
            in.get(SMTP_TLS),
            "SMTP AUTH to the"
                + " relay host is sent only over TLS: with --relayhost-password-file outbound TLS is encrypt");
      }
      smtpTls = "encrypt";
    }
    return Optional.of(
        new Deliverability(
            dkim,
            modes,
            tls,
            smtpTls,
            passwordFile,
            GENERATED_TLS_DIRECTORY,
            oneClick(in, dkim.isPresent(), web)));
  }

  /**
   * One-click unsubscribe: on by default where it can work (DKIM signing, and the web interface at
   * an HTTPS address, which RFC 8058 requires); asked for where it cannot, an error.
   */
  private static boolean oneClick(UserInput in, boolean signed, Optional<WebInterface> web) {
    boolean https = web.map(w -> w.scheme().equals("https")).orElse(false);
    if (!Boolean.TRUE.equals(in.get(ONE_CLICK_UNSUBSCRIBE))) {
      return !in.has(ONE_CLICK_UNSUBSCRIBE) && signed && https;
    }
    String field = in.field(ONE_CLICK_UNSUBSCRIBE);
    if (!signed) {
      throw new InvalidSpecException(
          field,
          "true",
          "one-click unsubscribe needs DKIM signing (RFC 8058: its"
              + " List-Unsubscribe-Post field must be signed), and it is turned off");
    }
    if (!https) {
      throw new InvalidSpecException(
          field,
          "true",
          "one-click unsubscribe needs the web interface at an https://"
              + " address (RFC 8058), and it is "
              + web.map(w -> "at " + w.scheme() + "://" + w.host()).orElse("off")
              + ": give --web-url https://…");
    }
    return true;
  }

  private static Optional<TlsFiles> tlsFiles(UserInput in) {
    if (in.has(TLS_CERT_FILE) ^ in.has(TLS_KEY_FILE)) {
      boolean certGiven = in.has(TLS_CERT_FILE);
      Setting<String> given = certGiven ? TLS_CERT_FILE : TLS_KEY_FILE;
      throw new InvalidSpecException(
          in.field(given),
          in.get(given),
          "a certificate and its key go together: give both "
              + (certGiven ? "--tls-key-file" : "--tls-cert-file")
              + " (tls.key_file, tls.cert_file), or neither for a self-signed pair made at the first start");
    }
    return in.has(TLS_CERT_FILE)
        ? Optional.of(
            new TlsFiles(
                Grammar.containerPath(in.field(TLS_CERT_FILE), in.get(TLS_CERT_FILE)),
                Grammar.containerPath(in.field(TLS_KEY_FILE), in.get(TLS_KEY_FILE))))
        : Optional.empty();
  }

  private static String smtpTls(UserInput in) {
    return in.has(SMTP_TLS)
        ? Grammar.smtpTlsLevel(in.field(SMTP_TLS), in.get(SMTP_TLS))
        : Settings.SMTP_TLS.byDefault().orElseThrow();
  }
}
