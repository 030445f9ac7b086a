package dev.sympaappliance.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/** The containers' wiring, without Docker: nothing here starts a container. */
class SympaApplianceContainerTest {
  @Test
  void aSinkJoinsTheServersNetworkAsItsRelayHostAndStartsFirst() {
    SmtpSinkContainer sink =
        new SmtpSinkContainer(DockerImageName.parse("sympa-appliance-sink:latest"));
    SympaApplianceContainer server =
        new SympaApplianceContainer("lists.example.org:latest").withSink(sink);
    assertThat(sink.getNetwork()).isNotNull().isSameAs(server.getNetwork());
    assertThat(sink.getNetworkAliases()).contains(SympaApplianceContainer.DEFAULT_RELAY_HOST);
    assertThat(server.getDependencies()).containsExactly(sink);
    assertThat(server.getSink()).isSameAs(sink);
  }

  @Test
  void theServerPublishesSmtpAndWeb() {
    SympaApplianceContainer server = new SympaApplianceContainer("lists.example.org:latest");
    assertThat(server.getExposedPorts()).containsExactly(25, 80);
  }

  @Test
  void withoutASinkTheServerSaysHowToGiveOne() {
    assertThatThrownBy(() -> new SympaApplianceContainer("lists.example.org:latest").getSink())
        .hasMessageContaining("withSink(new SmtpSinkContainer())");
  }

  @Test
  void aSinkTokenIsQuotedForTheShell() {
    assertThat(SmtpSinkContainer.filesContaining("it's"))
        .contains("grep -rlF -e 'it'\\''s' /sink")
        .contains("[ $status -le 1 ] || exit $status");
  }
}
