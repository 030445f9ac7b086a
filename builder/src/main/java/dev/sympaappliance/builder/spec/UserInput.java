package dev.sympaappliance.builder.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raw user values, as the command line or a spec file gives them, before any rule is applied: one
 * value per {@link Setting} (absent when not given), the list names of {@code --list}, the {@code
 * NAME=VALUE} overrides of Postfix and Sympa, the lists a spec file declares in full, and where
 * each value came from.
 *
 * @param values each given setting's value ({@link String}, {@link Boolean} for a switch, a {@link
 *     List} of {@link String} for a list)
 * @param lists list names given by {@code --list}: each a list with the defaults, unless {@code
 *     listDefinitions} declares the same name (then the declaration stands)
 * @param postconf {@code NAME=VALUE} main.cf overrides
 * @param sympaConf {@code NAME=VALUE} sympa.conf overrides
 * @param listDefinitions lists declared in full (by a spec file)
 * @param sources how an error names a value that did not come from its flag: key path ({@code
 *     domain}, {@code lists[0].owners[1]}, {@code postconf.NAME}, …) to a field such as {@code
 *     lists.yaml:14:7: lists[0].owners[1]}; a value not in it is named by its flag
 * @param domains the further list domains of a spec file's {@code domains:}, each its per-domain
 *     settings ({@link Setting#isPerDomain()}) and lists, its sources' fields naming {@code
 *     domains[N]…}
 */
public record UserInput(
    Map<Setting<?>, Object> values,
    List<String> lists,
    List<String> postconf,
    List<String> sympaConf,
    List<ListInput> listDefinitions,
    Map<String, String> sources,
    List<UserInput> domains) {

  /** A list as a spec file declares it; every value raw, null when not given. */
  public record ListInput(
      String name,
      String subject,
      String type,
      String description,
      List<String> owners,
      List<String> editors,
      List<SubscriberInput> subscribers) {
    public ListInput {
      owners = owners == null ? null : List.copyOf(owners);
      editors = editors == null ? List.of() : List.copyOf(editors);
      subscribers = subscribers == null ? List.of() : List.copyOf(subscribers);
    }
  }

  /**
   * A subscriber as a spec file or its list's members file declares it: an address and, if given, a
   * name and a reception mode (null if not).
   */
  public record SubscriberInput(String address, String name, String mode) {}

  public UserInput {
    Map<Setting<?>, Object> given = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      Object value = values.get(setting);
      if (value != null) {
        Object typed = setting.type().cast(value);
        given.put(setting, typed instanceof List<?> entries ? List.copyOf(entries) : typed);
      }
    }
    values = Collections.unmodifiableMap(given);
    lists = lists == null ? List.of() : List.copyOf(lists);
    postconf = postconf == null ? List.of() : List.copyOf(postconf);
    sympaConf = sympaConf == null ? List.of() : List.copyOf(sympaConf);
    listDefinitions = listDefinitions == null ? List.of() : List.copyOf(listDefinitions);
    sources =
        sources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    domains = domains == null ? List.of() : List.copyOf(domains);
  }

  /** Nothing given. */
  public static UserInput none() {
    return builder().build();
  }

  /** An appliance of the default flavour (full: it needs a listmaster outside the list domain). */
  public static UserInput appliance(String domain, List<String> lists) {
    return builder().set(Settings.DOMAIN, domain).lists(lists).build();
  }

  /**
   * Named construction: {@code UserInput.builder().set(Settings.DOMAIN,
   * "lists.example.org").build()}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this input, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    b.lists.addAll(lists);
    b.postconf.addAll(postconf);
    b.sympaConf.addAll(sympaConf);
    b.listDefinitions.addAll(listDefinitions);
    b.sources.putAll(sources);
    b.domains.addAll(domains);
    return b;
  }

  /** The value given for {@code setting}; null when none was. */
  public <T> T get(Setting<T> setting) {
    return setting.type().cast(values.get(setting));
  }

  /** The value given for {@code setting}, else its declared default. */
  public <T> T getOrDefault(Setting<T> setting) {
    return has(setting) ? get(setting) : setting.byDefault().orElseThrow();
  }

  /** Whether a value was given for {@code setting}. */
  public boolean has(Setting<?> setting) {
    return values.containsKey(setting);
  }

  /** The first of {@code settings} that was given, if any. */
  public Optional<Setting<?>> firstGiven(List<Setting<?>> settings) {
    return settings.stream().filter(this::has).findFirst();
  }

  /**
   * The value of {@code setting} as an error quotes it (a list's entries as its flag takes them).
   */
  public String raw(Setting<?> setting) {
    Object value = values.get(setting);
    return value instanceof List<?> entries
        ? String.join(",", entries.stream().map(String::valueOf).toList())
        : String.valueOf(value);
  }

  /** How errors name the value of {@code setting}: its place in a spec file, else its flag. */
  public String field(Setting<?> setting) {
    return sources.getOrDefault(setting.key(), setting.flagOrKey());
  }

  /** How errors name the value at {@code keyPath}: its place in a spec file, else {@code flag}. */
  public String field(String keyPath, String flag) {
    return sources.getOrDefault(keyPath, flag);
  }

  /**
   * This input (a spec file's) with {@code flags} over it, as {@code helm --set} over values.yaml:
   * a flag replaces the file's value of its setting; {@code --no-web} turns off the file's whole
   * {@code web:} mapping; a {@code --postconf}/{@code --sympa-conf NAME=…} replaces the file's
   * entry of that NAME (in its place) and adds the others; a {@code --list NAME} adds a list with
   * the defaults unless the file declares NAME.
   */
  public UserInput overriddenBy(UserInput flags) {
    Builder merged = toBuilder();
    for (Setting<?> setting : flags.values.keySet()) {
      merged.values.put(setting, flags.values.get(setting));
      merged.sources.keySet().removeAll(pathsOf(setting));
    }
    if (Boolean.FALSE.equals(flags.get(Settings.WEB))) {
      for (Setting<?> setting : Settings.inSection("web")) {
        if (!flags.has(setting)) {
          merged.values.remove(setting);
          merged.sources.remove(setting.key());
        }
      }
    }
    merged.lists.addAll(flags.lists);
    merged.postconf = overrideSettings(postconf, flags.postconf, "postconf.", merged.sources);
    merged.sympaConf = overrideSettings(sympaConf, flags.sympaConf, "sympa_conf.", merged.sources);
    return merged.build();
  }

  private static List<String> overrideSettings(
      List<String> mine, List<String> flags, String prefix, Map<String, String> sources) {
    List<String> out = new ArrayList<>(mine);
    List<String> names = new ArrayList<>(mine.stream().map(UserInput::settingName).toList());
    for (String flag : flags) {
      int at = names.indexOf(settingName(flag));
      if (at >= 0) {
        sources.remove(prefix + names.get(at));
        out.set(at, flag);
        names.set(at, null); // replaced once: a second flag of the same name is a duplicate
      } else {
        out.add(flag);
      }
    }
    return out;
  }

  /**
   * The key paths of {@link #sources()} that name the value given for {@code setting}: its key and,
   * for a list, each entry's ({@code platforms[0]}, …).
   */
  List<String> pathsOf(Setting<?> setting) {
    List<String> paths = new ArrayList<>(List.of(setting.key()));
    if (values.get(setting) instanceof List<?> entries) {
      for (int i = 0; i < entries.size(); i++) {
        paths.add(setting.key() + "[" + i + "]");
      }
    }
    return paths;
  }

  /** NAME of a raw {@code NAME=VALUE}, as far as it has one: only to find where it came from. */
  static String settingName(String raw) {
    int eq = raw == null ? -1 : raw.indexOf('=');
    return eq < 0 ? String.valueOf(raw) : raw.substring(0, eq).strip();
  }

  /** Builds a {@link UserInput}; each setter names what it sets. */
  public static final class Builder {
    private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
    private final List<String> lists = new ArrayList<>();
    private List<String> postconf = new ArrayList<>();
    private List<String> sympaConf = new ArrayList<>();
    private final List<ListInput> listDefinitions = new ArrayList<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<UserInput> domains = new ArrayList<>();

    private Builder() {}

    /** Gives {@code setting} this value; null: not given. */
    public <T> Builder set(Setting<T> setting, T value) {
      return setRaw(setting, value);
    }

    /** Gives {@code setting} a value of its type ({@link Setting#type()}); null: not given. */
    Builder setRaw(Setting<?> setting, Object value) {
      if (value == null) {
        values.remove(setting);
      } else {
        values.put(setting, setting.type().cast(value));
      }
      return this;
    }

    /** Adds lists by name, as {@code --list NAME} does. */
    public Builder lists(List<String> names) {
      lists.addAll(names);
      return this;
    }

    /** Adds lists by name, as {@code --list NAME} does. */
    public Builder list(String... names) {
      return lists(List.of(names));
    }

    /** Adds main.cf overrides, {@code NAME=VALUE}, as {@code --postconf} does. */
    public Builder postconf(List<String> settings) {
      postconf.addAll(settings);
      return this;
    }

    /** Adds sympa.conf overrides, {@code NAME=VALUE}, as {@code --sympa-conf} does. */
    public Builder sympaConf(List<String> settings) {
      sympaConf.addAll(settings);
      return this;
    }

    /** Adds lists declared in full, as a spec file's {@code lists:}. */
    public Builder listDefinitions(List<ListInput> lists) {
      listDefinitions.addAll(lists);
      return this;
    }

    /** Records where values came from (key path to field); see {@link UserInput#sources()}. */
    public Builder sources(Map<String, String> more) {
      sources.putAll(more);
      return this;
    }

    /** Adds further list domains, as a spec file's {@code domains:}. */
    public Builder domains(List<UserInput> more) {
      domains.addAll(more);
      return this;
    }

    public UserInput build() {
      return new UserInput(values, lists, postconf, sympaConf, listDefinitions, sources, domains);
    }
  }
}
