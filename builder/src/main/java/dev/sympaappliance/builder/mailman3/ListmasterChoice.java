package dev.sympaappliance.builder.mailman3;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import dev.sympaappliance.builder.spec.Platform;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.UserInput;
import java.io.IOException;
import java.util.List;

/**
 * The spec's listmaster: left out wherever the builder has a default for the domain (postmaster@
 * its parent); otherwise Mailman's site owner ({@code [mailman] site_owner}, read from {@code
 * /system/configuration/mailman}, Mailman core's REST documentation, systemconf.rst) if the builder
 * takes it; otherwise left out, and the report says that one is needed. The builder's own rules
 * decide, through {@link ApplianceSpec#fromUserInput}.
 */
record ListmasterChoice(String address, String note) {

  /**
   * The platform the specs judged here are given: the listmaster does not depend on it, and without
   * one a host that is no platform the builder builds for would fail every choice.
   */
  private static final List<String> ANY_PLATFORM = List.of(Platform.LINUX_AMD64.id());

  static ListmasterChoice choose(String domain, MailmanRestClient client) throws IOException {
    try {
      String byDefault =
          ApplianceSpec.fromUserInput(
                  UserInput.appliance(domain, List.of()).toBuilder()
                      .set(Settings.PLATFORMS, ANY_PLATFORM)
                      .build())
              .listmaster()
              .toString();
      return new ListmasterChoice(
          null, "left out; the builder's default for " + domain + " is " + byDefault);
    } catch (InvalidSpecException noDefault) {
      String siteOwner =
          client.get("system/configuration/mailman").path("site_owner").asText("").strip();
      try {
        String address =
            ApplianceSpec.fromUserInput(
                    UserInput.builder()
                        .set(Settings.DOMAIN, domain)
                        .set(Settings.LISTMASTER, siteOwner)
                        .set(Settings.PLATFORMS, ANY_PLATFORM)
                        .build())
                .listmaster()
                .toString();
        return new ListmasterChoice(
            address,
            "Mailman's site_owner; the builder has no default for "
                + domain
                + " ("
                + noDefault.getMessage()
                + ")");
      } catch (InvalidSpecException refused) {
        return new ListmasterChoice(
            null,
            "MISSING: add listmaster: ADDRESS to lists.yaml before building ("
                + noDefault.getMessage()
                + "); Mailman's site_owner "
                + TextFitting.quoted(siteOwner)
                + " will not do: "
                + refused.getMessage());
      }
    }
  }
}
