package dev.sympaappliance.e2e.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.ListDomainAddresses;
import dev.sympaappliance.e2e.support.Spool.SpoolFile;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import java.time.Duration;
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
    SpoolFile file =
        ListDomainAddresses.deliverOnceToItsSpool(
            appliance, address, spoolDirectory, Duration.ofSeconds(30));
    assertThat(file.content()).contains("Return-Path: <alice@example.net>");
  }
}
