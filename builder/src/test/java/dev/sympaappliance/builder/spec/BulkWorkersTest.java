package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sympaappliance.builder.render.ConfigRenderer;
import dev.sympaappliance.builder.render.RenderedConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --bulk-workers} / spec {@code bulk.workers}: how many bulk.pl run side by side, each an s6
 * service of its own (bulk, bulk-2, …) with its own pid file name.
 */
class BulkWorkersTest {
  private static final String FILE =
      "domain: lists.example.org\nlistmaster: listmaster@example.org\n";
  private static final UserInput FULL = SpecFile.parse("lists.yaml", FILE);

  private static RenderedConfig render(UserInput in) {
    return new ConfigRenderer().render(ApplianceSpec.fromUserInput(in));
  }

  private static UserInput flag(String workers) {
    return UserInput.builder().set(Settings.BULK_WORKERS, workers).build();
  }

  private static List<String> bulkServices(RenderedConfig config) {
    return config.files().stream()
        .map(f -> f.path())
        .filter(p -> p.matches("/etc/sympa-appliance/services/bulk[^/]*/run"))
        .sorted()
        .toList();
  }

  @Test
  void twoByDefaultEachWithItsOwnName() {
    RenderedConfig config = render(FULL);
    assertThat(bulkServices(config))
        .containsExactly(
            "/etc/sympa-appliance/services/bulk-2/run", "/etc/sympa-appliance/services/bulk/run");
    String second = config.file("/etc/sympa-appliance/services/bulk-2/run").orElseThrow().text();
    assertThat(second)
        .contains("rm -f /run/sympa/bulk-2.pid\n")
        .contains("SYMPA_APPLIANCE_BULK_NAME=bulk-2\n")
        .contains(
            "exec /usr/local/lib/sympa-appliance/sympa-appliance-daemon bulk-2 bulk"
                + " /run/sympa-appliance-preload.socket\n");
    assertThat(config.file("/etc/sympa-appliance/services/bulk-2/log/run").orElseThrow().text())
        .contains("s/^/bulk-2.pl: /");
    assertThat(config.file("/usr/local/sbin/sympa-appliance-entrypoint").orElseThrow().text())
        .contains("  bulk) keep=\"postfix preload bulk bulk-2\" ;;")
        .contains("  core) keep=\"postfix preload sympa_msg archived bounced task_manager\" ;;");
  }

  @Test
  void theSpecFilesNumberStandsUnlessTheFlagOverridesIt() {
    UserInput file = SpecFile.parse("lists.yaml", FILE + "bulk:\n  workers: 1\n");
    assertThat(bulkServices(render(file)))
        .containsExactly("/etc/sympa-appliance/services/bulk/run");
    assertThat(ApplianceSpec.fromUserInput(file.overriddenBy(flag("3"))).bulkWorkers())
        .isEqualTo(3);
    assertThat(bulkServices(render(file.overriddenBy(flag("3"))))).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "9", "02", "two", "-1", ""})
  void aNumberOutsideOneToEightIsRefusedNamingTheFlag(String raw) {
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(FULL.overriddenBy(flag(raw))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "invalid --bulk-workers '"
                + raw
                + "': expected a number of bulk.pl processes from 1 to 8");
  }

  @Test
  void aBadNumberInTheFileIsNamedByItsPlace() {
    UserInput file = SpecFile.parse("lists.yaml", FILE + "bulk:\n  workers: 12\n");
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(file))
        .hasMessage(
            "invalid lists.yaml:4:12: bulk.workers '12': expected a number of bulk.pl processes"
                + " from 1 to 8");
  }

  @Test
  void theToolsFlavourHasNone() {
    UserInput tools =
        UserInput.appliance("lists.example.org", List.of("team")).toBuilder()
            .set(Settings.FLAVOUR, "tools")
            .set(Settings.BULK_WORKERS, "2")
            .build();
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(tools))
        .hasMessageStartingWith(
            "invalid --bulk-workers '2': only applies to --role appliance --sympa full");
  }
}
