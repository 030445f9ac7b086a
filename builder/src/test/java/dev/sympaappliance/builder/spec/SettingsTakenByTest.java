package dev.sympaappliance.builder.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sympaappliance.builder.spec.Setting.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The images that take each setting come from its declaration in {@link Settings}: given to an
 * image that does not take it, a setting is refused with the rule its declaration names, before its
 * value is judged; a switch turned off is no error anywhere.
 */
class SettingsTakenByTest {

  /** The least an image of {@code target} needs: its domain, role, flavour, relay's server. */
  private static UserInput.Builder imageOf(Target target) {
    UserInput.Builder in = UserInput.builder().set(Settings.DOMAIN, "lists.example.org");
    return switch (target) {
      case FULL -> in.set(Settings.LISTMASTER, "admin@example.org");
      case TOOLS -> in.set(Settings.FLAVOUR, "tools");
      case RELAY -> in.set(Settings.ROLE, "relay").set(Settings.SYMPA_SERVER, "sympa");
      case SINK -> in.set(Settings.ROLE, "sink");
    };
  }

  @Test
  void eachImageRefusesEverySettingItDoesNotTakeWithItsDeclaredRule() {
    List<String> refused = new ArrayList<>();
    for (Target target : Target.values()) {
      for (Setting<?> setting : Settings.ALL) {
        if (setting.isTakenBy(target) || setting.flag().isEmpty()) {
          continue;
        }
        UserInput.Builder in = imageOf(target);
        in.setRaw(setting, setting.kind() == Setting.Kind.SWITCH ? Boolean.TRUE : "not judged");
        assertThatThrownBy(() -> ApplianceSpec.fromUserInput(in.build()))
            .as("%s given to %s", setting, target)
            .isInstanceOf(InvalidSpecException.class)
            .hasMessageStartingWith("invalid " + setting.flag().get() + " ")
            .hasMessageEndingWith(": " + setting.refusal());
        refused.add(target + " " + setting);
      }
    }
    assertThat(refused)
        .contains(
            "SINK tls.outbound",
            "SINK relayhost",
            "RELAY sympa",
            "TOOLS web.url",
            "RELAY dkim.selector",
            "TOOLS database.type",
            "FULL sympa_server");
  }

  @Test
  void aSwitchTurnedOffIsNoErrorOnAnImageWithoutIt() {
    for (Target target : List.of(Target.TOOLS, Target.RELAY, Target.SINK)) {
      UserInput in =
          imageOf(target)
              .set(Settings.WEB, false)
              .set(Settings.DKIM, false)
              .set(Settings.ONE_CLICK_UNSUBSCRIBE, false)
              .build();
      assertThatCode(() -> ApplianceSpec.fromUserInput(in))
          .as("%s", target)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void aSettingEveryImageTakesHasNoRefusal() {
    for (Setting<?> setting : Settings.ALL) {
      boolean every = List.of(Target.values()).stream().allMatch(setting::isTakenBy);
      assertThat(setting.refusal() == null).as("%s", setting).isEqualTo(every);
    }
  }
}
