package dev.sympaappliance.builder.spec;

import java.util.Optional;

/** A member of a list, with the name Sympa shows for it (its {@code gecos}), if any. */
public record Subscriber(EmailAddress address, Optional<String> name) {
  public Subscriber {
    name.ifPresent(n -> Grammar.displayText("subscriber name", n));
  }

  public Subscriber(EmailAddress address) {
    this(address, Optional.empty());
  }
}
