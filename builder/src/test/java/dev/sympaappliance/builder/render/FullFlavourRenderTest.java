package dev.sympaappliance.builder.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.SpecFile;
import java.io.ByteArrayInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** What the full flavour's files say, beyond the golden files: values as Sympa will read them. */
class FullFlavourRenderTest {
  private static final String SPEC =
      String.join(
          "\n",
          "domain: lists.example.org",
          "listmaster: listmaster@example.org",
          "sympa_conf:",
          "  sleep: \"2\"",
          "  dmarc_protection.mode: dmarc_reject",
          "lists:",
          "  - name: team",
          "    subject: \"R&D <news> \\\"weekly\\\" -- ünïcode\"",
          "    owners: [alice@example.org]",
          "    editors: [bob@example.org, dan@example.net]",
          "    subscribers:",
          "      - address: carol@example.net",
          "        name: Carol <C> & Co",
          "");

  private final RenderedConfig rendered =
      new ConfigRenderer().render(ApplianceSpec.fromUserInput(SpecFile.parse("lists.yaml", SPEC)));

  @Test
  void theListDefinitionIsWellFormedXmlThatCarriesTheSubjectAndTheModeratorsVerbatim()
      throws Exception {
    Document xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(file("/etc/sympa-appliance/lists/team.xml").content()));

    assertThat(xml.getElementsByTagName("subject").item(0).getTextContent())
        .isEqualTo("R&D <news> \"weekly\" -- ünïcode");
    assertThat(xml.getElementsByTagName("editor").getLength()).isEqualTo(2);
    assertThat(xml.getElementsByTagName("editor").item(1).getTextContent())
        .isEqualTo("dan@example.net");
    assertThat(xml.getElementsByTagName("owner").item(0).getTextContent())
        .isEqualTo("alice@example.org");
  }

  @Test
  void subscribersAreOneCsvLineEachWithTheirNameQuoted() {
    assertThat(file("/etc/sympa-appliance/lists/team.subscribers").text())
        .isEqualTo("carol@example.net,\"Carol <C> & Co\"\n");
  }

  @Test
  void aSympaConfOverrideReplacesTheGeneratedLineAndComesLast() {
    String conf = file(ImagePaths.SYMPA_CONF).text();

    assertThat(conf.lines().filter(line -> line.startsWith("sleep\t"))).containsExactly("sleep\t2");
    assertThat(conf.strip()).endsWith("sleep\t2\ndmarc_protection.mode\tdmarc_reject");
    assertThat(conf).contains("listmaster\tlistmaster@example.org\n");
    assertThat(conf.lines())
        .contains("wwsympa_url\thttp://lists.example.org/sympa")
        .noneMatch(line -> line.startsWith("cookie"));
  }

  @Test
  void behindAProxyWWSympaIsToldItsPublicAddressWhateverTheRequestSays() {
    RenderedConfig proxied =
        new ConfigRenderer()
            .render(
                ApplianceSpec.fromUserInput(
                    SpecFile.parse(
                        "lists.yaml",
                        SPEC.replace(
                            "sympa_conf:",
                            "web:\n  url: https://www.example.org:8443/lists/sympa\nsympa_conf:"))));
    String fastcgi = proxied.file("/etc/nginx/sympa-fastcgi.conf").orElseThrow().text();
    assertThat(fastcgi.lines())
        .contains(
            "fastcgi_param SERVER_NAME www.example.org;",
            "fastcgi_param HTTP_HOST www.example.org:8443;",
            "fastcgi_param SERVER_PORT 8443;",
            "fastcgi_param HTTPS on;",
            "fastcgi_split_path_info ^(/lists/sympa)(.*)$;");
    assertThat(proxied.file("/etc/nginx/nginx.conf").orElseThrow().text().lines())
        .contains(
            "    location = /lists/sympa {",
            "    location /lists/sympa/ {",
            "      return 302 https://www.example.org:8443/lists/sympa;");
    assertThat(proxied.file(ImagePaths.SYMPA_CONF).orElseThrow().text().lines())
        .contains("wwsympa_url\thttps://www.example.org:8443/lists/sympa");
    assertThat(proxied.ports()).containsExactly(25, 80);
  }

  @Test
  void withoutTheWebInterfaceNoWebServerIsConfiguredAndOnlyPort25IsDeclared() {
    RenderedConfig noWeb =
        new ConfigRenderer()
            .render(
                ApplianceSpec.fromUserInput(
                    SpecFile.parse(
                        "lists.yaml",
                        SPEC.replace("sympa_conf:", "web:\n  enabled: false\nsympa_conf:"))));
    assertThat(noWeb.files())
        .extracting(RenderedFile::path)
        .noneMatch(
            path ->
                path.startsWith("/etc/nginx")
                    || path.contains("/wwsympa/")
                    || path.contains("/syslog/"));
    assertThat(noWeb.file(ImagePaths.SYMPA_CONF).orElseThrow().text().lines())
        .noneMatch(line -> line.startsWith("wwsympa_url"));
    assertThat(noWeb.ports()).containsExactly(25);
    assertThat(rendered.file("/etc/sympa-appliance/services/wwsympa/run")).isPresent();
  }

  @Test
  void theListAddressTemplateGivesSympaOnlyAddressesForPostfixToAccept() {
    assertThat(
            file("/etc/sympa/list_aliases.tt2")
                .text()
                .lines()
                .filter(line -> !line.startsWith(" ") && !line.startsWith("[%#")))
        .allSatisfy(line -> assertThat(line).endsWith("@[% list.domain %]\tOK"))
        .anySatisfy(
            line -> assertThat(line).startsWith("[% list.name %][% return_path_suffix %]@"));
  }

  private RenderedFile file(String path) {
    return rendered.file(path).orElseThrow(() -> new AssertionError("not rendered: " + path));
  }
}
