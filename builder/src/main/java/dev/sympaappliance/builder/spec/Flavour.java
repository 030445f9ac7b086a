package dev.sympaappliance.builder.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What of Sympa an appliance image holds. */
public enum Flavour {
  /** Postfix in front of Sympa's spool tools {@code queue} and {@code bouncequeue} only. */
  TOOLS,
  /** The same plus Debian's {@code sympa} package and its daemons. */
  FULL;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Flavour parse(String field, String raw) {
    for (Flavour flavour : values()) {
      if (flavour.cliName().equals(raw)) {
        return flavour;
      }
    }
    throw new InvalidSpecException(
        field,
        raw == null ? "" : raw,
        "one of "
            + Arrays.stream(values()).map(Flavour::cliName).collect(Collectors.joining(", ")));
  }
}
