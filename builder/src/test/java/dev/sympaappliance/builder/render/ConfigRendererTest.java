package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Platform;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.builder.spec.UserInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The properties of the rendered configuration that matter for mail delivery, checked one by one so
 * that a failure says which property broke (the golden test says only that bytes differ).
 */
class ConfigRendererTest {
  private static final ConfigRenderer RENDERER = new ConfigRenderer();

  private static String render(ApplianceSpec spec, String path) {
    return RENDERER
        .render(spec)
        .file(path)
        .orElseThrow(() -> new AssertionError("no " + path))
        .text();
  }

  private static final ApplianceSpec REFERENCE =
      ApplianceSpec.fromUserInput(
          UserInput.builder()
              .set(Settings.DOMAIN, "lists.example.org")
              .lists(List.of("list1", "team.dev"))
              .set(Settings.FLAVOUR, "tools")
              .build());

  /** main.cf parameters; this generator writes no continuation lines. */
  private static Map<String, String> mainCf(ApplianceSpec spec) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String line : render(spec, "/etc/postfix/main.cf").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      assertThat(line)
          .as("main.cf line")
          .contains(" = ")
          .doesNotStartWith(" ")
          .doesNotStartWith("\t");
      String[] kv = line.split(" = ", 2);
      assertThat(parameters.put(kv[0], kv[1])).as("%s set twice", kv[0]).isNull();
    }
    return parameters;
  }

  /**
   * The platforms an image is built for change its base, never its configuration: the example spec
   * renders the same files, byte for byte, with the same modes and owners, on each.
   */
  @Test
  void theRenderedConfigurationIsTheSameOnEveryPlatform() {
    UserInput example = SpecFile.read(Path.of("..", "examples", "lists.yaml").toString());
    List<RenderedConfig> rendered = new ArrayList<>();
    for (List<String> platforms :
        List.of(
            List.of("linux/amd64"),
            List.of("linux/arm64"),
            List.of("linux/arm64", "linux/amd64"))) {
      ApplianceSpec spec =
          ApplianceSpec.fromUserInput(
              example.overriddenBy(UserInput.builder().set(Settings.PLATFORMS, platforms).build()));
      assertThat(spec.platforms()).extracting(Platform::id).containsExactlyElementsOf(platforms);
      rendered.add(RENDERER.render(spec));
    }
    RenderedConfig amd64 = rendered.get(0);
    assertThat(amd64.files()).hasSizeGreaterThan(10);
    for (RenderedConfig other : rendered.subList(1, rendered.size())) {
      assertThat(other.files()).containsExactlyElementsOf(amd64.files());
      assertThat(other).isEqualTo(amd64);
    }
  }

  @Test
  void mainCfRelaysTheListDomainThroughTransportRegexp() {
    Map<String, String> main = mainCf(REFERENCE);
    assertThat(main)
        .containsEntry("relay_domains", "lists.example.org")
        .containsEntry("transport_maps", "regexp:/etc/postfix/transport_regexp")
        .containsEntry("recipient_delimiter", "+")
        .containsEntry("myhostname", "mx.lists.example.org");
    assertThat(Arrays.asList(main.get("mydestination").split(",\\s*")))
        .as("the list domain must not be local as well as relayed")
        .doesNotContain("lists.example.org");
  }

  @Test
  void mainCfHandsSympaOneRecipientPerDelivery() {
    assertThat(mainCf(REFERENCE))
        .containsEntry("sympa_destination_recipient_limit", "1")
        .containsEntry("sympabounce_destination_recipient_limit", "1");
  }

  @Test
  void mainCfDoesNotRelaySubdomainsOfTheListDomain() {
    String parentMatching = mainCf(REFERENCE).get("parent_domain_matches_subdomains");
    assertThat(parentMatching)
        .as("parent_domain_matches_subdomains (Postfix's default includes relay_domains)")
        .isNotNull();
    assertThat(Arrays.asList(parentMatching.split("[,\\s]+"))).doesNotContain("relay_domains");
  }

  @Test
  void mainCfCompilesSympaAliasesWithTheSystemAliases() {
    assertThat(mainCf(REFERENCE))
        .containsEntry("alias_maps", "hash:/etc/aliases, hash:/etc/sympa/sympa_aliases")
        .containsEntry("alias_database", "hash:/etc/aliases, hash:/etc/sympa/sympa_aliases");
  }

  @Test
  void masterCfDefinesBothSympaPipesWithReturnPathAndOneRecipientBehindTheSpoolGuard() {
    String master = render(REFERENCE, "/etc/postfix/master.cf");
    assertThat(master)
        .containsPattern(
            "\nsympa +unix +- +n +n +- +[-0-9]+ +pipe\n"
                + "  flags=R user=sympa argv=/usr/local/lib/sympa-appliance/spool-guard"
                + " /etc/sympa/sympa/sympa.conf 1024"
                + " /usr/lib/sympa/bin/queue /var/spool/sympa/msg \\$\\{size\\} \\$\\{recipient\\}\n")
        .containsPattern(
            "\nsympabounce +unix +- +n +n +- +[-0-9]+ +pipe\n"
                + "  flags=R user=sympa argv=/usr/local/lib/sympa-appliance/spool-guard"
                + " /etc/sympa/sympa/sympa.conf 1024"
                + " /usr/lib/sympa/bin/bouncequeue /var/spool/sympa/bounce \\$\\{size\\} \\$\\{recipient\\}\n");
  }

  @Test
  void masterCfRunsNoServiceChrooted() {
    for (String line : render(REFERENCE, "/etc/postfix/master.cf").split("\n")) {
      if (line.isBlank() || line.startsWith("#") || Character.isWhitespace(line.charAt(0))) {
        continue;
      }
      String[] fields = line.trim().split("\\s+");
      assertThat(fields).as(line).hasSizeGreaterThanOrEqualTo(8);
      assertThat(fields[4]).as("chroot column of %s", line).isEqualTo("n");
    }
  }

  @Test
  void sympaAliasesGiveEachListItsAddressesAndCommentOutSubscribe() {
    String aliases = render(REFERENCE, "/etc/sympa/sympa_aliases");
    assertThat(aliases)
        .contains(
            "\nteam.dev:\t\"| /usr/lib/sympa/bin/queue team.dev@lists.example.org\"\n"
                + "team.dev-request:\t\"| /usr/lib/sympa/bin/queue team.dev-request@lists.example.org\"\n"
                + "team.dev-editor:\t\"| /usr/lib/sympa/bin/queue team.dev-editor@lists.example.org\"\n"
                + "#team.dev-subscribe:\t\"| /usr/lib/sympa/bin/queue team.dev-subscribe@lists.example.org\"\n"
                + "team.dev-unsubscribe:\t\"| /usr/lib/sympa/bin/queue team.dev-unsubscribe@lists.example.org\"\n"
                + "team.dev-owner:\t\"| /usr/lib/sympa/bin/bouncequeue team.dev@lists.example.org\"\n");
  }

  @Test
  void sympaConfNamesTheSpoolsTheEntrypointChecks() {
    String conf = render(REFERENCE, ImagePaths.SYMPA_CONF);
    String entrypoint = render(REFERENCE, ImagePaths.ENTRYPOINT);
    assertThat(conf)
        .contains(
            "\nqueue\t" + ImagePaths.MSG_SPOOL + "\n",
            "\nqueuebounce\t" + ImagePaths.BOUNCE_SPOOL + "\n");
    assertThat(entrypoint)
        .contains(
            "for spool in " + ImagePaths.MSG_SPOOL + " " + ImagePaths.BOUNCE_SPOOL + "; do\n",
            "as_sympa test -r " + ImagePaths.SYMPA_CONF + " ");
  }

  @Test
  void entrypointIsAPosixShellScriptThatEndsByExecingPostfix() {
    String entrypoint = render(REFERENCE, ImagePaths.ENTRYPOINT);
    assertThat(entrypoint)
        .startsWith("#!/bin/sh\n")
        .contains("\nset -eu\n")
        .endsWith("\nexec postfix start-fg\n");
  }

  @Test
  void otherSpecValuesReachTheirFiles() {
    ApplianceSpec spec =
        ApplianceSpec.fromUserInput(
            UserInput.builder()
                .set(Settings.DOMAIN, "my-lists.example.net")
                .set(Settings.HOSTNAME, "Smtp.Example.NET")
                .set(Settings.LISTMASTER, "Admin+Sympa@Example.net")
                .set(Settings.FLAVOUR, "tools")
                .build());

    assertThat(mainCf(spec))
        .containsEntry("myhostname", "smtp.example.net")
        .containsEntry("relay_domains", "my-lists.example.net");
    assertThat(render(spec, "/etc/postfix/transport_regexp"))
        .contains("/^.+@my-lists\\.example\\.net$/\tsympa:\n")
        .doesNotContain("lists.example.org");
    assertThat(render(spec, ImagePaths.SYMPA_CONF))
        .contains("\ndomain\tmy-lists.example.net\n", "\nlistmaster\tadmin+sympa@example.net\n");
    assertThat(render(spec, ImagePaths.ENTRYPOINT))
        .contains("configuration of smtp.example.net checked");
  }

  @Test
  void noListsMeansOnlySympasOwnAliases() {
    String withoutLists =
        render(
            ApplianceSpec.fromUserInput(
                UserInput.builder()
                    .set(Settings.DOMAIN, "lists.example.org")
                    .set(Settings.FLAVOUR, "tools")
                    .build()),
            "/etc/sympa/sympa_aliases");
    String withLists = render(REFERENCE, "/etc/sympa/sympa_aliases");

    assertThat(withoutLists).doesNotContain("# List", "-request", "-owner");
    assertThat(withLists).startsWith(withoutLists + "\n# List list1\n");
  }

  @Test
  void everyFileEndsWithANewlineAndHasNoCarriageReturn() {
    for (RenderedFile file : RENDERER.render(REFERENCE).files()) {
      assertThat(file.text()).as(file.path()).endsWith("\n").doesNotContain("\r");
    }
  }
}
