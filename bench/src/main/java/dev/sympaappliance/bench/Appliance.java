package dev.sympaappliance.bench;

/** The appliance under test: the tools flavour built for one domain, with the list list1. */
final class Appliance {
  static final String DOMAIN = "lists.example.org";
  static final String LIST = "list1";
  static final String LIST_ADDRESS = LIST + "@" + DOMAIN;
  static final String HOSTNAME = "mx." + DOMAIN;

  private Appliance() {}
}
