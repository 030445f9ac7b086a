package dev.sympaappliance.e2e.support;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.builder.spec.UserInput;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.utility.DockerImageName;

/**
 * The full flavour under test: the image the README's main job builds, from the repository's
 * example spec (examples/lists.yaml: lists team and announce, relay host "sink"), built once per
 * test JVM through the builder's Java API.
 */
public final class ListServerImages {
  public static final String DOMAIN = "lists.example.org";
  public static final String HOSTNAME = "mx." + DOMAIN;
  public static final String LISTMASTER = "listmaster@example.org";

  /** The members examples/lists.yaml gives list team. */
  public static final java.util.List<String> TEAM =
      java.util.List.of("alice@example.org", "bob@example.org", "carol@example.net");

  private ListServerImages() {}

  /** `builder image --spec examples/lists.yaml --tag sympa-appliance-e2e-full:latest`. */
  public static DockerImageName example() {
    return Example.IMAGE;
  }

  /**
   * `builder image --spec examples/domains.yaml`: two list domains (Sympa virtual hosts),
   * lists.example.org and lists.example.net, each with a list team of its own.
   */
  public static DockerImageName twoDomains() {
    return TwoDomains.IMAGE;
  }

  /** The same with --no-web. */
  public static DockerImageName exampleWithoutWeb() {
    return ExampleWithoutWeb.IMAGE;
  }

  /**
   * The same with its public address https://lists.example.org/sympa (behind a TLS proxy), where
   * one-click unsubscribe is on by default. Its DKIM selector is {@link #HTTPS_SELECTOR}, so that
   * one test DNS server can publish its key beside the example's.
   */
  public static DockerImageName exampleOverHttps() {
    return ExampleOverHttps.IMAGE;
  }

  public static final String HTTPS_SELECTOR = "https";

  /** Where {@link #exampleWithMountedKeys()} expects its DKIM key, certificate and TLS key. */
  public static final String MOUNTED_DKIM_KEY = "/run/secrets/dkim.key";

  public static final String MOUNTED_TLS_CERT = "/run/secrets/tls.crt";
  public static final String MOUNTED_TLS_KEY = "/run/secrets/tls.key";
  public static final String MOUNTED_SELECTOR = "mounted";

  /**
   * The example with a DKIM key (selector "mounted") and a TLS certificate mounted under
   * /run/secrets.
   */
  public static DockerImageName exampleWithMountedKeys() {
    return ExampleWithMountedKeys.IMAGE;
  }

  /**
   * The example with {@code --smtp-tls encrypt}: it sends only over TLS, deferring mail to a relay
   * host without it.
   */
  public static DockerImageName exampleRequiringTls() {
    return ExampleRequiringTls.IMAGE;
  }

  /** Where {@link #exampleWithAuthenticatedRelayhost()} expects its USERNAME:PASSWORD file. */
  public static final String MOUNTED_RELAYHOST_PASSWORD = "/run/secrets/relayhost";

  /** The example sending through "relayhost" on port 587 with SMTP AUTH (credentials mounted). */
  public static DockerImageName exampleWithAuthenticatedRelayhost() {
    return ExampleWithAuthenticatedRelayhost.IMAGE;
  }

  /** Where {@link #exampleOnPostgresql()} expects the PostgreSQL password. */
  public static final String MOUNTED_DB_PASSWORD = "/run/secrets/db_password";

  /**
   * The example with Sympa's database on PostgreSQL at "postgres" (port 5432, database and role
   * sympa).
   */
  public static DockerImageName exampleOnPostgresql() {
    return ExampleOnPostgresql.IMAGE;
  }

  /**
   * {@link #exampleOverHttps()} on Debian 12 (bookworm, Sympa 6.2.70): the old side of an upgrade,
   * with one-click unsubscribe and DKIM signing on, as a production site has them.
   */
  public static DockerImageName exampleOverHttpsOnBookworm() {
    return ExampleOverHttpsOnBookworm.IMAGE;
  }

