package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.ListDomainAddresses;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The tools flavour built for linux/arm64 ({@code --platform linux/arm64}, loaded into the daemon)
 * and run here under QEMU user emulation: the foundation's mail path holds on that architecture
 * too. Every list-domain address lands once in its spool, unknown addresses get 550 and other
 * domains 554 during the dialogue.
 */
@Testcontainers
class Arm64ToolsIT {
  @Container
  static final ToolsApplianceContainer appliance =
      new ToolsApplianceContainer(ApplianceImages.standardArm64(), ApplianceImages.HOSTNAME)
          .emulated();

  @Test
  void theImageIsArm64AndRunsOnIt() {
    assertThat(
            DockerClientFactory.instance()
                .client()
                .inspectImageCmd(ApplianceImages.standardArm64().asCanonicalNameString())
                .exec()
                .getArch())
        .isEqualTo("arm64");
    assertThat(appliance.execOk("uname -m").strip()).isEqualTo("aarch64");
    // Postfix itself is the arm64 build: its ELF header's e_machine (bytes 18-19) is AArch64.
    assertThat(appliance.execOk("head -c 20 /usr/sbin/postfix | od -An -tx1 | tr -d ' \\n'"))
        .as("ELF header of /usr/sbin/postfix: e_machine 0x00b7 (AArch64)")
        .endsWith("b700");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("dev.sympaappliance.e2e.support.ListDomainAddresses#withTheirSpool")
  void listDomainMailLandsOnceInItsSpool(String address, String spoolDirectory) throws Exception {
    ListDomainAddresses.deliverOnceToItsSpool(
        appliance, address, spoolDirectory, ToolsApplianceContainer.EMULATED_STARTUP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nosuchlist", LIST + "-admin", "sympa-x", "bounce-x"})
  void unknownListDomainAddressesAreRejectedAtRcpt(String localPart) throws Exception {
    try (SmtpSession smtp = new SmtpSession(appliance.smtpHost(), appliance.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(localPart + "@" + DOMAIN)).isEqualTo(550);
      assertThat(smtp.lastReply()).contains("5.1.1");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"victim@example.com", "victim@sub." + DOMAIN, "victim@x" + DOMAIN})
  void otherDomainsAreRefused(String recipient) throws Exception {
    try (SmtpSession smtp = new SmtpSession(appliance.smtpHost(), appliance.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(recipient)).isEqualTo(554);
    }
    assertThat(appliance.queuedMessages()).as("nothing queued for relay").isEmpty();
  }
}
