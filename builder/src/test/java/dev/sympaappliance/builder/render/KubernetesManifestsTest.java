package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.render.DeploymentRenderer.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests pass the API's schema, strictly: the check itself refuses what a cluster
 * would.
 */
class KubernetesManifestsTest {
  static String committed(String file) throws IOException {
    return Files.readString(
        DeploymentRendererTest.EXAMPLE_OUTPUT.resolve("kubernetes").resolve(file),
        StandardCharsets.UTF_8);
  }

  @Test
  void everyDocumentOfTheExampleIsValid() throws IOException {
    assertThat(KubernetesSchema.problems(committed("sympa.yaml"))).isEmpty();
    assertThat(KubernetesSchema.problems(committed("volumes.yaml"))).isEmpty();
    for (RenderedFile file : DeploymentRendererTest.render(Format.KUBERNETES).files()) {
      assertThat(KubernetesSchema.problems(file.text())).as(file.path()).isEmpty();
    }
  }

  @Test
  void theCheckRefusesUnknownFieldsWrongTypesAndMissingRequiredFields() throws IOException {
    String manifests = committed("sympa.yaml");
    assertThat(KubernetesSchema.problems(manifests.replace("  replicas: 3\n", "  replicass: 3\n")))
        .containsExactly(
            "apps/v1/Deployment relay: The field `replicass` in the JSON string is not defined in the"
                + " `V1DeploymentSpec` properties");
    assertThat(
            KubernetesSchema.problems(manifests.replace("  replicas: 3\n", "  replicas: \"3\"\n")))
        .singleElement()
        .asString()
        .startsWith("apps/v1/Deployment relay: ")
        .contains("expected NUMBER, found STRING");
    assertThat(
            KubernetesSchema.problems(
                manifests.replace("        - name: relay\n", "        - nam: relay\n")))
        .singleElement()
        .asString()
        .startsWith("apps/v1/Deployment relay: ")
        .contains("nam");
    // A required field left out (the relay container's name): refused as missing, not as unknown.
    assertThat(
            KubernetesSchema.problems(
                manifests.replace("        - name: relay\n          image:", "        - image:")))
        .singleElement()
        .asString()
        .startsWith("apps/v1/Deployment relay: ")
        .contains("required field `name`");
    assertThat(
            KubernetesSchema.problems(
                manifests.replace("kind: NetworkPolicy", "kind: NetworkPolicyy")))
        .hasSize(2)
        .allMatch(p -> p.contains("not a kind this check knows"));
  }
}
