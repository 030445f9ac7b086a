package dev.sympaappliance.builder.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.sympaappliance.builder.spec.UserInput.ListInput;
import dev.sympaappliance.builder.spec.UserInput.SubscriberInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a YAML spec file into the same raw {@link UserInput} the flags give, remembering where each
 * value stands (file:line:column and key path) so that every error, from the structure of the file
 * or from the grammar of a value, names its place. The structure is checked here (known keys,
 * types, no duplicate keys, no aliases or tags, limits); the values are checked by {@link
 * ApplianceSpec#fromUserInput}, with the same rules as the flags.
 */
public final class SpecFile {
  private SpecFile() {}

  /** Larger files are refused before they are parsed. */
  public static final int MAX_FILE_BYTES = 8 * 1024 * 1024;

  public static final int MAX_LISTS = 10_000;

  /** Subscribers of all lists together. */
  public static final int MAX_SUBSCRIBERS = 100_000;

  /** Scalars, sequences and mappings of the whole file together: bounds the memory a file takes. */
  static final int MAX_NODES = 600_000;

  /**
   * The deepest a valid spec file goes is 4 (root, lists, a list, its subscribers, a subscriber).
   */
  private static final int MAX_DEPTH = 6;

  /** The top-level keys: the settings' (see {@link Setting}), then those that hold many values. */
  private static final List<String> TOP_KEY_ORDER =
      Stream.concat(Setting.topLevelKeys().stream(), Stream.of("postconf", "sympa_conf", "lists"))
          .toList();

  private static final List<String> LIST_KEYS =
      List.of("name", "subject", "type", "owners", "editors", "subscribers");
  private static final List<String> SUBSCRIBER_KEYS = List.of("address", "name");

  // ---------------------------------------------------------------- a tree that keeps positions

  private record Location(int line, int column) {}

  private sealed interface Node permits Scalar, Sequence, Mapping {
    Location at();
  }

  private record Scalar(JsonToken token, String text, Location at) implements Node {}

  private record Sequence(List<Node> items, Location at) implements Node {}

  private record Entry(Location keyAt, Node value) {}

  private record Mapping(Map<String, Entry> entries, Location at) implements Node {}

  /** Where the file is and what the user called it. */
  private record Source(String name) {
    String field(Location at, String path) {
      return name + ":" + at.line() + ":" + at.column() + ": " + path;
    }

    String place(Location at) {
      return name + ":" + at.line() + ":" + at.column();
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads and checks the structure of the spec file named {@code raw} (as given to {@code --spec}).
   */
  public static UserInput read(String raw) {
    String name = requirePath(raw);
    return parse(name, readText(name));
  }

  /** Parses YAML text; {@code name} is how errors name the file. */
  public static UserInput parse(String name, String yaml) {
    Source source = new Source(name);
    Node root = tree(source, yaml);
    return new Reader(source).userInput(root);
  }

  private static String requirePath(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidSpecException("--spec", "", "must not be empty; expected a file path");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isISOControl(c)
          || Character.getType(c) == Character.LINE_SEPARATOR
          || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
        throw new InvalidSpecException(
            "--spec", raw, "expected a file path without control characters");
      }
    }
    return raw;
  }

  private static String readText(String name) {
    byte[] bytes;
    try {
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        throw new InvalidSpecException("--spec", name, "cannot read the file: it is a directory");
      }
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidSpecException("--spec", name, "cannot read the file: no such file");
    } catch (AccessDeniedException e) {
      throw new InvalidSpecException("--spec", name, "cannot read the file: permission denied");
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new InvalidSpecException(
          "--spec", name, "cannot read the file: " + e.getClass().getSimpleName());
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new InvalidSpecException(
          "--spec",
          name,
          "the file is larger than "
              + MAX_FILE_BYTES / (1024 * 1024)
              + " MB, the most a spec file may be");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidSpecException("--spec", name, "the file is not UTF-8 text");
    }
  }

  private static Node tree(Source source, String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_FILE_BYTES + 1);
    options.setMaxAliasesForCollections(0);
    options.setNestingDepthLimit(MAX_DEPTH + 4);
    YAMLFactory factory = YAMLFactory.builder().loaderOptions(options).build();
    try (JsonParser parser = factory.createParser(yaml)) {
      TreeBuilder builder = new TreeBuilder(source, (YAMLParser) parser);
      JsonToken first = builder.next();
      if (first == null) {
        throw new InvalidSpecException(
            source.place(new Location(1, 1)),
            "the file is empty; expected a mapping of" + " spec keys (domain: …)");
      }
      Node root = builder.node(first, 0, "(top level)");
      if (builder.next() != null) {
        throw new InvalidSpecException(
            source.place(builder.location()), "a second YAML document; a spec file holds one");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      Location where =
          at == null ? new Location(1, 1) : new Location(at.getLineNr(), at.getColumnNr());
      throw new InvalidSpecException(
          source.place(where), "not valid YAML: " + problem(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidSpecException(
          "--spec", source.name(), "cannot read the file: " + e.getClass().getSimpleName());
    }
  }

  /**
   * SnakeYAML's message without its context lines (" in 'reader', line …", the caret): one line.
   */
  private static String problem(String message) {
    List<String> parts = new ArrayList<>();
    for (String line : String.valueOf(message).split("\\R")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        parts.add(line.strip());
      }
    }
    return Text.quoteForMessage(String.join("; ", parts)).replaceAll("^'|'$", "");
  }

  private static final class TreeBuilder {
    private final Source source;
    private final YAMLParser parser;
    private int nodes;

    TreeBuilder(Source source, YAMLParser parser) {
      this.source = source;
      this.parser = parser;
    }

    Location location() {
      JsonLocation at = parser.currentTokenLocation();
      return new Location(at.getLineNr(), at.getColumnNr());
    }

    JsonToken next() throws IOException {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return null;
      }
      if (parser.isCurrentAlias() || parser.getTypeId() != null) {
        throw new InvalidSpecException(
            source.place(location()),
            "YAML aliases (*name) and tags (!tag) are not"
                + " allowed in a spec file; write each value out");
      }
      if (token != JsonToken.FIELD_NAME
          && token != JsonToken.END_ARRAY
          && token != JsonToken.END_OBJECT
          && ++nodes > MAX_NODES) {
        throw new InvalidSpecException(
            source.place(location()), "too many values: a spec file may hold at most " + MAX_NODES);
      }
      return token;
    }

    Node node(JsonToken token, int depth, String path) throws IOException {
      Location at = location();
      if (depth > MAX_DEPTH) {
        throw new InvalidSpecException(source.place(at), "nested deeper than a spec file goes");
      }
      if (token == JsonToken.START_ARRAY) {
        List<Node> items = new ArrayList<>();
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
          items.add(node(t, depth + 1, path + "[" + items.size() + "]"));
        }
        return new Sequence(items, at);
      }
      if (token == JsonToken.START_OBJECT) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
          String key = parser.currentName();
          Location keyAt = location();
          String keyPath = (depth == 0 ? "" : path + ".") + segment(key);
          Entry earlier = entries.get(key);
          if (earlier != null) {
            throw new InvalidSpecException(
                source.field(keyAt, keyPath),
                key,
                "duplicate key; first at line " + earlier.keyAt().line());
          }
          entries.put(key, new Entry(keyAt, node(next(), depth + 1, keyPath)));
        }
        return new Mapping(entries, at);
      }
      return new Scalar(token, parser.getText(), at);
    }
  }

  // ---------------------------------------------------------------- the schema

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** A key in a key path: as it is when plain, else quoted (it may hold anything). */
  private static String segment(String key) {
    return PLAIN_KEY.matcher(key).matches() ? key : Text.quoteForMessage(key);
  }

  private static final class Reader {
    private final Source source;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private Mapping top;
    private int subscribers;

    Reader(Source source) {
      this.source = source;
    }

    UserInput userInput(Node root) {
      top = mapping(root, "(top level)", "a mapping of spec keys (domain: …)");
      checkKeys(top, "", TOP_KEY_ORDER, "spec");
      UserInput.Builder in = UserInput.builder();
      Map<String, Mapping> sections = new HashMap<>();
      for (Setting<?> setting : Setting.ALL) {
        Mapping holder = top;
        String parent = null;
        if (setting.section().isPresent()) {
          parent = setting.section().get();
          holder = sections.computeIfAbsent(parent, this::section);
        }
        if (holder != null) {
          in.setRaw(
              setting,
              switch (setting.kind()) {
                case TEXT -> string(holder, parent, setting.name());
                case NUMBER -> number(holder, parent, setting.name());
                case SWITCH -> bool(holder, parent, setting.name());
              });
        }
      }
      if (sections.get("deployment") != null) {
        sources.put(
            "deployment", source.field(top.entries().get("deployment").keyAt(), "deployment"));
      }
      List<String> postconf = settings(top, "postconf", true);
      List<String> sympaConf = settings(top, "sympa_conf", false);
      List<ListInput> lists = new ArrayList<>();
      Entry listsEntry = top.entries().get("lists");
      if (listsEntry != null) {
        Sequence items = sequence(listsEntry.value(), "lists", "a sequence of lists");
        if (items.items().size() > MAX_LISTS) {
          throw new InvalidSpecException(
              source.field(items.at(), "lists"), "more than " + MAX_LISTS + " lists");
        }
        for (int i = 0; i < items.items().size(); i++) {
          lists.add(list(items.items().get(i), "lists[" + i + "]"));
        }
      }
      return in.postconf(postconf)
          .sympaConf(sympaConf)
          .listDefinitions(lists)
          .sources(sources)
          .build();
    }

    /**
     * The mapping at top-level {@code key}, with only its settings' keys in it; null when the key
     * is absent.
     */
    private Mapping section(String key) {
      Entry entry = top.entries().get(key);
      if (entry == null) {
        return null;
      }
      List<String> keys = Setting.inSection(key).stream().map(Setting::name).toList();
      Mapping m = mapping(entry.value(), key, "a mapping with the keys " + String.join(", ", keys));
      checkKeys(m, key + ".", keys, key + " mapping");
      return m;
    }

    private ListInput list(Node node, String path) {
      Mapping list = mapping(node, path, "a mapping with the keys " + String.join(", ", LIST_KEYS));
      checkKeys(list, path + ".", LIST_KEYS, "list");
      if (!list.entries().containsKey("name")) {
        throw new InvalidSpecException(
            source.field(list.at(), path), "missing key name: every list has a name");
      }
      String name = string(list, path, "name");
      String subject = string(list, path, "subject");
      String type = string(list, path, "type");
      List<String> owners =
          list.entries().containsKey("owners") ? strings(list, path, "owners") : null;
      List<String> editors =
          list.entries().containsKey("editors") ? strings(list, path, "editors") : List.of();
      List<SubscriberInput> members = new ArrayList<>();
      Entry entry = list.entries().get("subscribers");
      if (entry != null) {
        Sequence items =
            sequence(entry.value(), path + ".subscribers", "a sequence of subscribers");
        for (int k = 0; k < items.items().size(); k++) {
          if (++subscribers > MAX_SUBSCRIBERS) {
            throw new InvalidSpecException(
                source.field(items.items().get(k).at(), path + ".subscribers[" + k + "]"),
                "more than " + MAX_SUBSCRIBERS + " subscribers in all lists together");
          }
          members.add(subscriber(items.items().get(k), path + ".subscribers[" + k + "]"));
        }
      }
      return new ListInput(name, subject, type, owners, editors, members);
    }

    /** An address alone, or a mapping with the keys address and name. */
    private SubscriberInput subscriber(Node node, String path) {
      if (node instanceof Scalar) {
        return new SubscriberInput(
            text(node, path, "an e-mail address, or a mapping with the keys address and name"),
            null);
      }
      Mapping m =
          mapping(node, path, "an e-mail address, or a mapping with the keys address and name");
      checkKeys(m, path + ".", SUBSCRIBER_KEYS, "subscriber");
      if (!m.entries().containsKey("address")) {
        throw new InvalidSpecException(
            source.field(m.at(), path), "missing key address: every subscriber has one");
      }
      return new SubscriberInput(string(m, path, "address"), string(m, path, "name"));
    }

    /** postconf: or sympa_conf: NAME: VALUE pairs, as the NAME=VALUE strings the flags give. */
    private List<String> settings(Mapping top, String key, boolean postfix) {
      Entry entry = top.entries().get(key);
      if (entry == null) {
        return List.of();
      }
      Mapping m = mapping(entry.value(), key, "a mapping of NAME: VALUE");
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, Entry> e : m.entries().entrySet()) {
        String path = key + "." + segment(e.getKey());
        String keyField = source.field(e.getValue().keyAt(), path);
        Node valueNode = e.getValue().value();
        if (!(valueNode instanceof Scalar scalar) || scalar.token() == JsonToken.VALUE_NULL) {
          throw wrongType(valueNode, path, "a value (a string or a number; \"\" for an empty one)");
        }
        String valueField = source.field(scalar.at(), path);
        String value = scalar.text();
        if (postfix) {
          ConfOverride.postconfName(keyField, e.getKey());
          ConfOverride.postconfValue(valueField, value);
        } else {
          ConfOverride.sympaConfName(keyField, e.getKey());
          ConfOverride.sympaConfValue(valueField, value);
        }
        out.add(e.getKey() + "=" + value);
        sources.put(key + "." + e.getKey(), valueField);
      }
      return out;
    }

    private void checkKeys(Mapping m, String prefix, List<String> known, String what) {
      for (Map.Entry<String, Entry> e : m.entries().entrySet()) {
        if (!known.contains(e.getKey())) {
          throw new InvalidSpecException(
              source.field(e.getValue().keyAt(), prefix + segment(e.getKey())),
              e.getKey(),
              "unknown key; the keys of a " + what + " are " + String.join(", ", known));
        }
      }
    }

    /** The string at {@code key} of {@code m}, or null when the key is absent. */
    private String string(Mapping m, String parent, String key) {
      Entry e = m.entries().get(key);
      if (e == null) {
        return null;
      }
      String path = parent == null ? key : parent + "." + key;
      return text(e.value(), path, "a string");
    }

    /**
     * The whole number at {@code key} of {@code m}, as its text, or null when the key is absent.
     */
    private String number(Mapping m, String parent, String key) {
      Entry e = m.entries().get(key);
      if (e == null) {
        return null;
      }
      String path = parent == null ? key : parent + "." + key;
      if (e.value() instanceof Scalar scalar && scalar.token() == JsonToken.VALUE_NUMBER_INT) {
        sources.put(path, source.field(scalar.at(), path));
        return scalar.text();
      }
      throw wrongType(e.value(), path, "a whole number");
    }

    /**
     * The boolean at {@code key} of {@code m} (YAML true or false), or null when the key is absent.
     */
    private Boolean bool(Mapping m, String parent, String key) {
      Entry e = m.entries().get(key);
      if (e == null) {
        return null;
      }
      String path = parent == null ? key : parent + "." + key;
      if (e.value() instanceof Scalar scalar
          && (scalar.token() == JsonToken.VALUE_TRUE || scalar.token() == JsonToken.VALUE_FALSE)) {
        sources.put(path, source.field(scalar.at(), path));
        return scalar.token() == JsonToken.VALUE_TRUE;
      }
      throw wrongType(e.value(), path, "true or false");
    }

    private List<String> strings(Mapping m, String parent, String key) {
      String path = parent + "." + key;
      Sequence s = sequence(m.entries().get(key).value(), path, "a sequence of e-mail addresses");
      List<String> out = new ArrayList<>();
      for (int j = 0; j < s.items().size(); j++) {
        out.add(text(s.items().get(j), path + "[" + j + "]", "an e-mail address"));
      }
      sources.put(path, source.field(s.at(), path));
      return out;
    }

    /**
     * A YAML string (not a number, boolean or null: those are refused, so that nothing is guessed).
     */
    private String text(Node node, String path, String expected) {
      if (node instanceof Scalar scalar && scalar.token() == JsonToken.VALUE_STRING) {
        sources.put(path, source.field(scalar.at(), path));
        return scalar.text();
      }
      throw wrongType(node, path, expected);
    }

    private Mapping mapping(Node node, String path, String expected) {
      if (node instanceof Mapping m) {
        return m;
      }
      throw wrongType(node, path, expected);
    }

    private Sequence sequence(Node node, String path, String expected) {
      if (node instanceof Sequence s) {
        return s;
      }
      throw wrongType(node, path, expected);
    }

    private InvalidSpecException wrongType(Node node, String path, String expected) {
      String field = source.field(node.at(), path);
      if (node instanceof Scalar scalar) {
        String found =
            switch (scalar.token()) {
              case VALUE_STRING -> "a string";
              case VALUE_NULL -> "nothing (null)";
              case VALUE_TRUE, VALUE_FALSE -> "a boolean; quote it to make it a string";
              default -> "a number; quote it to make it a string";
            };
        return new InvalidSpecException(
            field, scalar.text(), "expected " + expected + ", found " + found);
      }
      return new InvalidSpecException(
          field,
          "expected "
              + expected
              + ", found "
              + (node instanceof Sequence ? "a sequence" : "a mapping"));
    }
  }
}
