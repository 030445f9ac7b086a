package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec's {@code domains:}: further list domains (Sympa virtual hosts) in one appliance. */
class ListDomainsSpecTest {
  @TempDir Path tmp;

  private static final String NET = "lists.example.net";

  private static final String TWO_DOMAINS =
      """
      domain: lists.example.org
      listmaster: admin@example.org
      relayhost: sink
      dkim:
        selector: s2026
      lists:
        - name: team
          subscribers: [alice@example.org]
      domains:
        - domain: lists.example.net
          listmaster: admin@example.net
          web:
            url: https://lists.example.net/sympa
          dkim:
            key_file: /run/secrets/net.key
          lists:
            - name: team
              owners: [nina@example.net]
              subscribers: [nina@example.net, ned@example.net]
        - domain: lists.example.com
          dmarc:
            protection: all
      """;

  private ApplianceSpec read(String yaml) throws IOException {
    Path spec = tmp.resolve("lists.yaml");
    Files.writeString(spec, yaml);
    return ApplianceSpec.fromUserInput(SpecFile.read(spec.toString()));
  }

  @Test
  void eachDomainHasItsOwnListsListmasterWebAndKeyAndTheRestIsTheTopLevels() throws Exception {
    ApplianceSpec spec = read(TWO_DOMAINS);

    assertThat(spec.domain().value()).isEqualTo("lists.example.org");
    assertThat(spec.listNames()).extracting(ListName::value).containsExactly("team");
    assertThat(spec.domains()).hasSize(2);

    ListDomain net = spec.domains().get(0);
    assertThat(net.domain().value()).isEqualTo("lists.example.net");
    assertThat(net.listmaster()).hasToString("admin@example.net");
    assertThat(net.lists()).hasSize(1);
    assertThat(net.lists().get(0).owners())
        .extracting(Object::toString)
        .containsExactly("nina@example.net");
    assertThat(net.lists().get(0).subscribers()).hasSize(2);
    assertThat(net.web().orElseThrow().url()).isEqualTo("https://lists.example.net/sympa");
    // The selector is the top level's; the key is the entry's own.
    assertThat(net.dkim().orElseThrow().selector()).isEqualTo("s2026");
    assertThat(net.dkimKeyPath()).contains("/run/secrets/net.key");
    // https with DKIM: one-click unsubscribe, as at the top level.
    assertThat(net.oneClickUnsubscribe()).isTrue();
    assertThat(net.dmarcModes()).containsExactly("dmarc_reject", "dmarc_quarantine");

    ListDomain com = spec.domains().get(1);
    // Worked out for the domain: postmaster@ its parent, http://DOMAIN/sympa, a key of its own.
    assertThat(com.listmaster()).hasToString("postmaster@example.com");
    assertThat(com.web().orElseThrow().url()).isEqualTo("http://lists.example.com/sympa");
    assertThat(com.dkimKeyPath()).contains("/var/lib/sympa/dkim/lists.example.com/s2026.key");
    assertThat(com.dmarcModes()).containsExactly("all");
    assertThat(com.lists()).isEmpty();
    assertThat(com.oneClickUnsubscribe()).isFalse();
  }

  @Test
  void aSpecWithoutDomainsHasNoFurtherDomain() throws Exception {
    assertThat(read("domain: lists.example.org\nlistmaster: admin@example.org\n").domains())
        .isEmpty();
  }

  @Test
  void errorsInAnEntryNameItsPlace() {
    assertThatThrownBy(
            () ->
                read(
                    TWO_DOMAINS.replace(
                        "owners: [nina@example.net]", "owners: [nina@@example.net]")))
        .hasMessageContaining("lists.yaml:18:18: domains[0].lists[0].owners[0]")
        .hasMessageContaining("'nina@@example.net'");
    assertThatThrownBy(() -> read(TWO_DOMAINS.replace("dmarc:\n", "relayhost: x\n    dmarc:\n")))
        .hasMessageContaining("domains[1].relayhost")
        .hasMessageContaining(
            "unknown key; the keys of a list domain are domain, listmaster, web, dkim, dmarc, unsubscribe, lists");
    assertThatThrownBy(
            () ->
                read(TWO_DOMAINS.replace("      url: https", "      workers: 3\n      url: https")))
        .hasMessageContaining("domains[0].web.workers")
        .hasMessageContaining("the keys of a web mapping are url");
    assertThatThrownBy(
            () ->
                read(
                    TWO_DOMAINS.replace(
                        "  - domain: lists.example.com\n", "  - listmaster: x@example.com\n")))
        .hasMessageContaining("domains[1]: missing key domain");
  }

  @Test
  void theRulesBetweenDomainsAreHeld() {
    assertThatThrownBy(
            () ->
                read(TWO_DOMAINS.replace("domain: lists.example.com", "domain: lists.example.org")))
        .hasMessageContaining("domains[1].domain")
        .hasMessageContaining("each list domain may be given only once (first at ");
    assertThatThrownBy(
            () ->
                read(
                    TWO_DOMAINS.replace(
                        "listmaster: admin@example.net", "listmaster: admin@lists.example.org")))
        .hasMessageContaining("domains[0].listmaster")
        .hasMessageContaining("outside every list domain");
    assertThatThrownBy(
            () ->
                read(
                    TWO_DOMAINS.replace(
                        "listmaster: admin@example.org", "listmaster: admin@lists.example.com")))
        .hasMessageContaining("lists.yaml:2:13: listmaster")
        .hasMessageContaining("outside every list domain");
    assertThatThrownBy(
            () ->
                read(
                    TWO_DOMAINS.replace(
                        "dmarc:\n",
                        "web:\n      url: https://lists.example.net/other\n    dmarc:\n")))
        .hasMessageContaining("domains[1].web.url")
        .hasMessageContaining("a host name of its own");
  }

  @Test
  void onlyTheFullFlavourTakesDomains() {
    assertThatThrownBy(
            () ->
                read(
                    TWO_DOMAINS
                        .replace("relayhost: sink\n", "relayhost: sink\nsympa: tools\n")
                        .replace("dkim:\n  selector: s2026\n", "")))
        .hasMessageContaining("lists.yaml:")
        .hasMessageContaining("domains")
        .hasMessageContaining("only applies to --role appliance --sympa full")
        .hasMessageContaining("and to its front relay (--role relay)");
  }

  @Test
  void aFrontRelayTakesEveryDomainAndADeploymentsRelayIsBuiltWithThem() throws Exception {
    ApplianceSpec relay =
        read(
            """
            role: relay
            domain: lists.example.org
            sympa_server: core
            domains:
              - domain: lists.example.net
            """);
    assertThat(relay.domains()).extracting(d -> d.domain().value()).containsExactly(NET);

    ApplianceSpec cluster =
        read(
            TWO_DOMAINS
                .replace(
                    "relayhost: sink\n",
                    "relayhost: sink\ndatabase:\n  type: postgresql\n  host: postgres\n"
                        + "  password_file: /run/secrets/db_password\ndeployment:\n  relays: 2\n")
                .replace("/run/secrets/net.key", "/run/secrets/net_dkim.key"));
    assertThat(dev.sympaappliance.builder.render.DeploymentRenderer.frontRelay(cluster).domains())
        .extracting(d -> d.domain().value())
        .containsExactly(NET, "lists.example.com");
    // The further domain's mounted key is a secret of the deployment.
    assertThat(Deployment.secrets(cluster))
        .extracting(Deployment.Secret::path)
        .contains("/run/secrets/net_dkim.key");
  }
}
