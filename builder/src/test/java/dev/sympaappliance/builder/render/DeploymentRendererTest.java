package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.sympaappliance.builder.render.DeploymentRenderer.Format;
import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.DebianSuite;
import dev.sympaappliance.builder.spec.Deployment;
import dev.sympaappliance.builder.spec.InvalidSpecException;
import dev.sympaappliance.builder.spec.Platform;
import dev.sympaappliance.builder.spec.Role;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.builder.spec.UserInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code builder render --format swarm|kubernetes}: the files committed under examples/cluster are
 * what the example spec renders (this test fails when they are stale), and they say what the issue
 * asks of a deployment.
 */
class DeploymentRendererTest {
  static final Path EXAMPLE_SPEC = Path.of("../examples/cluster.yaml");
  static final Path EXAMPLE_OUTPUT = Path.of("../examples/cluster");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static ApplianceSpec example() {
    return ApplianceSpec.fromUserInput(SpecFile.read(EXAMPLE_SPEC.toString()));
  }

  static RenderedConfig render(Format format) {
    return new DeploymentRenderer().render(example(), format, "--format");
  }

  static List<JsonNode> documents(RenderedFile file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(file.text())) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull()) {
          out.add(doc);
        }
      }
    }
    return out;
  }

  static JsonNode object(List<JsonNode> docs, String kind, String name) {
    return docs.stream()
        .filter(
            d ->
                d.path("kind").asText().equals(kind)
                    && d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  @Test
  void theCommittedExamplesAreWhatTheExampleSpecRenders() throws IOException {
    for (Format format : Format.values()) {
      for (RenderedFile file : render(format).files()) {
        Path committed = EXAMPLE_OUTPUT.resolve(format.cliName()).resolve(file.path().substring(1));
        assertThat(committed)
            .as(
                "regenerate with: bin/builder render --spec examples/cluster.yaml --format "
                    + format.cliName()
                    + " --out examples/cluster/"
                    + format.cliName())
            .exists();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
            .as(
                "examples/cluster/"
                    + format.cliName()
                    + file.path()
                    + " is stale; regenerate with: bin/builder render --spec examples/cluster.yaml --format "
                    + format.cliName()
                    + " --out examples/cluster/"
                    + format.cliName())
            .isEqualTo(file.text());
      }
      try (Stream<Path> committed = Files.list(EXAMPLE_OUTPUT.resolve(format.cliName()))) {
        assertThat(committed.map(p -> "/" + p.getFileName()))
            .as("no file left over in examples/cluster/" + format.cliName())
            .containsExactlyInAnyOrderElementsOf(
                render(format).files().stream().map(RenderedFile::path).toList());
      }
    }
  }

  @Test
  void theStackRunsRelaysBulkAndWebAsReplicasAndOneCoreOnSharedVolumes() throws IOException {
    JsonNode stack = documents(render(Format.SWARM).files().get(0)).get(0);
    JsonNode services = stack.path("services");
    assertThat(services.path("relay").path("deploy").path("replicas").asInt()).isEqualTo(3);
    assertThat(services.path("core").path("deploy").path("replicas").asInt()).isEqualTo(1);
    assertThat(services.path("bulk").path("deploy").path("replicas").asInt()).isEqualTo(2);
    assertThat(services.path("web").path("deploy").path("replicas").asInt()).isEqualTo(1);
    assertThat(services.path("relay").path("image").asText())
        .isEqualTo("sympa-relay-cluster:latest");
    // Host names that a task's successor shares: Sympa's spool locks name the host.
    assertThat(services.path("core").path("hostname").asText()).isEqualTo("core");
    assertThat(services.path("bulk").path("hostname").asText()).isEqualTo("bulk-{{.Task.Slot}}");
    for (String service : List.of("core", "bulk", "web")) {
      assertThat(services.path(service).path("image").asText())
          .isEqualTo("sympa-appliance-cluster:latest");
      assertThat(
              services.path(service).path("environment").path("SYMPA_APPLIANCE_SERVICE").asText())
          .isEqualTo(service);
      assertThat(YAML.convertValue(services.path(service).path("volumes"), List.class))
          .contains("sympa-data:/var/lib/sympa", "sympa-spools:/var/spool/sympa");
      assertThat(services.path(service).path("secrets").get(0).path("target").asText())
          .isEqualTo("db_password");
      assertThat(services.path(service).path("healthcheck").path("test").get(1).asText())
          .isEqualTo(ImagePaths.HEALTH_CHECK);
      assertThat(services.path(service).path("healthcheck").path("start_period").asText())
          .isEqualTo("600s");
    }
    // Every service others connect to resolves to its tasks (no VIPs); only the relays and the core
    // share mx.
    services
        .fields()
        .forEachRemaining(
            e ->
                assertThat(e.getValue().path("deploy").path("endpoint_mode").asText())
                    .as(e.getKey())
                    .isEqualTo("dnsrr"));
    assertThat(YAML.convertValue(services.path("bulk").path("networks"), List.class))
        .doesNotContain("mx");
    assertThat(
            services.path("postgres").path("environment").path("POSTGRES_PASSWORD_FILE").asText())
        .isEqualTo("/run/secrets/db_password");
    assertThat(stack.path("secrets").path("db_password").path("external").asBoolean()).isTrue();
    assertThat(stack.path("volumes").path("relay-queue").path("name").asText())
        .isEqualTo("{{.Service.Name}}-queue-{{.Task.Slot}}");
  }

  @Test
  void kubernetesRunsTheCoreAsAStatefulSetThatOnlyTheRelaysReachOnPort25() throws IOException {
    List<RenderedFile> files = render(Format.KUBERNETES).files();
    List<JsonNode> docs = documents(files.get(0));
    assertThat(object(docs, "Deployment", "relay").path("spec").path("replicas").asInt())
        .isEqualTo(3);
    // bulk: a StatefulSet, so that a pod's successor has its host name (and frees its spool locks).
    JsonNode bulk = object(docs, "StatefulSet", "bulk").path("spec");
    assertThat(bulk.path("replicas").asInt()).isEqualTo(2);
    assertThat(bulk.path("podManagementPolicy").asText()).isEqualTo("Parallel");
    assertThat(bulk.path("volumeClaimTemplates").get(0).path("metadata").path("name").asText())
        .isEqualTo("queue");
    assertThat(object(docs, "Deployment", "web").path("spec").path("replicas").asInt())
        .isEqualTo(1);
    JsonNode core = object(docs, "StatefulSet", "core");
    assertThat(core.path("spec").path("replicas").asInt()).isEqualTo(1);
    JsonNode container = core.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(container.path("readinessProbe").path("exec").path("command").get(0).asText())
        .isEqualTo(ImagePaths.HEALTH_CHECK);
    assertThat(container.path("livenessProbe").path("exec").path("command").get(0).asText())
        .isEqualTo(ImagePaths.HEALTH_CHECK);
    assertThat(container.path("resources").path("requests").path("memory").asText())
        .isEqualTo("384Mi");
    assertThat(object(docs, "Service", "core").path("spec").path("clusterIP").asText())
        .isEqualTo("None");

    JsonNode policy = object(docs, "NetworkPolicy", "core-smtp-from-relays").path("spec");
    assertThat(
            policy
                .path("podSelector")
                .path("matchLabels")
                .path("app.kubernetes.io/component")
                .asText())
        .isEqualTo("core");
    assertThat(policy.path("ingress")).hasSize(1);
    assertThat(
            policy
                .path("ingress")
                .get(0)
                .path("from")
                .get(0)
                .path("podSelector")
                .path("matchLabels")
                .path("app.kubernetes.io/component")
                .asText())
        .isEqualTo("relay");
    assertThat(policy.path("ingress").get(0).path("ports").get(0).path("port").asInt())
        .isEqualTo(25);

    JsonNode secretVolume =
        core.path("spec").path("template").path("spec").path("volumes").findParent("secretName");
    assertThat(secretVolume.path("secretName").asText()).isEqualTo("sympa-db-password");
    assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("Secret"));
    assertThat(documents(files.get(1)))
        .extracting(d -> d.path("kind").asText())
        .containsExactly("PersistentVolumeClaim", "PersistentVolumeClaim");
  }

  @Test
  void theFrontRelayForwardsToTheCoreAndNamesNoList() {
    ApplianceSpec relay = DeploymentRenderer.frontRelay(example());
    assertThat(relay.role()).isEqualTo(Role.RELAY);
    assertThat(relay.sympaServer().orElseThrow().postfixNexthop()).isEqualTo("[core]:25");
    // It asks the core which addresses exist: its image does not change when a list is added.
    assertThat(relay.listNames()).isEmpty();
    assertThat(relay.hostname().value()).isEqualTo("relay.lists.example.org");
  }

  /** The relay is built for the core's platforms (and on its Debian), not the host's. */
  @Test
  void theFrontRelayHasTheCoresPlatformsAndDebian() {
    ApplianceSpec core =
        ApplianceSpec.fromUserInput(
            SpecFile.read(EXAMPLE_SPEC.toString())
                .overriddenBy(
                    UserInput.builder()
                        .set(Settings.PLATFORMS, List.of("linux/arm64", "linux/amd64"))
                        .set(Settings.DEBIAN, "bookworm")
                        .build()));

    ApplianceSpec relay = DeploymentRenderer.frontRelay(core);

    assertThat(relay.platforms()).containsExactly(Platform.LINUX_ARM64, Platform.LINUX_AMD64);
    assertThat(relay.debian()).isEqualTo(DebianSuite.BOOKWORM);
  }

  private static final String PG =
      "domain: lists.example.org\nlistmaster: admin@example.org\n"
          + "database:\n  type: postgresql\n  host: postgres\n  password_file: /run/secrets/db_password\n";

  private static InvalidSpecException refused(String yaml) {
    try {
      ApplianceSpec.fromUserInput(SpecFile.parse("cluster.yaml", yaml));
    } catch (InvalidSpecException e) {
      return e;
    }
    throw new AssertionError("accepted: " + yaml);
  }

  @Test
  void aDeploymentNeedsPostgresqlAndSecretsUnderRunSecrets() {
    assertThat(
            refused(
                    "domain: lists.example.org\nlistmaster: admin@example.org\ndeployment:\n  relays: 2\n")
                .getMessage())
        .isEqualTo(
            "invalid cluster.yaml:3:1: deployment: the services of a deployment share Sympa's"
                + " database, and SQLite is a file of one container: give"
                + " database.type postgresql (--database postgresql)");
    assertThat(
            refused(
                    PG.replace("/run/secrets/db_password", "/etc/db_password")
                        + "deployment:\n  relays: 2\n")
                .getMessage())
        .contains("every mounted file is a secret", "/etc/db_password is not");
    assertThat(
            refused(
                    PG.replace("/run/secrets/db_password", "/run/secrets/db/password")
                        + "deployment:\n"
                        + "  relays: 2\n")
                .getMessage())
        .contains("every mounted file is a secret", "/run/secrets/db/password is not");
    assertThat(
            refused(PG + "dkim:\n  key_file: /run/secrets/DB.password\ndeployment:\n  relays: 2\n")
                .getMessage())
        .contains(
            "two mounted files make the same secret name sympa-db-password (/run/secrets/db_password,"
                + " /run/secrets/DB.password)");
    assertThatThrownBy(
            () ->
                new DeploymentRenderer()
                    .render(
                        ApplianceSpec.fromUserInput(SpecFile.read("../examples/lists.yaml")),
                        Format.KUBERNETES,
                        "--format"))
        .hasMessageStartingWith(
            "invalid --format 'kubernetes': the services of a deployment share");
  }

  @Test
  void replicasPortsAndImagesAreCheckedWhereTheFileGivesThem() {
    assertThat(refused(PG + "deployment:\n  relays: 0\n").getMessage())
        .isEqualTo(
            "invalid cluster.yaml:8:11: deployment.relays '0': expected a number of replicas from 1 to 100");
    assertThat(refused(PG + "deployment:\n  bulk: \"2\"\n").getMessage())
        .isEqualTo(
            "invalid cluster.yaml:8:9: deployment.bulk '2': expected a whole number, found a string");
    assertThat(refused(PG + "deployment:\n  smtp_port: 70000\n").getMessage())
        .contains("deployment.smtp_port '70000': expected a port from 1 to 65535");
    assertThat(refused(PG + "deployment:\n  image: \"Sympa:latest\"\n").getMessage())
        .contains("cluster.yaml:8:10: deployment.image 'Sympa:latest': an image reference");
    assertThat(refused(PG + "deployment:\n  replicas: 2\n").getMessage())
        .contains("deployment.replicas");
    assertThat(refused(PG + "web:\n  enabled: false\ndeployment:\n  web: 1\n").getMessage())
        .contains("deployment.web '1': the web interface is turned off");
    assertThat(
            refused(
                    PG.replace("host: postgres", "host: db.example.net")
                        + "deployment:\n  postgresql_image: postgres:15\n")
                .getMessage())
        .contains(
            "deployment.postgresql_image 'postgres:15': a bundled PostgreSQL is the service named by database.host");
  }

  @Test
  void noSecretValueIsRendered() {
    for (Format format : Format.values()) {
      for (RenderedFile file : render(format).files()) {
        assertThat(file.text())
            .doesNotContain("stringData")
            .doesNotContain("\ndata:")
            .doesNotContain("db_passwd")
            .doesNotContain("POSTGRES_PASSWORD:");
      }
    }
    // Kubernetes names: DNS labels made of the file's name.
    assertThat(
            DeploymentRenderer.secretName(
                new Deployment.Secret("DKIM_key.pem", "/run/secrets/DKIM_key.pem", false),
                Format.KUBERNETES))
        .isEqualTo("sympa-dkim-key-pem");
    assertThat(
            DeploymentRenderer.secretName(
                new Deployment.Secret("db_password", "/run/secrets/db_password", false),
                Format.SWARM))
        .isEqualTo("db_password");
  }
}
