package dev.sympaappliance.builder.spec;

import java.util.List;
import java.util.Optional;

/**
 * What makes an image's mail reach inboxes safely: STARTTLS in Postfix, inbound on port 25 and
 * outbound to the next hop (every role with Postfix), and for the full flavour Sympa's DKIM
 * signature on what it sends, its DMARC protection (From rewriting) for posts from strict
 * domains and SMTP AUTH at the relay host. No key, certificate or password is ever part
 * of it: a key or certificate is named by the path it is mounted at, or generated at the first
 * start into the volume.
 *
 * @param dkim Sympa's DKIM signing; empty when turned off, and for images without Sympa's daemons
 * @param dmarcModes Sympa's {@code dmarc_protection.mode}; empty for images without Sympa's daemons
 * @param tlsFiles the mounted certificate and key for STARTTLS; empty: a self-signed pair made
 *     at the first start
 * @param smtpTls Postfix's {@code smtp_tls_security_level} for outbound mail: may or encrypt
 *     (always encrypt with SMTP AUTH)
 * @param relayhostPasswordFile a mounted file {@code USERNAME:PASSWORD} for SMTP AUTH at the
 *     relay host; empty: no AUTH
 * @param oneClickUnsubscribe RFC 8058: every copy is made for one member (Sympa's VERP, {@code
 *     verp_rate 100%}) and carries {@code List-Unsubscribe} with that member's HTTPS URL and {@code
 *     List-Unsubscribe-Post}, under the DKIM signature
 */
