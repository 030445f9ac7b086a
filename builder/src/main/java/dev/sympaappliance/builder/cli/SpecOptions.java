package dev.sympaappliance.builder.cli;

import dev.sympaappliance.builder.spec.ApplianceSpec;
import dev.sympaappliance.builder.spec.Flavour;
import dev.sympaappliance.builder.spec.Setting;
import dev.sympaappliance.builder.spec.Settings;
import dev.sympaappliance.builder.spec.SpecFile;
import dev.sympaappliance.builder.spec.UserInput;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that describe an appliance, shared by `image` and `render`: {@code --spec}, the
 * repeatable ones, and one option for each {@link Setting} that has a flag (added by {@link
 * #addSettingOptions}, so that a setting is declared once, in {@link Setting}).
 */
final class SpecOptions {
  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description =
          "A YAML spec file: everything these options say, plus lists with subjects, owners,"
              + " editors and subscribers. The options given beside it override the file's values.")
  String specFile;

  @Option(
      names = "--list",
      paramLabel = "NAME",
      description =
          "A list of the domain; its aliases are generated. Repeatable. A relay (--role relay)"
              + " accepts it and renders nothing from it: it asks the Sympa server which addresses"
              + " exist.")
  List<String> lists = new ArrayList<>();

  @Option(
      names = "--postconf",
      paramLabel = "NAME=VALUE",
      description =
          "Set a main.cf parameter last, over the generated value (repeatable). For tuning and"
              + " tests; the generated defaults are what Sympa's how-to prescribes.")
  List<String> postconf = new ArrayList<>();

  @Option(
      names = "--sympa-conf",
      paramLabel = "NAME=VALUE",
      description = "Set a sympa.conf parameter last, over the generated value (repeatable).")
  List<String> sympaConf = new ArrayList<>();

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * Adds to {@code command} an option for each setting that has a flag: {@code --[no-]NAME} for a
   * switch.
   */
  static void addSettingOptions(CommandSpec command) {
    for (Setting<?> setting : Settings.ALL) {
      setting
          .flag()
          .ifPresent(
              flag -> {
                OptionSpec.Builder option =
                    OptionSpec.builder(flag).type(setting.flagType()).description(setting.help());
                if (setting.kind() == Setting.Kind.SWITCH) {
                  option.arity("0").negatable(true);
                } else {
                  option.paramLabel(setting.label());
                }
                command.addOption(option.build());
              });
    }
  }

  ApplianceSpec toSpec() {
    UserInput.Builder given =
        UserInput.builder().lists(lists).postconf(postconf).sympaConf(sympaConf);
    for (Setting<?> setting : Settings.ALL) {
      setting.flag().ifPresent(flag -> give(given, setting, command.findOption(flag).getValue()));
    }
    UserInput flags = given.build();
    if (specFile == null && !flags.has(Settings.DOMAIN)) {
      throw new ParameterException(
          command.commandLine(),
          "Missing required option: '--domain=DOMAIN'" + " (or domain: in a --spec file)");
    }
    UserInput input = specFile == null ? flags : SpecFile.read(specFile).overriddenBy(flags);
    ApplianceSpec spec = ApplianceSpec.fromUserInput(input);
    if (!input.has(Settings.LISTMASTER) && spec.flavour() == Flavour.FULL) {
      command
          .commandLine()
          .getErr()
          .println(
              "listmaster: "
                  + spec.listmaster()
                  + " (the default: postmaster@ the parent domain; --listmaster or listmaster:"
                  + " in the spec file to change it)");
    }
    return spec;
  }

  private static <T> void give(UserInput.Builder input, Setting<T> setting, Object value) {
    input.set(setting, setting.fromFlag(value));
  }
}
