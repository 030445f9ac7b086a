package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sympaappliance.builder.render.ConfigRenderer;
import dev.sympaappliance.builder.render.ImagePaths;
import dev.sympaappliance.builder.render.RenderedConfig;
import dev.sympaappliance.builder.render.RenderedFile;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DKIM, DMARC protection and STARTTLS settings: their defaults, their grammar, what they render.
 */
class DeliverabilitySpecTest {
  private static final UserInput FULL =
      UserInput.builder()
          .set(Settings.DOMAIN, "lists.example.org")
          .lists(List.of("team"))
          .set(Settings.LISTMASTER, "listmaster@example.org")
          .set(Settings.RELAYHOST, "relay.example.net")
          .build();

  private static ApplianceSpec spec(UserInput in) {
    return ApplianceSpec.fromUserInput(FULL.overriddenBy(in));
  }

  private static UserInput flags(
      Boolean dkim,
      String selector,
      String keyFile,
      String dmarc,
      String cert,
      String key,
      String smtpTls) {
    return UserInput.builder()
        .set(Settings.DKIM, dkim)
        .set(Settings.DKIM_SELECTOR, selector)
        .set(Settings.DKIM_KEY_FILE, keyFile)
        .set(Settings.DMARC_PROTECTION, dmarc)
        .set(Settings.TLS_CERT_FILE, cert)
        .set(Settings.TLS_KEY_FILE, key)
        .set(Settings.SMTP_TLS, smtpTls)
        .build();
  }

  private static String file(ApplianceSpec spec, String path) {
    RenderedConfig config = new ConfigRenderer().render(spec);
    return config.files().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .map(RenderedFile::text)
        .orElseThrow(() -> new AssertionError("no " + path));
  }

  @Test
  void theFullFlavourSignsWithAGeneratedKeyProtectsStrictDomainsAndOffersTlsByDefault() {
    Deliverability d = spec(UserInput.none()).deliverability().orElseThrow();

    assertThat(d.dkim()).hasValue(new Deliverability.Dkim("sympa", Optional.empty()));
    assertThat(d.dkim().orElseThrow().keyPath()).isEqualTo("/var/lib/sympa/dkim/sympa.key");
    assertThat(d.dmarcModes()).containsExactly("dmarc_reject", "dmarc_quarantine");
    assertThat(d.tlsCertPath()).isEqualTo("/var/lib/sympa/appliance-secrets/tls/cert.pem");
    assertThat(d.smtpTls()).isEqualTo("may");
  }

  @Test
  void sympaConfSignsEveryPostWithTheSignerDomainSetAndRewritesByPolicy() {
    String conf =
        file(
            spec(flags(null, "lists2026", null, "dmarc_reject, dmarc_any", null, null, null)),
            ImagePaths.SYMPA_CONF);

    assertThat(conf.lines())
        .contains(
            "dkim_feature\ton",
            "dkim_add_signature_to\trobot,list",
            "dkim_signature_apply_on\tany",
            "dkim_parameters.signer_domain\tlists.example.org",
            "dkim_parameters.selector\tlists2026",
            "dkim_parameters.private_key_path\t/var/lib/sympa/dkim/lists2026.key",
            "dmarc_protection.mode\tdmarc_reject,dmarc_any");
  }

  @Test
  void noDkimLeavesSympasSigningOff() {
    String conf =
        file(spec(flags(false, null, null, "none", null, null, null)), ImagePaths.SYMPA_CONF);

    assertThat(conf.lines())
        .noneMatch(line -> line.startsWith("dkim_"))
        .contains("dmarc_protection.mode\tnone");
    assertThat(file(spec(flags(false, null, null, null, null, null, null)), ImagePaths.ENTRYPOINT))
        .doesNotContain("DKIM key");
  }

