package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.builder.spec.UserInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The relay and sink roles and the full flavour (from the repository's example spec), compared byte
 * for byte with reviewed golden files. Regenerate with {@code builder render} and the arguments in
 * {@link #SPECS} (for the full flavour: {@code --spec examples/lists.yaml}, and with {@code
 * --no-web}), then review the diff.
 */
class OtherRolesGoldenTest {
  /** The flags of full-https-mounted-lists.example.org, over examples/lists.yaml. */
  static final UserInput MOUNTED =
      UserInput.builder()
          .set(Settings.WEB_URL, "https://lists.example.org/sympa")
          .set(Settings.TLS_CERT_FILE, "/run/secrets/tls.crt")
          .set(Settings.TLS_KEY_FILE, "/run/secrets/tls.key")
          .set(Settings.DKIM_KEY_FILE, "/run/secrets/dkim.key")
          .set(Settings.RELAYHOST_PASSWORD_FILE, "/run/secrets/relayhost")
          .build();

  /** Golden directory → the spec it was rendered from (builder render --role … --out DIR). */
  static final Map<String, ApplianceSpec> SPECS =
      Map.of(
          // Two list domains, Sympa virtual hosts (builder render --spec examples/domains.yaml).
          "full-domains-lists.example.org",
              ApplianceSpec.fromUserInput(SpecFile.read("../examples/domains.yaml")),
          // The front relay of examples/domains.yaml's two domains (builder image --spec
          // examples/domains.yaml --role relay --sympa-server sympa; rendered with render).
          "relay-domains-lists.example.org",
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.ROLE, "relay")
                      .set(Settings.DOMAIN, "lists.example.org")
                      .set(Settings.SYMPA_SERVER, "sympa")
                      .domains(
                          List.of(
                              UserInput.builder()
                                  .set(Settings.DOMAIN, "lists.example.net")
                                  .build()))
                      .build()),
          "relay-lists.example.org",
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.ROLE, "relay")
                      .set(Settings.DOMAIN, "lists.example.org")
                      .lists(List.of("list1", "team.dev"))
                      .set(Settings.RELAYHOST, "smarthost.example.net")
                      .set(Settings.SYMPA_SERVER, "sympa:2525")
                      .set(Settings.SYMPA_DOMAIN, "lists.internal")
                      .build()),
          "sink-example.net",
              ApplianceSpec.fromUserInput(
                  UserInput.builder()
                      .set(Settings.ROLE, "sink")
                      .set(Settings.DOMAIN, "example.net")
                      .build()),
          "full-lists.example.org",
              ApplianceSpec.fromUserInput(SpecFile.read("../examples/lists.yaml")),
          "full-noweb-lists.example.org",
              ApplianceSpec.fromUserInput(
                  SpecFile.read("../examples/lists.yaml")
                      .overriddenBy(UserInput.builder().set(Settings.WEB, false).build())),
          // PostgreSQL and the services of a deployment (builder render --spec
          // examples/cluster.yaml).
          "full-postgresql-cluster.example.org",
              ApplianceSpec.fromUserInput(SpecFile.read("../examples/cluster.yaml")),
          // https, and every secret mounted: TLS pair, DKIM key, relay host password.
          "full-https-mounted-lists.example.org",
              ApplianceSpec.fromUserInput(
                  SpecFile.read("../examples/lists.yaml").overriddenBy(MOUNTED)));

  @TestFactory
  Stream<DynamicTest> everyFileOfEachRoleEqualsItsGoldenFile() {
    return SPECS.entrySet().stream()
        .flatMap(
            entry -> {
              RenderedConfig rendered = new ConfigRenderer().render(entry.getValue());
              Path root = goldenRoot(entry.getKey());
              DynamicTest sameSet =
                  dynamicTest(
                      entry.getKey() + ": exactly the golden files",
                      () -> {
                        TreeSet<String> renderedPaths =
                            rendered.files().stream()
                                .map(RenderedFile::path)
                                .collect(Collectors.toCollection(TreeSet::new));
                        TreeSet<String> goldenPaths;
                        try (Stream<Path> walk = Files.walk(root)) {
                          goldenPaths =
                              walk.filter(Files::isRegularFile)
                                  .map(p -> "/" + root.relativize(p))
                                  .collect(Collectors.toCollection(TreeSet::new));
                        }
                        assertThat(renderedPaths).containsExactlyElementsOf(goldenPaths);
                      });
              return Stream.concat(
                  Stream.of(sameSet),
                  rendered.files().stream()
                      .map(
                          file ->
                              dynamicTest(
                                  entry.getKey() + ": " + file.path(),
                                  () -> {
                                    byte[] golden =
                                        Files.readAllBytes(root.resolve(file.path().substring(1)));
                                    assertThat(file.text())
                                        .isEqualTo(new String(golden, StandardCharsets.UTF_8));
                                    assertThat(file.content()).isEqualTo(golden);
                                  })));
            });
  }

  private static Path goldenRoot(String name) {
    try {
      return Path.of(OtherRolesGoldenTest.class.getResource("/golden/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
