package dev.sympaappliance.builder.spec;

import java.util.Optional;

/**
 * A member of a list, with the name Sympa shows for it (its {@code gecos}) and its reception mode
 * (one of {@link Grammar#RECEPTION_MODES}; the list's default when empty), if any.
 */
public record Subscriber(EmailAddress address, Optional<String> name, Optional<String> mode) {
  public Subscriber {
    name.ifPresent(n -> Grammar.displayText("subscriber name", n));
    mode.ifPresent(m -> Grammar.receptionMode("reception mode", m));
  }

  public Subscriber(EmailAddress address) {
    this(address, Optional.empty(), Optional.empty());
  }
}