  public static Path exampleSpec() {
    for (Path candidate :
        new Path[] {Path.of("examples/lists.yaml"), Path.of("../examples/lists.yaml")}) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "examples/lists.yaml not found from " + Path.of("").toAbsolutePath());
  }

  /**
   * examples/cluster.yaml: the example as a deployment (PostgreSQL, deployment:); its output under
   * examples/cluster.
   */
  public static Path clusterSpec() {
    return exampleSpec().resolveSibling("cluster.yaml");
  }

  private static final class ExampleWithoutWeb {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full-noweb:latest",
            ApplianceSpec.fromUserInput(
                SpecFile.read(exampleSpec().toString())
                    .overriddenBy(UserInput.builder().set(Settings.WEB, false).build())));
  }

  private static final class ExampleOverHttps {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full-https:latest", ApplianceSpec.fromUserInput(overHttps()));
  }

  /** The production-like site runs more WWSympa processes than the default 2. */
  public static final int HTTPS_WEB_WORKERS = 3;

  private static UserInput overHttps() {
    return SpecFile.read(exampleSpec().toString()).toBuilder()
        .set(Settings.WEB_URL, "https://" + DOMAIN + "/sympa")
        .set(Settings.DKIM_SELECTOR, HTTPS_SELECTOR)
        .set(Settings.WEB_WORKERS, Integer.toString(HTTPS_WEB_WORKERS))
        .build();
  }

  private static final class ExampleWithMountedKeys {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full-mounted-keys:latest",
            ApplianceSpec.fromUserInput(
                SpecFile.read(exampleSpec().toString()).toBuilder()
                    .set(Settings.DKIM_SELECTOR, MOUNTED_SELECTOR)
                    .set(Settings.DKIM_KEY_FILE, MOUNTED_DKIM_KEY)
                    .set(Settings.TLS_CERT_FILE, MOUNTED_TLS_CERT)
                    .set(Settings.TLS_KEY_FILE, MOUNTED_TLS_KEY)
                    .build()));
  }

  private static final class ExampleRequiringTls {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full-tls-required:latest",
            ApplianceSpec.fromUserInput(
                SpecFile.read(exampleSpec().toString()).toBuilder()
                    .set(Settings.SMTP_TLS, "encrypt")
                    .build()));
  }

  private static final class ExampleWithAuthenticatedRelayhost {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full-relayhost-auth:latest",
            ApplianceSpec.fromUserInput(
                SpecFile.read(exampleSpec().toString())
                    .overriddenBy(
                        UserInput.builder()
                            .set(Settings.RELAYHOST, "relayhost:" + SaslRelayhostContainer.PORT)
                            .set(Settings.RELAYHOST_PASSWORD_FILE, MOUNTED_RELAYHOST_PASSWORD)
                            .build())));
  }

  private static final class ExampleOnPostgresql {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full-postgresql:latest",
            ApplianceSpec.fromUserInput(
                SpecFile.read(exampleSpec().toString()).toBuilder()
                    .set(Settings.DATABASE, "postgresql")
                    .set(Settings.DB_HOST, "postgres")
                    .set(Settings.DB_PASSWORD_FILE, MOUNTED_DB_PASSWORD)
                    .build()));
  }

  private static final class ExampleOverHttpsOnBookworm {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full-https-bookworm:latest",
            ApplianceSpec.fromUserInput(
                overHttps().toBuilder().set(Settings.DEBIAN, "bookworm").build()));
  }

  private static final class TwoDomains {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full-domains:latest",
            ApplianceSpec.fromUserInput(
                SpecFile.read(exampleSpec().resolveSibling("domains.yaml").toString())));
  }

  private static final class Example {
    public static final DockerImageName IMAGE =
        ApplianceImages.build(
            "sympa-appliance-e2e-full:latest",
            ApplianceSpec.fromUserInput(SpecFile.read(exampleSpec().toString())));
  }
}
