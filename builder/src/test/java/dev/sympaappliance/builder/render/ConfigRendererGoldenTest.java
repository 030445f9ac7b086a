package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.UserInput;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file the renderer produces for a reference spec, compared byte for byte with the reviewed
 * files under src/test/resources/golden/lists.example.org/&lt;path in the image&gt;.
 *
 * <p>When a template changes on purpose, regenerate with {@code java -jar
 * builder/target/builder.jar render --domain lists.example.org --list list1 --list team.dev --out
 * builder/src/test/resources/golden/lists.example.org}, then review the diff.
 */
class ConfigRendererGoldenTest {
  private static final String GOLDEN_ROOT = "/golden/lists.example.org";

  private static final ApplianceSpec SPEC =
      ApplianceSpec.fromUserInput(
          UserInput.builder()
              .set(Settings.DOMAIN, "lists.example.org")
              .lists(List.of("list1", "team.dev"))
              .set(Settings.FLAVOUR, "tools")
              .build());

  private record Ownership(int mode, int uid, int gid) {}

  private static final Ownership ROOT_0644 = new Ownership(0644, 0, 0);

  /** Mode and owner every generated file must have in the image. */
  private static final Map<String, Ownership> EXPECTED_OWNERSHIP =
      Map.of(
          "/etc/postfix/main.cf", ROOT_0644,
          "/etc/postfix/master.cf", ROOT_0644,
          "/etc/postfix/transport_regexp", ROOT_0644,
          "/etc/postfix/relay_recipients", ROOT_0644,
          "/etc/sympa/sympa_aliases", ROOT_0644,
          "/etc/sympa/sympa/sympa.conf", new Ownership(0640, 900, 900),
          "/usr/local/sbin/sympa-appliance-entrypoint", new Ownership(0755, 0, 0));

  private final RenderedConfig rendered = new ConfigRenderer().render(SPEC);

  @TestFactory
  Stream<DynamicTest> everyRenderedFileEqualsItsGoldenFileByteForByte() {
    return rendered.files().stream()
        .map(
            file ->
                dynamicTest(
                    file.path(),
                    () -> {
                      Path golden = goldenRoot().resolve(file.path().substring(1));
                      assertThat(golden).as("golden file for %s", file.path()).isRegularFile();
                      byte[] goldenBytes = Files.readAllBytes(golden);
                      // Text first, so that a difference shows as a readable diff ...
                      assertThat(file.text())
                          .as(file.path())
                          .isEqualTo(new String(goldenBytes, StandardCharsets.UTF_8));
                      // ... then bytes, so that nothing the decoding hides (encoding, BOM) slips
                      // through.
                      assertThat(file.content()).as(file.path()).isEqualTo(goldenBytes);
                    }));
  }

  @Test
  void renderedPathsAreExactlyTheGoldenFiles() throws IOException {
    Set<String> renderedPaths =
        rendered.files().stream()
            .map(RenderedFile::path)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> goldenPaths;
    Path root = goldenRoot();
    try (Stream<Path> walk = Files.walk(root)) {
      goldenPaths =
          walk.filter(Files::isRegularFile)
              .map(p -> "/" + root.relativize(p).toString().replace('\\', '/'))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(renderedPaths).containsExactlyElementsOf(goldenPaths);
  }

  @Test
  void everyRenderedFileHasItsImageModeAndOwner() {
    assertThat(rendered.files())
        .extracting(RenderedFile::path)
        .containsExactlyInAnyOrderElementsOf(EXPECTED_OWNERSHIP.keySet());
    for (RenderedFile file : rendered.files()) {
      Ownership expected = EXPECTED_OWNERSHIP.get(file.path());
      assertThat(new Ownership(file.mode(), file.uid(), file.gid()))
          .as("mode/uid/gid of %s", file.path())
          .isEqualTo(expected);
    }
  }

  @Test
  void sympaConfIsReadableOnlyByUserAndGroupSympa() {
    RenderedFile sympaConf = rendered.file(ImagePaths.SYMPA_CONF).orElseThrow();
    assertThat(sympaConf.octalMode()).isEqualTo("640");
    assertThat(sympaConf.uid()).isEqualTo(ImagePaths.SYMPA_UID);
    assertThat(sympaConf.gid()).isEqualTo(ImagePaths.SYMPA_GID);
  }

  @Test
  void renderingIsDeterministic() {
    assertThat(new ConfigRenderer().render(SPEC)).isEqualTo(rendered);
  }

  @Test
  void writeToMirrorsImagePathsWithTheirModes(@TempDir Path dir) throws IOException {
    Map<String, String> expectedPermissions =
        Map.of(
            "/etc/postfix/main.cf", "rw-r--r--",
            "/etc/postfix/master.cf", "rw-r--r--",
            "/etc/postfix/transport_regexp", "rw-r--r--",
            "/etc/postfix/relay_recipients", "rw-r--r--",
            "/etc/sympa/sympa_aliases", "rw-r--r--",
            "/etc/sympa/sympa/sympa.conf", "rw-r-----",
            "/usr/local/sbin/sympa-appliance-entrypoint", "rwxr-xr-x");

    List<Path> written = rendered.writeTo(dir);

    assertThat(written).hasSameSizeAs(rendered.files());
    for (RenderedFile file : rendered.files()) {
      Path target = dir.resolve(file.path().substring(1));
      assertThat(written).contains(target);
      assertThat(Files.readAllBytes(target)).as(file.path()).isEqualTo(file.content());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
          .as("permissions of %s", target)
          .isEqualTo(expectedPermissions.get(file.path()));
    }
  }

  private static Path goldenRoot() {
    URL url = ConfigRendererGoldenTest.class.getResource(GOLDEN_ROOT);
    assertThat(url).as("classpath resource %s", GOLDEN_ROOT).isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
