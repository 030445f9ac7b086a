package dev.sympaappliance.e2e.support;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.Spool.SpoolFile;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Every address the standard appliance serves, with the spool its mail must land in. */
public final class ListDomainAddresses {
  private ListDomainAddresses() {}

  public static Stream<Arguments> withTheirSpool() {
    return Stream.of(
        Arguments.of(LIST + "@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-request@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-editor@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-unsubscribe@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-subscribe@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of("sympa@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of("sympa-request@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of("sympa-owner@" + DOMAIN, ToolsApplianceContainer.BOUNCE_SPOOL),
        Arguments.of("listmaster@" + DOMAIN, ToolsApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-owner@" + DOMAIN, ToolsApplianceContainer.BOUNCE_SPOOL),
        Arguments.of(
            "bounce+" + LIST + "==a=example.net@" + DOMAIN, ToolsApplianceContainer.BOUNCE_SPOOL),
        Arguments.of("bounce@" + DOMAIN, ToolsApplianceContainer.BOUNCE_SPOOL),
        Arguments.of("abuse-feedback-report@" + DOMAIN, ToolsApplianceContainer.BOUNCE_SPOOL));
  }

  /**
   * Mail from the outside to ADDRESS over SMTP (the published port 25), each reply as it should be;
   * then the one file of the spool that holds it, which must name ADDRESS on its first line.
   */
  public static SpoolFile deliverOnceToItsSpool(
      ToolsApplianceContainer appliance, String address, String spoolDirectory, Duration timeout)
      throws Exception {
    String token = "smtp-" + UUID.randomUUID();
    try (SmtpSession smtp = new SmtpSession(appliance.smtpHost(), appliance.smtpPort())) {
      assertThat(smtp.greetingCode()).isEqualTo(220);
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(address)).as(smtp.lastReply()).isEqualTo(250);
      int[] data =
          smtp.data(
              "From: alice@example.net",
              "To: " + address,
              "Subject: smtp testing",
              "Message-ID: <" + token + "@example.net>",
              "",
              token);
      assertThat(data[0]).as("reply to DATA").isEqualTo(354);
      assertThat(data[1]).as("reply to the end of data").isEqualTo(250);
      assertThat(smtp.quit()).isEqualTo(221);
    }
    List<SpoolFile> files =
        new Spool(appliance, spoolDirectory).awaitFilesContaining(token, timeout);
    assertThat(files).as("files in %s containing the message", spoolDirectory).hasSize(1);
    assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + address);
    assertThat(files.get(0).content()).contains(token);
    return files.get(0);
  }
}
