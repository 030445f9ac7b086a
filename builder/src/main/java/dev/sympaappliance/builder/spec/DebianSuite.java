package dev.sympaappliance.builder.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The Debian release an image is built on: every server part (Postfix, Sympa, nginx, s6) is that
 * release's package, so the suite decides the versions a site runs. Trixie (13, the current stable
 * release) is the default; bookworm (12) stays buildable for sites that run it and as the old side
 * of upgrades.
 */
public enum DebianSuite {
  /** Debian 12: Sympa 6.2.70, Postfix 3.7, nginx 1.22, PostgreSQL 15. */
  BOOKWORM("bookworm"),
  /** Debian 13: Sympa 6.2.76, Postfix 3.10, nginx 1.26, PostgreSQL 17. */
  TRIXIE("trixie");

  public static final DebianSuite DEFAULT = TRIXIE;

  private final String codename;

  DebianSuite(String codename) {
    this.codename = codename;
  }

  /** The suite's name in Debian's archive, as mmdebstrap takes it. */
  public String codename() {
    return codename;
  }

  public static DebianSuite parse(String field, String raw) {
    for (DebianSuite suite : values()) {
      if (suite.codename.equals(raw)) {
        return suite;
      }
    }
    throw new InvalidSpecException(
        field,
        raw == null ? "" : raw,
        "one of "
            + Arrays.stream(values()).map(DebianSuite::codename).collect(Collectors.joining(", ")));
  }
}
