package dev.sympaappliance.e2e.support;

import static dev.sympaappliance.e2e.support.ApplianceImages.DOMAIN;
import static dev.sympaappliance.e2e.support.ApplianceImages.LIST;

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
}
