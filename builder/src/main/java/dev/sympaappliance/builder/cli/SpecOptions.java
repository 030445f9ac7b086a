package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that describe an appliance, shared by `image` and `render`. */
final class SpecOptions {
  @Option(names = "--domain", required = true, paramLabel = "DOMAIN",
      description = "The list domain, e.g. lists.example.org.")
  String domain;

  @Option(names = "--list", paramLabel = "NAME",
      description = "A list of the domain; its aliases are generated. Repeatable.")
  List<String> lists = new ArrayList<>();

  @Option(names = "--hostname", paramLabel = "HOST",
      description = "Postfix's myhostname (default: mx.DOMAIN).")
  String hostname;

  @Option(names = "--listmaster", paramLabel = "ADDRESS",
      description = "Sympa's listmaster address (default: listmaster@DOMAIN).")
  String listmaster;

  ApplianceSpec toSpec() {
    return ApplianceSpec.fromUserInput(domain, lists, hostname, listmaster);
  }
}
