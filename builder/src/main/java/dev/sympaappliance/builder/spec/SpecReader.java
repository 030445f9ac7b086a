package dev.sympaappliance.builder.spec;

import dev.sympaappliance.builder.spec.SpecYaml.Source;
import dev.sympaappliance.builder.spec.UserInput.ListInput;
import dev.sympaappliance.builder.spec.UserInput.SubscriberInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the node tree of a spec file into a raw {@link UserInput}: checks its structure (known
 * keys, types, limits) and remembers where each value stands (file:line:column and key path) in
 * {@link UserInput#sources()}, so that the grammar's errors name their place too.
 */
final class SpecReader {
  /** The top-level keys: the settings' (see {@link Setting}), then those that hold many values. */
  private static final List<String> TOP_KEYS =
      Stream.concat(
              Settings.topLevelKeys().stream(),
              Stream.of("postconf", "sympa_conf", "lists", "domains"))
          .toList();

  /** The keys of an entry of {@code domains:}: the per-domain settings' keys, then its lists. */
  private static final List<String> DOMAIN_KEYS =
      Stream.concat(
              Settings.perDomain().stream().map(s -> s.section().orElse(s.key())).distinct(),
              Stream.of("lists"))
          .toList();

  private static final List<String> LIST_KEYS =
      List.of(
          "name",
          "subject",
          "description",
          "type",
          "owners",
          "editors",
          "subscribers",
          "members_file");
  private static final List<String> SUBSCRIBER_KEYS = List.of("address", "name", "mode");
  private static final String SUBSCRIBER =
      "an e-mail address, or a mapping with the keys address, name and mode";

  /** A mapping's entries by key, in the file's order; the keys are strings (checked). */
  private record Mapping(Map<String, NodeTuple> entries, Node node) {
    Node value(String key) {
      NodeTuple tuple = entries.get(key);
      return tuple == null ? null : tuple.getValueNode();
    }
  }

  private final Source source;

  /** What a field names before a key path: {@code domains[N].} in an entry of domains:. */
  private final String prefix;

  private final Map<String, String> sources = new LinkedHashMap<>();

  /** Subscribers counted so far, in every list of every domain. */
  private final int[] subscribers;

  SpecReader(Source source) {
    this(source, "", new int[1]);
  }

  private SpecReader(Source source, String prefix, int[] subscribers) {
    this.source = source;
    this.prefix = prefix;
    this.subscribers = subscribers;
  }

  UserInput userInput(Node root) {
    Mapping top = mapping(root, "(top level)", "a mapping of spec keys (domain: …)");
    checkKeys(top, "", TOP_KEYS, "spec");
    UserInput.Builder in = UserInput.builder();
    Map<String, Mapping> sections = settings(top, Settings.ALL, in);
    if (sections.get("deployment") != null) {
      sources.put("deployment", place(top.entries().get("deployment").getKeyNode(), "deployment"));
    }
    List<String> postconf = overrides(top, "postconf", true);
    List<String> sympaConf = overrides(top, "sympa_conf", false);
    List<UserInput> domains = new ArrayList<>();
    Node domainsNode = top.value("domains");
    if (domainsNode != null) {
      sources.put("domains", place(top.entries().get("domains").getKeyNode(), "domains"));
      List<Node> items =
          sequence(domainsNode, "domains", "a sequence of list domains (domain: …, lists: …)")
              .getValue();
      if (items.size() > SpecFile.MAX_DOMAINS) {
        throw new InvalidSpecException(
            place(domainsNode, "domains"), "more than " + SpecFile.MAX_DOMAINS + " list domains");
      }
      for (int i = 0; i < items.size(); i++) {
        domains.add(
            new SpecReader(source, "domains[" + i + "].", subscribers).domain(items.get(i)));
      }
    }
    return in.postconf(postconf)
        .sympaConf(sympaConf)
        .listDefinitions(lists(top))
        .sources(sources)
        .domains(domains)
        .build();
  }

  /** An entry of domains:, read by a reader whose prefix names it. */
  private UserInput domain(Node node) {
    Mapping m = mapping(node, "", "a mapping with the keys " + String.join(", ", DOMAIN_KEYS));
    checkKeys(m, "", DOMAIN_KEYS, "list domain");
    if (m.value(Settings.DOMAIN.key()) == null) {
      throw new InvalidSpecException(place(node, ""), "missing key domain: every entry names one");
    }
    UserInput.Builder in = UserInput.builder();
    settings(m, Settings.perDomain(), in);
    return in.listDefinitions(lists(m)).sources(sources).build();
  }

  /**
   * Reads {@code settings} from {@code holder} (their sections' mappings in it) into {@code in};
   * returns the sections found.
   */
  private Map<String, Mapping> settings(
      Mapping holder, List<Setting<?>> settings, UserInput.Builder in) {
    Map<String, Mapping> sections = new HashMap<>();
    for (Setting<?> setting : settings) {
      Mapping m = holder;
      String parent = setting.section().orElse(null);
      if (parent != null) {
        m = sections.computeIfAbsent(parent, key -> section(holder, key, settings));
      }
      Node node = m == null ? null : m.value(setting.name());
      if (node != null) {
        String path = parent == null ? setting.name() : parent + "." + setting.name();
        in.setRaw(
            setting,
            switch (setting.kind()) {
              case TEXT -> text(node, path, "a string");
              case NUMBER -> number(node, path);
              case SWITCH -> bool(node, path);
              case LIST -> texts(node, path, "a sequence of strings", "a string");
            });
      }
    }
    return sections;
  }

  private List<ListInput> lists(Mapping holder) {
    List<ListInput> lists = new ArrayList<>();
    Node listsNode = holder.value("lists");
    if (listsNode != null) {
      List<Node> items = sequence(listsNode, "lists", "a sequence of lists").getValue();
      if (items.size() > SpecFile.MAX_LISTS) {
        throw new InvalidSpecException(
            place(listsNode, "lists"), "more than " + SpecFile.MAX_LISTS + " lists");
      }
      for (int i = 0; i < items.size(); i++) {
        lists.add(list(items.get(i), "lists[" + i + "]"));
      }
    }
    return lists;
  }

  /**
   * The mapping at {@code key} of {@code holder}, with only the keys of {@code settings} in its
   * section; null when absent.
   */
  private Mapping section(Mapping holder, String key, List<Setting<?>> settings) {
    Node node = holder.value(key);
    if (node == null) {
      return null;
    }
    List<String> keys =
        Settings.inSection(key).stream().filter(settings::contains).map(Setting::name).toList();
    Mapping m = mapping(node, key, "a mapping with the keys " + String.join(", ", keys));
    checkKeys(m, key + ".", keys, key + " mapping");
    return m;
  }

  /** How an error names the node at {@code path}: file:line:column and the whole key path. */
  private String place(Node node, String path) {
    String whole = prefix + path;
    return source.field(node, whole.endsWith(".") ? whole.substring(0, whole.length() - 1) : whole);
  }

  private ListInput list(Node node, String path) {
    Mapping list = mapping(node, path, "a mapping with the keys " + String.join(", ", LIST_KEYS));
    checkKeys(list, path + ".", LIST_KEYS, "list");
    if (list.value("name") == null) {
      throw new InvalidSpecException(place(node, path), "missing key name: every list has a name");
    }
    String name = text(list.value("name"), path + ".name", "a string");
    String subject = optionalText(list, path, "subject");
    String type = optionalText(list, path, "type");
    String description = optionalText(list, path, "description");
    List<String> owners = list.value("owners") == null ? null : addresses(list, path, "owners");
    List<String> editors =
        list.value("editors") == null ? List.of() : addresses(list, path, "editors");
    List<SubscriberInput> members = new ArrayList<>();
    Node subscriberNode = list.value("subscribers");
    if (subscriberNode != null) {
      List<Node> items =
          sequence(subscriberNode, path + ".subscribers", "a sequence of subscribers").getValue();
      for (int k = 0; k < items.size(); k++) {
        String itemPath = path + ".subscribers[" + k + "]";
        count(place(items.get(k), itemPath));
        members.add(subscriber(items.get(k), itemPath));
      }
    }
    String membersFile = optionalText(list, path, "members_file");
    if (membersFile != null) {
      String field = sources.get(path + ".members_file");
      for (MemberFile.Member m : MemberFile.read(source.name(), membersFile, field)) {
        String itemPath = path + ".subscribers[" + members.size() + "]";
        count(m.place());
        sources.put(itemPath, m.place() + ": subscriber");
        sources.put(itemPath + ".address", m.place() + ": address");
        sources.put(itemPath + ".name", m.place() + ": name");
        sources.put(itemPath + ".mode", m.place() + ": mode");
        members.add(m.input());
      }
    }
    return new ListInput(name, subject, type, description, owners, editors, members);
  }

  private void count(String place) {
    if (++subscribers[0] > SpecFile.MAX_SUBSCRIBERS) {
      throw new InvalidSpecException(
          place, "more than " + SpecFile.MAX_SUBSCRIBERS + " subscribers in all lists together");
    }
  }

  /** An address alone, or a mapping with the keys address, name and mode. */
  private SubscriberInput subscriber(Node node, String path) {
    if (node instanceof ScalarNode) {
      return new SubscriberInput(text(node, path, SUBSCRIBER), null, null);
    }
    Mapping m = mapping(node, path, SUBSCRIBER);
    checkKeys(m, path + ".", SUBSCRIBER_KEYS, "subscriber");
    if (m.value("address") == null) {
      throw new InvalidSpecException(
          place(node, path), "missing key address: every subscriber has one");
    }
    return new SubscriberInput(
        text(m.value("address"), path + ".address", "a string"),
        optionalText(m, path, "name"),
        optionalText(m, path, "mode"));
  }

  /** postconf: or sympa_conf: NAME: VALUE pairs, as the NAME=VALUE strings the flags give. */
  private List<String> overrides(Mapping top, String key, boolean postfix) {
    Node node = top.value(key);
    if (node == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (NodeTuple e : mapping(node, key, "a mapping of NAME: VALUE").entries().values()) {
      String name = ((ScalarNode) e.getKeyNode()).getValue();
      String path = key + "." + SpecYaml.segment(name);
      String keyField = place(e.getKeyNode(), path);
      if (!(e.getValueNode() instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
        throw wrongType(
            e.getValueNode(), path, "a value (a string or a number; \"\" for an empty one)");
      }
      String valueField = place(scalar, path);
      if (postfix) {
        ConfOverride.postconfName(keyField, name);
        ConfOverride.postconfValue(valueField, scalar.getValue());
      } else {
        ConfOverride.sympaConfName(keyField, name);
        ConfOverride.sympaConfValue(valueField, scalar.getValue());
      }
      out.add(name + "=" + scalar.getValue());
      sources.put(key + "." + name, valueField);
    }
    return out;
  }

  private void checkKeys(Mapping m, String prefix, List<String> known, String what) {
    for (Map.Entry<String, NodeTuple> e : m.entries().entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new InvalidSpecException(
            place(e.getValue().getKeyNode(), prefix + SpecYaml.segment(e.getKey())),
            e.getKey(),
            "unknown key; the keys of a " + what + " are " + String.join(", ", known));
      }
    }
  }

  private String optionalText(Mapping m, String parent, String key) {
    Node node = m.value(key);
    return node == null ? null : text(node, parent + "." + key, "a string");
  }

  /** A whole number, as its text. */
  private String number(Node node, String path) {
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
      sources.put(path, place(scalar, path));
      return scalar.getValue();
    }
    throw wrongType(node, path, "a whole number");
  }

  /** YAML true or false (YAML 1.1, as SnakeYAML resolves it: also yes/no, on/off). */
  private Boolean bool(Node node, String path) {
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
      sources.put(path, place(scalar, path));
      return List.of("true", "yes", "on").contains(scalar.getValue().toLowerCase(Locale.ROOT));
    }
    throw wrongType(node, path, "true or false");
  }

  private List<String> addresses(Mapping m, String parent, String key) {
    return texts(
        m.value(key), parent + "." + key, "a sequence of e-mail addresses", "an e-mail address");
  }

  /** A sequence of strings; its place and each entry's ({@code PATH[N]}) are remembered. */
  private List<String> texts(Node node, String path, String expected, String expectedEntry) {
    SequenceNode s = sequence(node, path, expected);
    List<String> out = new ArrayList<>();
    for (int j = 0; j < s.getValue().size(); j++) {
      out.add(text(s.getValue().get(j), path + "[" + j + "]", expectedEntry));
    }
    sources.put(path, place(s, path));
    return out;
  }

  /**
   * A YAML string (not a number, boolean or null: those are refused, so that nothing is guessed).
   */
  private String text(Node node, String path, String expected) {
    if (node instanceof ScalarNode scalar && found(scalar) == null) {
      sources.put(path, place(scalar, path));
      return scalar.getValue();
    }
    throw wrongType(node, path, expected);
  }

  /** A mapping whose keys are strings. */
  private Mapping mapping(Node node, String path, String expected) {
    if (!(node instanceof MappingNode m)) {
      throw wrongType(node, path, expected);
    }
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : m.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key) || found(key) != null) {
        throw wrongType(tuple.getKeyNode(), path, "a key that is a string");
      }
      entries.put(key.getValue(), tuple);
    }
    return new Mapping(entries, m);
  }

  private SequenceNode sequence(Node node, String path, String expected) {
    if (node instanceof SequenceNode s) {
      return s;
    }
    throw wrongType(node, path, expected);
  }

  /**
   * What a scalar that is not a string is, or null for a string. A date counts as a string: YAML
   * 1.1 would make {@code 2024-01-01} a timestamp, which no setting takes.
   */
  private static String found(ScalarNode scalar) {
    Tag tag = scalar.getTag();
    if (tag.equals(Tag.NULL)) {
      return "nothing (null)";
    }
    if (tag.equals(Tag.BOOL)) {
      return "a boolean; quote it to make it a string";
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return "a number; quote it to make it a string";
    }
    return null;
  }

  private InvalidSpecException wrongType(Node node, String path, String expected) {
    String field = place(node, path);
    if (node instanceof ScalarNode scalar) {
      String found = found(scalar);
      return new InvalidSpecException(
          field,
          scalar.getValue(),
          "expected " + expected + ", found " + (found == null ? "a string" : found));
    }
    return new InvalidSpecException(
        field,
        "expected "
            + expected
            + ", found "
            + (node instanceof SequenceNode ? "a sequence" : "a mapping"));
  }
}