public record Deliverability(Optional<Dkim> dkim, List<String> dmarcModes, Optional<TlsFiles> tlsFiles,
    String smtpTls, Optional<String> relayhostPasswordFile, String generatedTlsDirectory,
    boolean oneClickUnsubscribe) {

  public static final String DEFAULT_SELECTOR = "sympa";
  /** Rewrite From only for senders whose domain asks receivers to reject or quarantine what fails DMARC. */
  public static final List<String> DEFAULT_DMARC_MODES = List.of("dmarc_reject", "dmarc_quarantine");
  /** Where the entrypoint generates a DKIM key when none is mounted: the volume, readable by sympa only. */
  public static final String GENERATED_KEY_DIRECTORY = "/var/lib/sympa/dkim";
  /** Where the full flavour's entrypoint generates a self-signed certificate when none is mounted (root only). */
  public static final String GENERATED_TLS_DIRECTORY = "/var/lib/sympa/appliance-secrets/tls";
  /** The same for the tools flavour and the relay: their one volume in common is Postfix's queue. */
  public static final String GENERATED_TLS_DIRECTORY_POSTFIX = "/var/spool/postfix/appliance-tls";

  /** Which settings an image takes: all of them, only Postfix's TLS, or none (the sink runs no Postfix). */
  enum Scope { FULL, POSTFIX, NONE }
  /**
   * Postfix's SASL password table, made at each start from the mounted password file: root only,
   * in /run (the container's own, remade at each start), not in the volume.
   */
  public static final String RELAYHOST_PASSWORD_TABLE = "/run/sympa-appliance/relayhost_passwd";

  public Deliverability {
    dmarcModes = List.copyOf(dmarcModes);
  }

  /** Without one-click unsubscribe. */
  public Deliverability(Optional<Dkim> dkim, List<String> dmarcModes, Optional<TlsFiles> tlsFiles, String smtpTls,
      Optional<String> relayhostPasswordFile, String generatedTlsDirectory) {
    this(dkim, dmarcModes, tlsFiles, smtpTls, relayhostPasswordFile, generatedTlsDirectory, false);
  }

  /**
   * @param keyFile a mounted private key (PEM); empty: generated at the first start into
   *     {@link #GENERATED_KEY_DIRECTORY}
   */
  public record Dkim(String selector, Optional<String> keyFile) {
    /** The key Sympa signs with, as sympa.conf names it. */
    public String keyPath() {
      return keyFile.orElse(GENERATED_KEY_DIRECTORY + "/" + selector + ".key");
    }
  }

  public record TlsFiles(String certFile, String keyFile) {}

  /** The defaults of the full flavour: signed with a generated key, strict domains protected, TLS may. */
  public static Deliverability defaults() {
    return new Deliverability(Optional.of(new Dkim(DEFAULT_SELECTOR, Optional.empty())), DEFAULT_DMARC_MODES,
        Optional.empty(), "may", Optional.empty(), GENERATED_TLS_DIRECTORY);
  }

  /** The defaults of an image with Postfix but without Sympa's daemons: STARTTLS only. */
  public static Deliverability postfixDefaults() {
    return new Deliverability(Optional.empty(), List.of(), Optional.empty(), "may", Optional.empty(),
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
   * Raw user values; null means "not given".
   *
   * @param dkim {@code --dkim}/{@code --no-dkim}, spec {@code dkim.enabled}
   * @param oneClickUnsubscribe {@code --[no-]one-click-unsubscribe}, spec {@code unsubscribe.one_click}
   */
  public record Input(Boolean dkim, String dkimSelector, String dkimKeyFile, String dmarcProtection,
      String tlsCertFile, String tlsKeyFile, String smtpTls, String relayhostPasswordFile,
      Boolean oneClickUnsubscribe) {
    public static final Input NONE = new Input(null, null, null, null, null, null, null, null, null);

    public Input(Boolean dkim, String dkimSelector, String dkimKeyFile, String dmarcProtection, String tlsCertFile,
        String tlsKeyFile, String smtpTls) {
      this(dkim, dkimSelector, dkimKeyFile, dmarcProtection, tlsCertFile, tlsKeyFile, smtpTls, null, null);
    }

    public Input(Boolean dkim, String dkimSelector, String dkimKeyFile, String dmarcProtection, String tlsCertFile,
        String tlsKeyFile, String smtpTls, String relayhostPasswordFile) {
      this(dkim, dkimSelector, dkimKeyFile, dmarcProtection, tlsCertFile, tlsKeyFile, smtpTls, relayhostPasswordFile,
          null);
    }

    /** The first value given, as an error names it: {key path, flag, raw value}; null when none. */
    String[] firstGiven() {
      String[][] all = {
          {"dkim.enabled", "--dkim", dkim == null ? null : dkim.toString()},
          {"dkim.selector", "--dkim-selector", dkimSelector},
          {"dkim.key_file", "--dkim-key-file", dkimKeyFile},
          {"dmarc.protection", "--dmarc-protection", dmarcProtection},
          {"tls.cert_file", "--tls-cert-file", tlsCertFile},
          {"tls.key_file", "--tls-key-file", tlsKeyFile},
          {"tls.outbound", "--smtp-tls", smtpTls},
          {"relayhost_auth.password_file", "--relayhost-password-file", relayhostPasswordFile},
          {"unsubscribe.one_click", "--one-click-unsubscribe",
              oneClickUnsubscribe == null ? null : oneClickUnsubscribe.toString()}};
      for (String[] given : all) {
        if (given[2] != null) {
          return given;
        }
      }
      return null;
    }
  }

  /**
   * Validates {@code in} for an image of {@code scope}: a setting the image does not take is an
   * error. {@code web} is the full flavour's web interface, if any: one-click unsubscribe needs
   * it at an HTTPS address.
   */
  static Optional<Deliverability> fromInput(ApplianceSpec.UserInput user, Input in, Scope scope,
      boolean hasRelayhost, Optional<WebInterface> web) {
    if (scope == Scope.NONE) {
      String[] given = in.firstGiven();
      if (given != null) {
        throw new InvalidSpecException(user.field(given[0], given[1]), given[2], "a sink runs no Postfix");
      }
      return Optional.empty();
    }
    if (scope == Scope.POSTFIX) {
      Input sympaOnly = new Input(in.dkim(), in.dkimSelector(), in.dkimKeyFile(), in.dmarcProtection(), null, null,
          null, in.relayhostPasswordFile(), in.oneClickUnsubscribe());
      String[] given = sympaOnly.firstGiven();
      if (given != null) {
        throw new InvalidSpecException(user.field(given[0], given[1]), given[2],
            "only applies to --role appliance --sympa full (Sympa signs and rewrites its mail)");
      }
      return Optional.of(new Deliverability(Optional.empty(), List.of(), tlsFiles(user, in), smtpTls(user, in),
          Optional.empty(), GENERATED_TLS_DIRECTORY_POSTFIX));
    }
    Optional<Dkim> dkim;
    if (Boolean.FALSE.equals(in.dkim())) {
      if (in.dkimSelector() != null || in.dkimKeyFile() != null) {
        String[] named = in.dkimSelector() != null
            ? new String[] {"dkim.selector", "--dkim-selector", in.dkimSelector()}
            : new String[] {"dkim.key_file", "--dkim-key-file", in.dkimKeyFile()};
        throw new InvalidSpecException(user.field(named[0], named[1]), named[2], "DKIM signing is turned off ("
            + user.field("dkim.enabled", "--no-dkim") + "); give a selector or key only to signing that is on");
      }
      dkim = Optional.empty();
    } else {
      String selector = in.dkimSelector() == null ? DEFAULT_SELECTOR
          : Grammar.dkimSelector(user.field("dkim.selector", "--dkim-selector"), in.dkimSelector());
      Optional<String> keyFile = in.dkimKeyFile() == null ? Optional.empty()
          : Optional.of(Grammar.containerPath(user.field("dkim.key_file", "--dkim-key-file"), in.dkimKeyFile()));
      dkim = Optional.of(new Dkim(selector, keyFile));
    }
    List<String> modes = in.dmarcProtection() == null ? DEFAULT_DMARC_MODES
        : Grammar.dmarcModes(user.field("dmarc.protection", "--dmarc-protection"), in.dmarcProtection());
    Optional<TlsFiles> tls = tlsFiles(user, in);
    String smtpTls = smtpTls(user, in);
    Optional<String> passwordFile = Optional.empty();
    if (in.relayhostPasswordFile() != null) {
      String field = user.field("relayhost_auth.password_file", "--relayhost-password-file");
      passwordFile = Optional.of(Grammar.containerPath(field, in.relayhostPasswordFile()));
      if (!hasRelayhost) {
        throw new InvalidSpecException(field, in.relayhostPasswordFile(), "SMTP AUTH is for a relay host, and"
            + " there is none (--relayhost, spec relayhost)");
      }
      if (in.smtpTls() != null && !smtpTls.equals("encrypt")) {
        throw new InvalidSpecException(user.field("tls.outbound", "--smtp-tls"), in.smtpTls(), "SMTP AUTH to the"
            + " relay host is sent only over TLS: with --relayhost-password-file outbound TLS is encrypt");
      }
      smtpTls = "encrypt";
    }
    return Optional.of(new Deliverability(dkim, modes, tls, smtpTls, passwordFile, GENERATED_TLS_DIRECTORY,
        oneClick(user, in, dkim.isPresent(), web)));
  }

  /**
   * One-click unsubscribe: on by default where it can work (DKIM signing, and the web interface
   * at an HTTPS address, which RFC 8058 requires); asked for where it cannot, an error.
   */
  private static boolean oneClick(ApplianceSpec.UserInput user, Input in, boolean signed, Optional<WebInterface> web) {
    boolean https = web.map(w -> w.scheme().equals("https")).orElse(false);
    if (!Boolean.TRUE.equals(in.oneClickUnsubscribe())) {
      return in.oneClickUnsubscribe() == null && signed && https;
    }
    String field = user.field("unsubscribe.one_click", "--one-click-unsubscribe");
    if (!signed) {
      throw new InvalidSpecException(field, "true", "one-click unsubscribe needs DKIM signing (RFC 8058: its"
          + " List-Unsubscribe-Post field must be signed), and it is turned off");
    }
    if (!https) {
      throw new InvalidSpecException(field, "true", "one-click unsubscribe needs the web interface at an https://"
          + " address (RFC 8058), and it is " + web.map(w -> "at " + w.scheme() + "://" + w.host()).orElse("off")
          + ": give --web-url https://…");
    }
    return true;
  }

  private static Optional<TlsFiles> tlsFiles(ApplianceSpec.UserInput user, Input in) {
    if (in.tlsCertFile() == null ^ in.tlsKeyFile() == null) {
      boolean certGiven = in.tlsCertFile() != null;
      throw new InvalidSpecException(
          certGiven ? user.field("tls.cert_file", "--tls-cert-file") : user.field("tls.key_file", "--tls-key-file"),
          certGiven ? in.tlsCertFile() : in.tlsKeyFile(),
          "a certificate and its key go together: give both " + (certGiven ? "--tls-key-file" : "--tls-cert-file")
              + " (tls.key_file, tls.cert_file), or neither for a self-signed pair made at the first start");
    }
    return in.tlsCertFile() == null ? Optional.empty() : Optional.of(new TlsFiles(
        Grammar.containerPath(user.field("tls.cert_file", "--tls-cert-file"), in.tlsCertFile()),
        Grammar.containerPath(user.field("tls.key_file", "--tls-key-file"), in.tlsKeyFile())));
  }

  private static String smtpTls(ApplianceSpec.UserInput user, Input in) {
    return in.smtpTls() == null ? "may" : Grammar.smtpTlsLevel(user.field("tls.outbound", "--smtp-tls"), in.smtpTls());
  }
}
