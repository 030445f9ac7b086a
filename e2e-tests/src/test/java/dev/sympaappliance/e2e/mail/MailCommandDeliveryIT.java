package dev.sympaappliance.e2e.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.e2e.support.ApplianceImages;
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

/** Mail sent with the `mail` command inside the appliance lands in the right Sympa spool, once. */
@Testcontainers
class MailCommandDeliveryIT {
  @Container
  static final ToolsApplianceContainer appliance =
      new ToolsApplianceContainer(ApplianceImages.standard(), ApplianceImages.HOSTNAME);

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("dev.sympaappliance.e2e.support.ListDomainAddresses#withTheirSpool")
  void mailToListDomainAddressLandsOnceInItsSpool(String address, String spoolDirectory)
      throws Exception {
    String token = "body-" + UUID.randomUUID();
    appliance.sendWithMail(address, "testing", token);

    Spool spool = new Spool(appliance, spoolDirectory);
    Spool other =
        spoolDirectory.equals(ToolsApplianceContainer.MSG_SPOOL)
            ? appliance.bounceSpool()
            : appliance.msgSpool();
    List<SpoolFile> files = spool.awaitFilesContaining(token, Duration.ofSeconds(30));

    assertThat(files).as("files in %s containing the message", spoolDirectory).hasSize(1);
    SpoolFile file = files.get(0);
    assertThat(file.firstLine()).isEqualTo("X-Sympa-To: " + address);
    assertThat(file.content()).contains("Subject: testing").contains(token);
    assertThat(file.name()).startsWith(address + ".");
    assertThat(other.filesContaining(token)).as("copies in the other spool").isEmpty();
    assertThat(appliance.queuedMessages()).as("messages left in Postfix's queue").isEmpty();
    assertThat(appliance.localMailbox("root"))
        .as("bounces returned to the sender, root")
        .doesNotContain(token);
  }
}
