package dev.sympaappliance.e2e.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.Spool;
import dev.sympaappliance.e2e.support.Spool.SpoolFile;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Mail from the outside, over SMTP to the published port 25: list-domain addresses are accepted and
 * land in their spool.
 */
@Testcontainers
class SmtpDeliveryIT {
  @Container
  static final ToolsApplianceContainer appliance =
      new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME);

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("dev.sympaappliance.e2e.support.ListDomainAddresses#withTheirSpool")
  void smtpMailToListDomainAddressIsAcceptedAndLandsOnce(String address, String spoolDirectory)
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
        new Spool(appliance, spoolDirectory).awaitFilesContaining(token, Duration.ofSeconds(30));
    assertThat(files).as("files in %s containing the message", spoolDirectory).hasSize(1);
    assertThat(files.get(0).firstLine()).isEqualTo("X-Sympa-To: " + address);
    assertThat(files.get(0).content()).contains("Return-Path: <alice@example.net>").contains(token);
  }
}
