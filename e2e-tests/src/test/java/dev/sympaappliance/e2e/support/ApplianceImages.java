package dev.sympaappliance.e2e.support;

import dev.sympaappliance.builder.ApplianceBuilder;
import dev.sympaappliance.builder.BuildFailedException;
import dev.sympaappliance.builder.image.BuiltImage;
import dev.sympaappliance.builder.image.ImageTarget;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Platform;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.UserInput;
import java.util.List;
import org.testcontainers.utility.DockerImageName;

/**
 * The images under test, built once per test JVM through the builder's Java API (the same path as
 * `builder image`) and loaded into the local Docker daemon.
 */
public final class ApplianceImages {
  public static final String DOMAIN = "lists.example.org";
  public static final String LIST = "list1";
  public static final String HOSTNAME = "mx." + DOMAIN;

  private ApplianceImages() {}

  /** `builder image --domain lists.example.org --list list1 --tag sympa-appliance-e2e:latest`. */
  public static DockerImageName standard() {
    return Standard.IMAGE;
  }

  /**
   * {@link #standard()} for linux/arm64 ({@code --platform linux/arm64}), loaded into the daemon:
   * on an amd64 host, built and run under QEMU user emulation.
   */
  public static DockerImageName standardArm64() {
    return StandardArm64.IMAGE;
  }

  public static ApplianceBuilder builder() {
    return new ApplianceBuilder(
        ApplianceBuilder.defaultCacheDirectory(), line -> System.err.println("[build] " + line));
  }

  public static ApplianceSpec standardSpec() {
    return ApplianceSpec.fromUserInput(
        UserInput.appliance(DOMAIN, List.of(LIST)).toBuilder()
            .set(Settings.FLAVOUR, "tools")
            .build());
  }

  /**
   * The appliance, sending mail for other domains through the host named "sink" (--relayhost sink).
   */
  public static DockerImageName withRelayhostSink() {
    return WithRelayhostSink.IMAGE;
  }

  /**
   * A front relay for the list domain forwarding to the host named "sympa" (--role relay
   * --sympa-server sympa).
   */
  public static DockerImageName frontRelay() {
    return FrontRelay.IMAGE;
  }

  /**
   * A front relay for examples/domains.yaml's two list domains, lists.example.org and
   * lists.example.net, forwarding to the host named "sympa".
   */
  public static DockerImageName frontRelayOfTwoDomains() {
    return FrontRelayOfTwoDomains.IMAGE;
  }

  /** The appliance for the internal list domain lists.internal. */
  public static DockerImageName internalAppliance() {
    return InternalAppliance.IMAGE;
  }

  /**
   * A front relay for lists.example.org that translates to lists.internal at the host
   * "sympa-internal".
   */
  public static DockerImageName translatingRelay() {
    return TranslatingRelay.IMAGE;
  }

  /**
   * Control: the standard appliance with Postfix's default bare-newline handling (smuggling test).
   */
  public static DockerImageName controlBareNewlineAllowed() {
    return ControlBareNewline.IMAGE;
  }

  /** Control: the standard appliance with Postfix's default hard error limit, 1 in stress mode. */
  public static DockerImageName controlDefaultHardErrorLimit() {
    return ControlHardErrorLimit.IMAGE;
  }

  public static final String INTERNAL_DOMAIN = "lists.internal";

  /**
   * A list domain of 123 characters: list1@LONG_DOMAIN spools under a 140-odd character file name.
   */
  public static final String LONG_DOMAIN = "l".repeat(60) + "." + "m".repeat(50) + ".example.org";

  /** The appliance for {@link #LONG_DOMAIN} with list list1. */
  public static DockerImageName longDomain() {
    return LongDomain.IMAGE;
  }

  private static final class LongDomain {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-long-domain:latest",
            UserInput.appliance(LONG_DOMAIN, List.of(LIST)));
  }

  private static final class StandardArm64 {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-arm64:latest",
            UserInput.appliance(DOMAIN, List.of(LIST)).toBuilder()
                .set(Settings.PLATFORMS, List.of(Platform.LINUX_ARM64.id()))
                .build());
  }

  // Each holder is initialised on first use; the JVM guarantees a single build per image.
  private static final class Standard {
    public static final DockerImageName IMAGE =
        build("sympa-appliance-e2e:latest", UserInput.appliance(DOMAIN, List.of(LIST)));
  }

  private static final class WithRelayhostSink {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-relayhost:latest",
            UserInput.builder()
                .set(Settings.DOMAIN, DOMAIN)
                .lists(List.of(LIST))
                .set(Settings.RELAYHOST, "sink")
                .build());
  }

  /** A front relay (--role relay) for the list domain, forwarding to {@code sympaServer}. */
  private static UserInput.Builder relayOfTheDomainTo(String sympaServer) {
    return UserInput.builder()
        .set(Settings.ROLE, "relay")
        .set(Settings.DOMAIN, DOMAIN)
        .set(Settings.SYMPA_SERVER, sympaServer);
  }

  private static final class FrontRelay {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-relay:latest",
            relayOfTheDomainTo("sympa").lists(List.of(LIST)).build());
  }

  private static final class FrontRelayOfTwoDomains {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-relay-domains:latest",
            relayOfTheDomainTo("sympa")
                .domains(
                    List.of(UserInput.builder().set(Settings.DOMAIN, "lists.example.net").build()))
                .build());
  }

  private static final class InternalAppliance {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-internal:latest",
            UserInput.appliance(INTERNAL_DOMAIN, List.of(LIST)));
  }

  private static final class TranslatingRelay {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-translating-relay:latest",
            relayOfTheDomainTo("sympa-internal:25")
                .lists(List.of(LIST))
                .set(Settings.SYMPA_DOMAIN, INTERNAL_DOMAIN)
                .build());
  }

  private static final class ControlBareNewline {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-control-bare-newline:latest",
            UserInput.builder()
                .set(Settings.DOMAIN, DOMAIN)
                .lists(List.of(LIST))
                .postconf(
                    List.of("smtpd_forbid_bare_newline=no", "smtpd_forbid_unauth_pipelining=no"))
                .build());
  }

  private static final class ControlHardErrorLimit {
    public static final DockerImageName IMAGE =
        build(
            "sympa-appliance-e2e-control-hard-error-limit:latest",
            UserInput.builder()
                .set(Settings.DOMAIN, DOMAIN)
                .lists(List.of(LIST))
                .postconf(List.of("smtpd_hard_error_limit=${stress?{1}:{20}}"))
                .build());
  }

  /** The images of this class are the tools flavour (appliances) or the relay and sink roles. */
  private static DockerImageName build(String reference, UserInput input) {
    boolean appliance = !input.has(Settings.ROLE) || input.get(Settings.ROLE).equals("appliance");
    return build(
        reference,
        ApplianceSpec.fromUserInput(
            appliance ? input.toBuilder().set(Settings.FLAVOUR, "tools").build() : input));
  }

  public static DockerImageName build(String reference, ApplianceSpec spec) {
    try {
      BuiltImage image = builder().build(spec, new ImageTarget.DockerDaemon(reference));
      return DockerImageName.parse(image.reference());
    } catch (BuildFailedException e) {
      throw new IllegalStateException("building " + reference + " failed: " + e.getMessage(), e);
    }
  }
}
