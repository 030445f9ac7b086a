package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sympaappliance.builder.render.ConfigRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --web-workers} / spec {@code web.workers}: how many WWSympa processes multiwatch keeps.
 */
class WebWorkersTest {
  private static final String FILE =
      "domain: lists.example.org\nlistmaster: listmaster@example.org\n";
  private static final UserInput FULL = SpecFile.parse("lists.yaml", FILE);

  private static String wwsympaRun(UserInput in) {
    return new ConfigRenderer()
        .render(ApplianceSpec.fromUserInput(in))
        .file("/etc/sympa-appliance/services/wwsympa/run")
        .orElseThrow()
        .text();
  }

  private static UserInput flag(String workers) {
    return UserInput.builder().set(Settings.WEB_WORKERS, workers).build();
  }

  @Test
  void twoProcessesByDefaultAndTheGivenNumberOtherwise() {
    assertThat(wwsympaRun(FULL)).contains("/usr/bin/multiwatch -f 2 -- ");
    assertThat(wwsympaRun(FULL.overriddenBy(flag("6")))).contains("/usr/bin/multiwatch -f 6 -- ");
  }

  @Test
  void theSpecFilesNumberStandsUnlessTheFlagOverridesIt() {
    UserInput file = SpecFile.parse("lists.yaml", FILE + "web:\n  workers: 4\n");

    assertThat(ApplianceSpec.fromUserInput(file).web().orElseThrow().workers()).isEqualTo(4);
    assertThat(
            ApplianceSpec.fromUserInput(file.overriddenBy(flag("8"))).web().orElseThrow().workers())
        .isEqualTo(8);
    assertThatThrownBy(() -> SpecFile.parse("lists.yaml", FILE + "web:\n  workers: \"4\"\n"))
        .hasMessage(
            "invalid lists.yaml:4:12: web.workers '4': expected a whole number, found a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "17", "04", "two", "-1", "1e1", ""})
  void aNumberOutsideOneToSixteenIsRefusedNamingTheFlag(String raw) {
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(FULL.overriddenBy(flag(raw))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "invalid --web-workers '"
                + raw
                + "': expected a number of WWSympa processes from 1 to 16");
  }

  @Test
  void processesWithoutAWebInterfaceAreRefused() {
    UserInput noWeb =
        UserInput.builder().set(Settings.WEB, false).set(Settings.WEB_WORKERS, "4").build();
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(FULL.overriddenBy(noWeb)))
        .hasMessage(
            "invalid --web-workers '4': the web interface is turned off (--no-web); give a number of processes"
                + " only to a web interface that is served");
    UserInput tools =
        UserInput.appliance("lists.example.org", List.of("team")).toBuilder()
            .set(Settings.FLAVOUR, "tools")
            .set(Settings.WEB_WORKERS, "4")
            .build();
    assertThatThrownBy(() -> ApplianceSpec.fromUserInput(tools))
        .hasMessageStartingWith(
            "invalid --web-workers '4': only applies to --role appliance --sympa full");
  }
}
