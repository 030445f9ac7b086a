package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ListServerImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ListServerImages.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HealthCheck;
import dev.sympaappliance.builder.render.ImagePaths;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Platform;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.ListServerImages;
import dev.sympaappliance.e2e.support.Poll;
import dev.sympaappliance.e2e.support.Sinks;
import dev.sympaappliance.e2e.support.SympaListServerContainer;
import dev.sympaappliance.testcontainers.ReceivedMessage;
import dev.sympaappliance.testcontainers.SmtpSinkContainer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The full flavour of examples/lists.yaml built for linux/arm64 and run here under QEMU user
 * emulation: a post reaches the list's members at the sink. Not part of `.ci/run`: its base takes
 * about half an hour under emulation on two cores. Run it with {@code CI=true mvn -pl e2e-tests
 * failsafe:integration-test@arm64-full failsafe:verify@arm64-full}.
 *
 * <p>Under QEMU 7.2 Sympa's text folding dies on a stale ENOMEM unless glibc's malloc reserves its
 * heap at once (see the base recipe); the image leaves that to the machine that emulates it, so the
 * container gets {@code GLIBC_TUNABLES} here.
 */
@Testcontainers
class Arm64FullFlavourIT {
  static final String EMULATION_TUNABLES = "glibc.malloc.top_pad=1073741824";
  static final Duration DELIVERY = Duration.ofMinutes(5);
  static final Network network = Network.newNetwork();

  static final DockerImageName IMAGE =
      ApplianceImages.build(
          "sympa-appliance-e2e-full-arm64:latest",
          ApplianceSpec.fromUserInput(
              SpecFile.read(ListServerImages.exampleSpec().toString()).toBuilder()
                  .set(Settings.PLATFORMS, List.of(Platform.LINUX_ARM64.id()))
                  .build()));

  @Container static final SmtpSinkContainer sink = Sinks.relayHostOn(network);

  @Container
  static final SympaListServerContainer server =
      SympaListServerContainer.relayingTo(IMAGE, sink)
          .withEnv("GLIBC_TUNABLES", EMULATION_TUNABLES)
          // Emulated, the first start (database, lists, members) takes minutes: health checks
          // that count only after 15 minutes.
          .withCreateContainerCmdModifier(
              cmd ->
                  cmd.withHealthcheck(
                      new HealthCheck()
                          .withTest(List.of("CMD", ImagePaths.HEALTH_CHECK))
                          .withInterval(5_000_000_000L)
                          .withTimeout(120_000_000_000L)
                          .withStartPeriod(900_000_000_000L)
                          .withRetries(3)));

  static {
    server.waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(20)));
  }

  @AfterAll
  static void closeNetwork() {
    network.close();
  }

  @Test
  void theImageIsArm64() {
    assertThat(
            DockerClientFactory.instance()
                .client()
                .inspectImageCmd(IMAGE.asCanonicalNameString())
                .exec()
                .getArch())
        .isEqualTo("arm64");
    assertThat(server.shell("uname -m").strip()).isEqualTo("aarch64");
  }

  @Test
  void aSubscribersPostReachesEveryMember() throws Exception {
    String token = "arm64-full-" + UUID.randomUUID();
    assertThat(
            server.sendOverSmtp(
                "alice@example.org",
                "team@" + DOMAIN,
                "From: alice@example.org",
                "To: team@" + DOMAIN,
                "Subject: " + token,
                "Message-ID: <" + token + "@example.org>",
                "",
                token))
        .isEqualTo(250);
    List<ReceivedMessage> copies =
        Poll.until(
            () -> Sinks.distributedCopies(sink, token),
            found -> found.stream().mapToLong(c -> c.recipients().size()).sum() >= TEAM.size(),
            DELIVERY,
            Duration.ofSeconds(1));
    assertThat(copies.stream().flatMap(c -> c.recipients().stream()))
        .containsExactlyInAnyOrderElementsOf(TEAM);
    assertThat(copies)
        .allSatisfy(c -> assertThat(c.header("List-Id")).hasValue("<team." + DOMAIN + ">"));
  }
}