  @Test
  void mountedFilesAreNamedByTheirPathsAndTheEntrypointChecksThemInsteadOfMakingNew() {
    ApplianceSpec spec =
        spec(
            flags(
                null,
                null,
                "/run/secrets/dkim.key",
                null,
                "/run/secrets/cert.pem",
                "/run/secrets/key.pem",
                "encrypt"));

    assertThat(file(spec, "/etc/postfix/main.cf").lines())
        .contains(
            "smtpd_tls_cert_file = /run/secrets/cert.pem",
            "smtpd_tls_key_file = /run/secrets/key.pem",
            "smtpd_tls_security_level = may",
            "smtp_tls_security_level = encrypt");
    assertThat(file(spec, ImagePaths.SYMPA_CONF).lines())
        .contains("dkim_parameters.private_key_path\t/run/secrets/dkim.key");
    String entrypoint = file(spec, ImagePaths.ENTRYPOINT);
    assertThat(entrypoint)
        .contains("as_sympa test -r /run/secrets/dkim.key")
        .doesNotContain("genrsa")
        .doesNotContain("openssl req");
  }

  @Test
  void noRenderedFileHoldsAKeyOrCertificate() {
    for (RenderedFile f : new ConfigRenderer().render(spec(UserInput.none())).files()) {
      assertThat(f.text()).as(f.path()).doesNotContain("PRIVATE KEY-----\n", "BEGIN CERTIFICATE");
      assertThat(f.path()).doesNotStartWith("/var/lib/sympa");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Sympa", "sel_1", "-sel", "sel.two", "a b", "sel\nx"})
  void aSelectorIsOneDnsLabel(String selector) {
    assertThatThrownBy(() -> spec(flags(null, selector, null, null, null, null, null)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("invalid --dkim-selector ")
        .hasMessageContaining("a DNS label");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dkim.key",
        "/run/../etc/shadow",
        "/run/secrets/my key",
        "/run/secrets/",
        "/",
        "/run//key",
        "/run/$(id)",
        "/run/key\nsmtpd_tls_security_level = none",
        "/run/.hidden"
      })
  void aMountedFileIsAPlainAbsolutePath(String path) {
    assertThatThrownBy(() -> spec(flags(null, null, path, null, null, null, null)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("invalid --dkim-key-file ")
        .hasMessageContaining("an absolute path inside the container");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "reject", "dmarc_reject,dmarc_reject", "none,all", "domain_regex", "all;rm"})
  void dmarcProtectionIsASetOfSympasModes(String modes) {
    assertThatThrownBy(() -> spec(flags(null, null, null, modes, null, null, null)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("invalid --dmarc-protection ");
  }

  @Test
  void aCertificateNeedsItsKey() {
    assertThatThrownBy(
            () -> spec(flags(null, null, null, null, "/run/secrets/cert.pem", null, null)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid --tls-cert-file '/run/secrets/cert.pem': a certificate and its key go"
                + " together");
  }

  @Test
  void outboundTlsIsMayOrEncrypt() {
    assertThatThrownBy(() -> spec(flags(null, null, null, null, null, null, "dane")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("invalid --smtp-tls 'dane'");
  }

  @Test
  void aSelectorWithSigningTurnedOffIsAnError() {
    assertThatThrownBy(() -> spec(flags(false, "sympa", null, null, null, null, null)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("DKIM signing is turned off (--no-dkim)");
  }

  @Test
  void theToolsFlavourAndTheRelayTakeTlsOnlyAndTheSinkNone() {
    UserInput tools =
        UserInput.appliance("lists.example.org", List.of("team")).toBuilder()
            .set(Settings.FLAVOUR, "tools")
            .build();
    Deliverability d =
        ApplianceSpec.fromUserInput(
                tools.overriddenBy(flags(null, null, null, null, null, null, "encrypt")))
            .deliverability()
            .orElseThrow();
    assertThat(d.smtpTls()).isEqualTo("encrypt");
    assertThat(d.dkim()).isEmpty();
    assertThat(d.dmarcModes()).isEmpty();
    assertThat(d.tlsCertPath()).isEqualTo("/var/spool/postfix/appliance-tls/cert.pem");

    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    tools.overriddenBy(flags(null, "sympa", null, null, null, null, null))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid --dkim-selector 'sympa': only applies to --role appliance --sympa full");
    UserInput relay =
        UserInput.builder()
            .set(Settings.ROLE, "relay")
            .set(Settings.DOMAIN, "lists.example.org")
            .lists(List.of("team"))
            .set(Settings.SYMPA_SERVER, "sympa")
            .build();
    assertThat(ApplianceSpec.fromUserInput(relay).deliverability().orElseThrow().tlsCertPath())
        .isEqualTo("/var/spool/postfix/appliance-tls/cert.pem");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    relay.overriddenBy(flags(null, null, null, "all", null, null, null))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("invalid --dmarc-protection 'all': only applies");
    UserInput sink =
        UserInput.builder().set(Settings.ROLE, "sink").set(Settings.DOMAIN, "example.net").build();
    assertThat(ApplianceSpec.fromUserInput(sink).deliverability()).isEmpty();
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    sink.overriddenBy(
                        flags(null, null, null, null, "/run/c.pem", "/run/k.pem", null))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("invalid --tls-cert-file '/run/c.pem': a sink runs no Postfix");
  }

  /**
   * openssl refuses a common name over 64 characters; a host name may be longer (the e2e long
   * domain is).
   */
  @Test
  void aGeneratedCertificateNamesALongHostInItsAltNameOnly() {
    String longDomain = "l".repeat(60) + "." + "m".repeat(50) + ".example.org";
    ApplianceSpec spec =
        ApplianceSpec.fromUserInput(
            UserInput.appliance(longDomain, List.of("team")).toBuilder()
                .set(Settings.FLAVOUR, "tools")
                .build());
    String hostname = spec.hostname().value();
    assertThat(hostname.length()).isGreaterThan(64);

    assertThat(file(spec, ImagePaths.ENTRYPOINT))
        .contains("-subj \"/\" \\\n    -addext \"subjectAltName=critical,DNS:" + hostname + "\"")
        .doesNotContain("/CN=");
    assertThat(file(spec(UserInput.none()), ImagePaths.ENTRYPOINT))
        .contains(
            "-subj \"/CN=mx.lists.example.org\" \\\n    -addext \"subjectAltName=DNS:mx.lists.example.org\"");
  }

  @Test
  void aSpecFileNamesTheLineAndColumnOfABadValueAndFlagsOverrideItsValues() {
    String yaml =
        "domain: lists.example.org\nlistmaster: admin@example.org\ndkim:\n  selector: \"2026_q1\"\n";
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(SpecFile.parse("lists.yaml", yaml)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid lists.yaml:4:13: dkim.selector '2026_q1': expected a DNS label");

    UserInput merged =
        SpecFile.parse(
                "lists.yaml", yaml + "tls:\n  outbound: encrypt\ndmarc:\n  protection: all\n")
            .overriddenBy(
                UserInput.builder()
                    .build()
                    .overriddenBy(flags(null, "q1", null, null, null, null, null)));
    Deliverability d = ApplianceSpec.fromUserInput(merged).deliverability().orElseThrow();
    assertThat(d.dkim().orElseThrow().selector()).isEqualTo("q1");
    assertThat(d.smtpTls()).isEqualTo("encrypt");
    assertThat(d.dmarcModes()).containsExactly("all");
  }

  @Test
  void relayHostCredentialsComeFromAMountedFileAndForceTls() {
    ApplianceSpec spec =
        ApplianceSpec.fromUserInput(
            SpecFile.parse(
                "lists.yaml",
                "domain: lists.example.org\n"
                    + "listmaster: admin@example.org\nrelayhost: smtp.example.net:587\n"
                    + "relayhost_auth:\n  password_file: /run/secrets/relayhost\n"));

    assertThat(spec.deliverability().orElseThrow().smtpTls()).isEqualTo("encrypt");
    assertThat(file(spec, "/etc/postfix/main.cf").lines())
        .contains(
            "smtp_sasl_auth_enable = yes",
            "smtp_sasl_password_maps = hash:/run/sympa-appliance/relayhost_passwd",
            "smtp_tls_security_level = encrypt");
    String entrypoint = file(spec, ImagePaths.ENTRYPOINT);
    assertThat(entrypoint)
        .contains("printf '%s %s\\n' '[smtp.example.net]:587' \"$credentials\"")
        .doesNotContain("echo \"$credentials")
        .doesNotContain("set -x");
  }

  @Test
  void relayHostCredentialsNeedARelayHostAndTls() {
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    UserInput.builder()
                        .set(Settings.DOMAIN, "lists.example.org")
                        .set(Settings.LISTMASTER, "listmaster@example.org")
                        .set(Settings.RELAYHOST_PASSWORD_FILE, "/run/secrets/relayhost")
                        .build()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid --relayhost-password-file '/run/secrets/relayhost': SMTP AUTH is for a relay"
                + " host, and there is none");
    assertThatThrownBy(
            () ->
                spec(
                    UserInput.builder()
                        .set(Settings.SMTP_TLS, "may")
                        .set(Settings.RELAYHOST_PASSWORD_FILE, "/run/secrets/relayhost")
                        .build()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid --smtp-tls 'may': SMTP AUTH to the relay host is sent only over TLS");
  }

  @Test
  void oneClickUnsubscribeIsOnWhereItCanWorkAndMakesEveryCopyOneMembers() {
    UserInput https =
        FULL.toBuilder().set(Settings.WEB_URL, "https://lists.example.org/sympa").build();
    ApplianceSpec on = ApplianceSpec.fromUserInput(https);
    assertThat(on.deliverability().orElseThrow().oneClickUnsubscribe()).isTrue();
    assertThat(file(on, ImagePaths.SYMPA_CONF).lines()).contains("verp_rate\t100%");

    ApplianceSpec http = spec(UserInput.none());
    assertThat(http.deliverability().orElseThrow().oneClickUnsubscribe()).isFalse();
    assertThat(file(http, ImagePaths.SYMPA_CONF).lines())
        .noneMatch(line -> line.startsWith("verp_rate"));
    assertThat(
            ApplianceSpec.fromUserInput(https.overriddenBy(oneClick(false)))
                .deliverability()
                .orElseThrow()
                .oneClickUnsubscribe())
        .isFalse();
    assertThat(
            ApplianceSpec.fromUserInput(https.toBuilder().set(Settings.DKIM, false).build())
                .deliverability()
                .orElseThrow()
                .oneClickUnsubscribe())
        .isFalse();
  }

  @Test
  void oneClickUnsubscribeAskedForWhereItCannotWorkIsAnError() {
    assertThatThrownBy(() -> spec(oneClick(true)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "invalid --one-click-unsubscribe 'true': one-click unsubscribe needs the web interface at an"
                + " https:// address (RFC 8058), and it is at http://lists.example.org: give --web-url https://…");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    FULL.toBuilder().set(Settings.WEB, false).build().overriddenBy(oneClick(true))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageEndingWith("and it is off: give --web-url https://…");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    FULL.toBuilder()
                        .set(Settings.WEB_URL, "https://lists.example.org/sympa")
                        .set(Settings.DKIM, false)
                        .set(Settings.ONE_CLICK_UNSUBSCRIBE, true)
                        .build()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("needs DKIM signing");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    UserInput.appliance("lists.example.org", List.of("team")).toBuilder()
                        .set(Settings.FLAVOUR, "tools")
                        .build()
                        .overriddenBy(oneClick(true))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid --one-click-unsubscribe 'true': only applies to --role appliance --sympa full");
    assertThatThrownBy(
            () ->
                ApplianceSpec.fromUserInput(
                    SpecFile.parse(
                        "lists.yaml",
                        "domain: lists.example.org\n"
                            + "listmaster: admin@example.org\nunsubscribe:\n  one_click: true\n")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith(
            "invalid lists.yaml:4:14: unsubscribe.one_click 'true': one-click unsubscribe needs");
  }

  private static UserInput oneClick(boolean on) {
    return UserInput.builder().set(Settings.ONE_CLICK_UNSUBSCRIBE, on).build();
  }

  @Test
  void anUnknownKeyInASectionIsAnError() {
    assertThatThrownBy(
            () -> SpecFile.parse("lists.yaml", "domain: lists.example.org\ntls:\n  cert: /x\n"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "invalid lists.yaml:3:3: tls.cert 'cert': unknown key; the keys of a tls mapping are cert_file,"
                + " key_file, outbound");
  }
}
