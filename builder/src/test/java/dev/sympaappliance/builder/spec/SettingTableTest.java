package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.cli.BuilderCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The settings are declared once, in {@link Setting}: the command line's options come from it, and
 * the README's tables (the options, the spec file's keys, the {@code deployment:} keys) must name
 * exactly its settings, so that adding one without documenting it fails here.
 */
class SettingTableTest {
  private static final Path README = Path.of("../README.md");

  /**
   * Options of the commands that are not settings of a spec: where the spec comes from, and what to
   * do with it.
   */
  private static final Set<String> COMMAND_OPTIONS =
      Set.of(
          "--spec",
          "--list",
          "--postconf",
          "--sympa-conf",
          "--tag",
          "--output",
          "--tar",
          "--cache-dir",
          "--front-relay",
          "--format",
          "--out");

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  @Test
  void everySettingWithAFlagIsAnOptionOfImageAndRenderWithItsHelp() {
    CommandLine cli = BuilderCli.commandLine();
    for (String command : List.of("image", "render")) {
      var spec = cli.getSubcommands().get(command).getCommandSpec();
      for (Setting<?> setting : Settings.ALL) {
        setting
            .flag()
            .ifPresent(
                flag -> {
                  OptionSpec option = spec.findOption(flag);
                  assertThat(option).as(command + " " + flag).isNotNull();
                  assertThat(option.description()).containsExactly(setting.help());
                  assertThat(option.negatable()).isEqualTo(setting.kind() == Setting.Kind.SWITCH);
                });
      }
    }
  }

  @Test
  void theReadmesOptionTableNamesEverySettingsFlagAndNothingElse() throws IOException {
    List<String> rows = tableRows("| option | meaning | default |");
    Set<String> documented = new LinkedHashSet<>();
    for (String row : rows) {
      for (String name : codeIn(firstCell(row))) {
        documented.add(name.startsWith("--no-") ? "--" + name.substring("--no-".length()) : name);
      }
    }
    Set<String> expected = new LinkedHashSet<>();
    Settings.ALL.forEach(s -> s.flag().ifPresent(expected::add));
    Set<String> settingsDocumented = new LinkedHashSet<>(documented);
    settingsDocumented.removeAll(COMMAND_OPTIONS);
    assertThat(settingsDocumented)
        .as("the README's option table, less the command options")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * A setting's default, where it is one value, is declared with it: the README's default column
   * and the option's help say that value.
   */
  @Test
  void theReadmeAndTheHelpGiveEachSettingsDeclaredDefault() throws IOException {
    List<String> rows = tableRows("| option | meaning | default |");
    int checked = 0;
    for (Setting<?> setting : Settings.ALL) {
      if (setting.flag().isEmpty() || setting.byDefault().isEmpty()) {
        continue;
      }
      String flag = setting.flag().get();
      Object value = setting.byDefault().get();
      String row =
          rows.stream().filter(r -> codeIn(firstCell(r)).contains(flag)).findFirst().orElseThrow();
      String defaultCell = row.substring(row.lastIndexOf('|', row.length() - 2));
      if (setting.kind() == Setting.Kind.SWITCH) {
        String shown = Boolean.TRUE.equals(value) ? flag : "--no-" + flag.substring(2);
        assertThat(codeIn(defaultCell)).as("the README's default of " + flag).contains(shown);
        assertThat(setting.help())
            .as("the help of " + flag)
            .contains(Boolean.TRUE.equals(value) ? "on by default" : "off by default");
      } else {
        assertThat(codeIn(defaultCell))
            .as("the README's default of " + flag)
            .contains(value.toString());
        assertThat(setting.help()).as("the help of " + flag).contains(value.toString());
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  @Test
  void theReadmesSpecFileTableNamesEveryTopLevelKeyAndEachMappingsKeys() throws IOException {
    List<String> rows = tableRows("| key | meaning, default |");
    Set<String> documented = new LinkedHashSet<>();
    for (String row : rows) {
      documented.addAll(codeIn(firstCell(row)));
    }
    List<String> expected = new ArrayList<>(Settings.topLevelKeys());
    expected.remove("deployment"); // its own table, below
    expected.addAll(List.of("postconf", "sympa_conf", "lists", "domains"));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(expected);
    for (String row : rows) {
      String section = codeIn(firstCell(row)).get(0);
      List<Setting<?>> keys = Settings.inSection(section);
      if (!keys.isEmpty()) {
        assertThat(codeIn(row.substring(row.indexOf('|', 1))))
            .as("the keys of " + section)
            .containsAll(keys.stream().map(Setting::name).toList());
      }
    }
  }

  /** The table of an entry of domains: names every per-domain setting, and lists. */
  @Test
  void theReadmesDomainsTableNamesEveryPerDomainKey() throws IOException {
    List<String> rows = tableRows("| key of an entry of `domains` | meaning, default |");
    Set<String> documented = new LinkedHashSet<>();
    for (String row : rows) {
      documented.addAll(codeIn(firstCell(row)));
    }
    List<String> expected = new ArrayList<>();
    for (Setting<?> setting : Settings.perDomain()) {
      String key = setting.section().orElse(setting.key());
      if (!expected.contains(key)) {
        expected.add(key);
      }
    }
    expected.add("lists");
    assertThat(documented).containsExactlyInAnyOrderElementsOf(expected);
    for (String row : rows) {
      String section = codeIn(firstCell(row)).get(0);
      List<String> keys =
          Settings.perDomain().stream()
              .filter(s -> s.section().filter(section::equals).isPresent())
              .map(Setting::name)
              .toList();
      assertThat(codeIn(row.substring(row.indexOf('|', 1))))
          .as("the keys of " + section + " in an entry of domains")
          .containsAll(keys);
    }
  }

  @Test
  void theReadmesDeploymentTableNamesEveryDeploymentKey() throws IOException {
    Set<String> documented = new LinkedHashSet<>();
    for (String row : tableRows("| `deployment:` key | meaning | default |")) {
      documented.addAll(codeIn(firstCell(row)));
    }
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            Settings.inSection("deployment").stream().map(Setting::name).toList());
  }

  /** The rows of the README's table whose header line is {@code header}. */
  private static List<String> tableRows(String header) throws IOException {
    List<String> lines = Files.readAllLines(README);
    int at = lines.indexOf(header);
    assertThat(at).as("the README's table " + header).isNotNegative();
    List<String> rows = new ArrayList<>();
    for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      rows.add(lines.get(i));
    }
    return rows;
  }

  private static String firstCell(String row) {
    return row.substring(1, row.indexOf('|', 1));
  }

  private static List<String> codeIn(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = CODE.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
