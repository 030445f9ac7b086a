package dev.sympaappliance.builder.spec;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One setting of a spec with a single value: its key in a spec file (a path such as {@code
 * dkim.selector}), its flag (null for a setting only a spec file gives), the kind of value it
 * takes, its help, its default (when it is one value, not worked out from others) and the images
 * that take it. Each is declared once, in {@link Settings}. The rule of each value is its value
 * type's (see {@link ApplianceSpec#fromUserInput}).
 *
 * @param <T> {@link String} for text and whole numbers (as their text), {@link Boolean} for
 *     switches, a {@link List} of {@link String} for a list
 */
public final class Setting<T> {
  /** What a value is, in a spec file and on the command line. */
  public enum Kind {
    /** A YAML string; {@code --flag=VALUE}. */
    TEXT,
    /** A YAML whole number; {@code --flag=N}. Held as its text, for the grammar to judge. */
    NUMBER,
    /** YAML {@code true} or {@code false}; {@code --flag} and {@code --no-flag}. */
    SWITCH,
    /**
     * A YAML sequence of strings; {@code --flag=A,B}, its entries comma-separated. Held as the
     * entries' text, in order, for the grammar to judge.
     */
    LIST
  }

  /** What an image is, as far as its settings go: each setting is taken by some of these. */
  public enum Target {
    /** {@code --role appliance --sympa full}. */
    FULL,
    /** {@code --role appliance --sympa tools}. */
    TOOLS,
    RELAY,
    SINK;

    public static Target of(Role role, Flavour flavour) {
      return switch (role) {
        case APPLIANCE -> flavour == Flavour.FULL ? FULL : TOOLS;
        case RELAY -> RELAY;
        case SINK -> SINK;
      };
    }
  }

  /** The images that take a setting, and the rule an error gives when another image is given it. */
  record TakenBy(Set<Target> targets, String refusal) {
    static final TakenBy EVERY = new TakenBy(EnumSet.allOf(Target.class), null);

    static TakenBy only(String refusal, Target... targets) {
      return new TakenBy(EnumSet.copyOf(List.of(targets)), refusal);
    }
  }

  private final String key;
  private final String flag;
  private final Kind kind;
  private final Class<T> type;
  private final String label;
  private final String help;
  private final T byDefault;
  private final TakenBy takenBy;
  private final PerDomain perDomain;

  /** Whether an entry of a spec's {@code domains:} may set it, and what it has when it does not. */
  public enum PerDomain {
    /** Only the top level sets it: one value for the whole appliance. */
    NO,
    /** Each domain its own; one the entry does not give is worked out for that domain. */
    OWN,
    /** Each domain may set its own; one the entry does not give is the top level's. */
    INHERITED
  }

  private Setting(
      String key,
      String flag,
      Kind kind,
      Class<T> type,
      String label,
      String help,
      T byDefault,
      TakenBy takenBy,
      PerDomain perDomain) {
    this.key = key;
    this.flag = flag;
    this.kind = kind;
    this.type = type;
    this.label = label;
    this.help = help;
    this.byDefault = byDefault;
    this.takenBy = takenBy;
    this.perDomain = perDomain;
  }

  static Setting<String> text(String key, String flag, String label, String help) {
    return new Setting<>(
        key, flag, Kind.TEXT, String.class, label, help, null, TakenBy.EVERY, PerDomain.NO);
  }

  static Setting<String> number(String key, String flag, String label, String help) {
    return new Setting<>(
        key, flag, Kind.NUMBER, String.class, label, help, null, TakenBy.EVERY, PerDomain.NO);
  }

  static Setting<Boolean> onOff(String key, String flag, String help) {
    return new Setting<>(
        key, flag, Kind.SWITCH, Boolean.class, null, help, null, TakenBy.EVERY, PerDomain.NO);
  }

  @SuppressWarnings("unchecked") // List's class stands for every List<String>
  private static final Class<List<String>> STRINGS = (Class<List<String>>) (Class<?>) List.class;

  static Setting<List<String>> list(String key, String flag, String label, String help) {
    return new Setting<>(
        key, flag, Kind.LIST, STRINGS, label, help, null, TakenBy.EVERY, PerDomain.NO);
  }

  /** This setting with its default: the raw value (as a user would give it) when none is given. */
  Setting<T> byDefault(T value) {
    return new Setting<>(key, flag, kind, type, label, help, value, takenBy, perDomain);
  }

  /** This setting, taken only by the images {@code takenBy} names. */
  Setting<T> takenBy(TakenBy images) {
    return new Setting<>(key, flag, kind, type, label, help, byDefault, images, perDomain);
  }

  /**
   * This setting, which each entry of a spec's {@code domains:} may set for its list domain (the
   * top-level value is the first domain's).
   */
  Setting<T> perDomain(PerDomain how) {
    return new Setting<>(key, flag, kind, type, label, help, byDefault, takenBy, how);
  }

  /** Whether each entry of a spec's {@code domains:} may set it for its own domain. */
  public boolean isPerDomain() {
    return perDomain != PerDomain.NO;
  }

  /** Whether an entry of {@code domains:} that does not set it has the top level's value. */
  public boolean isInherited() {
    return perDomain == PerDomain.INHERITED;
  }

  /**
   * Its default, as a user would give it; empty when there is none or it is worked out from other
   * settings (the host name from the domain, say).
   */
  public Optional<T> byDefault() {
    return Optional.ofNullable(byDefault);
  }

  /** Whether an image of {@code target} takes it. */
  public boolean isTakenBy(Target target) {
    return takenBy.targets().contains(target);
  }

  /** The rule an error names when an image that does not take it is given it. */
  String refusal() {
    return takenBy.refusal();
  }

  /** Its key in a spec file: a top-level key, or {@code SECTION.KEY} for a key of a mapping. */
  public String key() {
    return key;
  }

  /** Its flag ({@code --domain}); empty for a setting only a spec file gives. */
  public Optional<String> flag() {
    return Optional.ofNullable(flag);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The Java type of its value: {@link Boolean} for a switch, {@link List} (of {@link String}) for
   * a list, else {@link String}.
   */
  public Class<T> type() {
    return type;
  }

  /**
   * The Java type of its flag's value: {@link String} for a list (comma-separated), else {@link
   * #type()}.
   */
  public Class<?> flagType() {
    return kind == Kind.LIST ? String.class : type;
  }

  /**
   * Its value as its flag gave it ({@link #flagType()}; null when not given): a list's entries are
   * the text between commas, none for an empty flag ({@code --flag=}), each verbatim.
   */
  public T fromFlag(Object given) {
    if (kind == Kind.LIST && given != null) {
      String raw = (String) given;
      return type.cast(raw.isEmpty() ? List.of() : List.of(raw.split(",", -1)));
    }
    return type.cast(given);
  }

  /** What the flag's value looks like in the help ({@code HOST[:PORT]}); null for a switch. */
  public String label() {
    return label;
  }

  /** The flag's help text; null for a setting only a spec file gives. */
  public String help() {
    return help;
  }

  /** The mapping of a spec file that holds it ({@code dkim}); empty for a top-level key. */
  public Optional<String> section() {
    int dot = key.indexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(key.substring(0, dot));
  }

  /** Its key inside its section ({@code selector}), or its top-level key. */
  public String name() {
    return key.substring(key.indexOf('.') + 1);
  }

  /** How an error names it when no spec file gave it: its flag, else its key. */
  public String flagOrKey() {
    return flag == null ? key : flag;
  }

  @Override
  public String toString() {
    return key;
  }
}
