package dev.sympaappliance.e2e.mail;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
import dev.sympaappliance.e2e.support.SmtpSession;
import dev.sympaappliance.e2e.support.ToolsApplianceContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** Only the addresses the spec defines are accepted; the rest get 550 5.1.1 during the dialogue. */
@Testcontainers
class UnknownRecipientIT {
  @Container
  static final ToolsApplianceContainer appliance =
      new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "nosuchlist",
        "list2",
        LIST + "-admin",
        LIST + "x",
        "x" + LIST,
        "postmaster2",
        "sympa-x",
        "bounce-x",
        LIST + "+tag-owner",
        "sympa+x"
      })
  void unknownAddressInTheListDomainIsRejectedAtRcpt(String localPart) throws Exception {
    try (SmtpSession smtp = new SmtpSession(appliance.smtpHost(), appliance.smtpPort())) {
      assertThat(smtp.helo("client.example.net")).isEqualTo(250);
      assertThat(smtp.mailFrom("alice@example.net")).isEqualTo(250);
      assertThat(smtp.rcptTo(localPart + "@" + DOMAIN)).isEqualTo(550);
      assertThat(smtp.lastReply()).contains("5.1.1");
      // The session goes on: a known address is still accepted after the rejection.
      assertThat(smtp.rcptTo(LIST + "@" + DOMAIN)).isEqualTo(250);
    }
    assertThat(appliance.queuedMessages()).as("no message, no bounce").isEmpty();
  }
}
