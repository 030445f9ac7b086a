package dev.sympaappliance.e2e;

import static dev.sympaappliance.e2e.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.ApplianceImages.LIST;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Every address the standard appliance serves, with the spool its mail must land in. */
final class ListDomainAddresses {
  private ListDomainAddresses() {}

  static Stream<Arguments> withTheirSpool() {
    return Stream.of(
        Arguments.of(LIST + "@" + DOMAIN, SympaApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-request@" + DOMAIN, SympaApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-editor@" + DOMAIN, SympaApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-unsubscribe@" + DOMAIN, SympaApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-subscribe@" + DOMAIN, SympaApplianceContainer.MSG_SPOOL),
        Arguments.of("sympa@" + DOMAIN, SympaApplianceContainer.MSG_SPOOL),
        Arguments.of("sympa-request@" + DOMAIN, SympaApplianceContainer.MSG_SPOOL),
        Arguments.of("sympa-owner@" + DOMAIN, SympaApplianceContainer.BOUNCE_SPOOL),
        Arguments.of("listmaster@" + DOMAIN, SympaApplianceContainer.MSG_SPOOL),
        Arguments.of(LIST + "-owner@" + DOMAIN, SympaApplianceContainer.BOUNCE_SPOOL),
        Arguments.of("bounce+" + LIST + "==a=example.net@" + DOMAIN, SympaApplianceContainer.BOUNCE_SPOOL),
        Arguments.of("bounce@" + DOMAIN, SympaApplianceContainer.BOUNCE_SPOOL),
        Arguments.of("abuse-feedback-report@" + DOMAIN, SympaApplianceContainer.BOUNCE_SPOOL));
  }
}
