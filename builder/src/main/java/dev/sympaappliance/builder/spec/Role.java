package dev.sympaappliance.builder.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an image does. */
public enum Role {
  /** Postfix in front of Sympa's spools on one host (Sympa's Postfix how-to). */
  APPLIANCE,
  /** A front MX for the list domain that forwards list mail to a separate Sympa server. */
  RELAY,
  /**
   * A catch-all SMTP sink (Postfix's smtp-sink) that keeps every message as a file: for staging.
   */
  SINK;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String field, String raw) {
    for (Role role : values()) {
      if (role.cliName().equals(raw)) {
        return role;
      }
    }
    throw new InvalidSpecException(
        field,
        raw == null ? "" : raw,
        "one of " + Arrays.stream(values()).map(Role::cliName).collect(Collectors.joining(", ")));
  }
}
